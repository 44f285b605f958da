package load

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/i18n"
)

const (
	pdfMargin = 15.0
	pdfFont   = document.PDFFont
)

// PDF writes the run as an A4 PDF in lang: a note on page 1 that the HTML
// page is the accessible version, the answer, the charts over load
// (throughput, latency percentiles, goodput) drawn as vector graphics, and
// the table of every level. The fonts are the reports' DejaVu.
func PDF(r *Result, lang string, created time.Time) ([]byte, error) {
	T := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	title := T("load.html.title")
	pdf := document.NewPDF("L", pdfMargin, 14, document.PDFInfo{Title: title, Creator: "KI-Check", Lang: document.PDFLang(lang), Created: created})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-11)
		pdf.SetFont(pdfFont, "", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(0, 5, title+" · "+r.Model, "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, T("load.pdf.page", map[string]any{"N": pdf.PageNo()}), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	width := pageW - 2*pdfMargin
	text := func(size float64, style string, rgb [3]int, h float64, s string) {
		pdf.SetFont(pdfFont, style, size)
		pdf.SetTextColor(rgb[0], rgb[1], rgb[2])
		pdf.MultiCell(0, h, s, "", "L", false)
	}
	dark, muted := [3]int{20, 20, 20}, [3]int{90, 90, 90}
	text(18, "B", dark, 8, title)
	label := ""
	if r.Label != "" {
		label = " · " + r.Label
	}
	text(10, "", dark, 5.5, T("common.model")+": "+r.Model+label+" · "+T("load.html.server")+": "+r.URL+" · "+
		T("load.html.shape")+": "+T("load.shape."+r.Shape)+" · "+T("load.html.started")+": "+r.Started.UTC().Format(time.RFC3339))
	// The accessible version: the HTML page carries the same figures as
	// text and tables with a structure a screen reader follows.
	pdf.Ln(1)
	text(9, "", muted, 4.6, T("load.pdf.accessible"))
	pdf.Ln(2)
	if !r.Complete {
		text(10.5, "B", [3]int{160, 70, 0}, 5.5, T("load.incomplete."+r.Incomplete))
	}
	if r.Answer != nil {
		text(12.5, "B", [3]int{30, 90, 40}, 6.5, r.Answer.Msg.Text(lang))
		text(9.5, "", dark, 5, r.Answer.Note.Text(lang))
	}
	if r.Saturation > 0 {
		text(9.5, "", dark, 5, T("load.saturation", map[string]any{"N": r.Saturation}))
	}
	if r.Slots != nil && r.Shape == ShapeSweep {
		text(9.5, "", dark, 5, r.Slots.Msg().Text(lang))
	}
	pdf.Ln(3)
	// Charts: two per row.
	charts := buildCharts(r, lang)
	cw, ch := (width-8)/2, 54.0
	rowY := pdf.GetY()
	for i, c := range charts {
		if i%2 == 0 {
			_, pageH := pdf.GetPageSize()
			if pdf.GetY()+ch+2 > pageH-14 {
				pdf.AddPage()
			}
			rowY = pdf.GetY()
		}
		x := pdfMargin + float64(i%2)*(cw+8)
		pdfChart(pdf, c, x, rowY, cw, ch, lang)
		if i%2 == 1 || i == len(charts)-1 {
			pdf.SetXY(pdfMargin, rowY+ch+2)
		}
	}
	// The table of every level.
	pdf.AddPage()
	text(13, "B", dark, 7, T("load.html.table"))
	heads, rows := tableCells(r, lang)
	document.PDFTable(pdf, width, document.TableStyle{Font: pdfFont, Size: 7, LineH: 3.4, Pad: 0.9, Align: "R"}, heads, rows)
	pdf.Ln(2)
	text(8.5, "", muted, 4.3, T("load.html.values"))
	text(8.5, "", muted, 4.3, T("load.html.defs"))
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write load pdf: %w", err)
	}
	return buf.Bytes(), nil
}

func hexRGB(s string) (int, int, int) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

// pdfChart draws c as a line chart in the box x, y, w, h (mm): title,
// axes with the largest value and the levels, one line per series with
// its name in the legend.
func pdfChart(pdf *fpdf.Fpdf, c *chart, x, y, w, h float64, lang string) {
	pdf.SetDrawColor(60, 60, 60)
	pdf.SetLineWidth(0.25)
	pdf.SetFont(pdfFont, "B", 9.5)
	pdf.SetTextColor(20, 20, 20)
	pdf.SetXY(x, y)
	pdf.CellFormat(w, 5, c.Title, "", 0, "L", false, 0, "")
	left, top, right, bottom := x+16, y+8, x+w-2, y+h-9
	ymax := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				ymax = math.Max(ymax, v)
			}
		}
	}
	if ymax == 0 {
		ymax = 1
	}
	label := ymax
	ymax *= 1.06 // headroom: the highest point stays clear of the top
	pdf.Line(left, top, left, bottom)
	pdf.Line(left, bottom, right, bottom)
	pdf.SetFont(pdfFont, "", 7)
	pdf.SetTextColor(60, 60, 60)
	pdf.SetXY(x, py0(top, bottom, label, ymax)-1.5)
	pdf.CellFormat(15, 3, i18n.Decimal(lang, label, 0)+" "+c.Unit, "", 0, "R", false, 0, "")
	pdf.SetXY(x, bottom-2)
	pdf.CellFormat(15, 3, "0", "", 0, "R", false, 0, "")
	n := len(c.Xs)
	px := func(i int) float64 {
		if n < 2 {
			return (left + right) / 2
		}
		return left + 3 + float64(i)*(right-left-6)/float64(n-1)
	}
	py := func(v float64) float64 { return bottom - v/ymax*(bottom-top) }
	for i, xv := range c.Xs {
		pdf.SetXY(px(i)-6, bottom+0.8)
		pdf.CellFormat(12, 3, strconv.Itoa(xv), "", 0, "C", false, 0, "")
	}
	pdf.SetXY(left, bottom+4.2)
	pdf.CellFormat(right-left, 3, c.XLabel, "", 0, "C", false, 0, "")
	for si, s := range c.Series {
		rr, gg, bb := hexRGB(s.Color)
		pdf.SetDrawColor(rr, gg, bb)
		pdf.SetFillColor(rr, gg, bb)
		pdf.SetLineWidth(0.5)
		prev := -1
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			if prev >= 0 {
				pdf.Line(px(prev), py(s.Values[prev]), px(i), py(v))
			}
			pdf.Circle(px(i), py(v), 0.7, "F")
			prev = i
		}
		// The legend sits in the title line, right of the title.
		pdf.SetTextColor(rr, gg, bb)
		pdf.SetFont(pdfFont, "B", 7.5)
		pdf.SetXY(right-float64(len(c.Series)-si)*24, y+0.8)
		pdf.CellFormat(24, 3.4, "— "+s.Name, "", 0, "R", false, 0, "")
	}
	pdf.SetTextColor(20, 20, 20)
	pdf.SetDrawColor(60, 60, 60)
	pdf.SetLineWidth(0.25)
}

// py0 is the height of value v on an axis from bottom (0) to top (ymax).
func py0(top, bottom, v, ymax float64) float64 { return bottom - v/ymax*(bottom-top) }
