package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/ki-reise/kicheck/internal/document"
)

// Colours of the traffic lights and the chart bars (RGB).
var (
	colNotReady  = levelColour(LevelNotReady)
	colPredicted = [3]int{150, 180, 215}
	colMeasured  = [3]int{30, 80, 150}
	colCloud     = [3]int{220, 120, 40}
	colText      = [3]int{30, 30, 30}
	colMuted     = [3]int{100, 100, 100}
	colRule      = [3]int{200, 200, 200}
)

const (
	pageMargin = 18.0
	fontFamily = document.PDFFont
)

// PDF renders the report as an A4 PDF in lang (German unless "en"): the
// verdicts first (a traffic light and plain sentences each), then the
// speed chart, this workplace and the steps; on a new page, "Für die IT"
// with the technical figures and how to verify the signed JSON. f names
// the exported files.
func PDF(r *Report, f Files, lang string) ([]byte, error) {
	v := newView(r, f, lang)
	// Fixed dates make the PDF depend only on the report.
	pdf := document.NewPDF("P", pageMargin, 20, document.PDFInfo{Title: v.Title, Subject: v.Footer, Creator: "KI-Check " + r.App.Version,
		Lang: document.PDFLang(v.Lang), Created: r.Created})
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		setFont(pdf, "", 8, colMuted)
		pdf.CellFormat(0, 5, v.Footer, "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, strings.ReplaceAll(v.L["page"], "{{.Page}}", strconv.Itoa(pdf.PageNo())), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	w := &pdfWriter{pdf: pdf}
	w.header(v)
	title, note := accessibleNote(f, v.Lang)
	document.NoteBox(pdf, pageMargin, w.width(), fontFamily, title, note)
	w.overall(v)
	w.verdicts(v)
	if v.HasSpeed {
		w.speedChart(v, v.L["chart_title"], v.L["chart_note"], false)
		if v.HasCloud {
			w.speedChart(v, v.L["chart_cloud_title"], v.L["chart_cloud_note"], true)
		}
	}
	w.details(v)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render PDF: %w", err)
	}
	return buf.Bytes(), nil
}

type pdfWriter struct {
	pdf *fpdf.Fpdf
}

func setFont(pdf *fpdf.Fpdf, style string, size float64, c [3]int) {
	pdf.SetFont(fontFamily, style, size)
	pdf.SetTextColor(c[0], c[1], c[2])
}

func (w *pdfWriter) width() float64 {
	pw, _ := w.pdf.GetPageSize()
	return pw - 2*pageMargin
}

// ensure starts a new page when less than h mm are left.
func (w *pdfWriter) ensure(h float64) {
	_, ph := w.pdf.GetPageSize()
	if w.pdf.GetY()+h > ph-22 {
		w.pdf.AddPage()
	}
}

func (w *pdfWriter) heading(text string) {
	w.ensure(20)
	w.pdf.Ln(4)
	setFont(w.pdf, "B", 13, colText)
	w.pdf.CellFormat(0, 8, text, "", 1, "L", false, 0, "")
	y := w.pdf.GetY()
	w.pdf.SetDrawColor(colRule[0], colRule[1], colRule[2])
	w.pdf.SetLineWidth(0.3)
	w.pdf.Line(pageMargin, y, pageMargin+w.width(), y)
	w.pdf.Ln(2)
}

func (w *pdfWriter) header(v view) {
	setFont(w.pdf, "B", 20, colText)
	w.pdf.CellFormat(0, 10, v.Title, "", 1, "L", false, 0, "")
	setFont(w.pdf, "", 10, colMuted)
	w.pdf.CellFormat(0, 6, v.Subtitle, "", 1, "L", false, 0, "")
	w.pdf.Ln(3)
}

// overall draws the big traffic light with the overall level.
func (w *pdfWriter) overall(v view) {
	c := levelColour(v.Overall)
	x, y := pageMargin, w.pdf.GetY()
	boxH := 30.0
	if v.Incomplete != "" {
		boxH = 40
	}
	w.pdf.SetFillColor(245, 245, 245)
	w.pdf.SetDrawColor(c[0], c[1], c[2])
	w.pdf.SetLineWidth(0.8)
	w.pdf.RoundedRect(x, y, w.width(), boxH, 3, "1234", "FD")
	w.trafficLight(x+12, y+15, 9, v.Overall)
	w.pdf.SetXY(x+27, y+4)
	setFont(w.pdf, "B", 16, c)
	w.pdf.CellFormat(w.width()-30, 9, v.L["overall_heading"]+": "+v.OverallLabel, "", 2, "L", false, 0, "")
	setFont(w.pdf, "", 10.5, colText)
	w.pdf.SetX(x + 27)
	w.pdf.MultiCell(w.width()-31, 5.2, v.OverallSentence, "", "L", false)
	if v.Incomplete != "" {
		w.pdf.SetX(x + 27)
		setFont(w.pdf, "", 9.5, colNotReady)
		w.pdf.MultiCell(w.width()-31, 4.8, v.Incomplete, "", "L", false)
	}
	w.pdf.SetY(y + boxH + 3)
}

// trafficLight draws a filled circle in the level's colour with a ring.
func (w *pdfWriter) trafficLight(cx, cy, r float64, level string) {
	c := levelColour(level)
	w.pdf.SetFillColor(c[0], c[1], c[2])
	w.pdf.SetDrawColor(60, 60, 60)
	w.pdf.SetLineWidth(0.3)
	w.pdf.Circle(cx, cy, r, "FD")
}

func (w *pdfWriter) verdicts(v view) {
	w.heading(v.L["results"])
	if len(v.Verdicts) == 0 {
		setFont(w.pdf, "", 10, colMuted)
		w.pdf.MultiCell(0, 5, v.L["no_verdicts"], "", "L", false)
		return
	}
	for _, vd := range v.Verdicts {
		w.ensure(16)
		y := w.pdf.GetY()
		w.trafficLight(pageMargin+4, y+4, 3, vd.Level)
		w.pdf.SetXY(pageMargin+11, y)
		setFont(w.pdf, "B", 10.5, colText)
		w.pdf.CellFormat(w.width()-11, 6, vd.Subject+": "+vd.LevelLabel, "", 2, "L", false, 0, "")
		w.pdf.SetX(pageMargin + 11)
		setFont(w.pdf, "", 10, colText)
		w.pdf.MultiCell(w.width()-11, 5, vd.Reason, "", "L", false)
		w.pdf.Ln(2)
	}
}

// speedChart draws horizontal bars per verdict: predicted and measured,
// or (cloud=true) measured here and in the cloud.
func (w *pdfWriter) speedChart(v view, title, note string, cloud bool) {
	rows := v.Speed
	if cloud {
		rows = nil
		for _, r := range v.Speed {
			if r.Cloud >= 0 {
				rows = append(rows, r)
			}
		}
	}
	type series struct {
		name string
		col  [3]int
		get  func(speedRow) float64
	}
	ss := []series{
		{v.L["series_predicted"], colPredicted, func(r speedRow) float64 { return r.Predicted }},
		{v.L["series_measured"], colMeasured, func(r speedRow) float64 { return r.Measured }},
	}
	if cloud {
		ss = []series{
			{v.L["series_here"], colMeasured, func(r speedRow) float64 { return r.Measured }},
			{v.L["series_cloud"], colCloud, func(r speedRow) float64 { return r.Cloud }},
		}
	}
	maxV := 0.0
	for _, r := range rows {
		for _, s := range ss {
			maxV = max(maxV, s.get(r))
		}
	}
	if maxV <= 0 {
		return
	}
	barH, gap := 4.5, 4.0
	labelW := 52.0
	plotW := w.width() - labelW - 18
	need := float64(len(rows))*(float64(len(ss))*barH+gap) + 45
	w.ensure(need)
	w.heading(title)
	setFont(w.pdf, "", 9, colMuted)
	w.pdf.MultiCell(0, 4.5, note, "", "L", false)
	w.pdf.Ln(1)
	// Legend.
	lx := pageMargin + labelW
	ly := w.pdf.GetY()
	for _, s := range ss {
		w.pdf.SetFillColor(s.col[0], s.col[1], s.col[2])
		w.pdf.Rect(lx, ly+1, 4, 3, "F")
		setFont(w.pdf, "", 8.5, colText)
		w.pdf.SetXY(lx+5, ly)
		w.pdf.CellFormat(30, 5, s.name, "", 0, "L", false, 0, "")
		lx += 32
	}
	w.pdf.SetY(ly + 7)
	x0 := pageMargin + labelW
	top := w.pdf.GetY()
	scale := plotW / (maxV * 1.05)
	for _, r := range rows {
		y := w.pdf.GetY()
		setFont(w.pdf, "", 8.5, colText)
		w.pdf.SetXY(pageMargin, y)
		// Up to two lines, right-aligned beside the bars; longer text ends in "…".
		lines := w.pdf.SplitText(r.Label, labelW-3)
		if len(lines) > 2 {
			last := []rune(lines[1])
			for len(last) > 1 && w.pdf.GetStringWidth(string(last)+"…") > labelW-3 {
				last = last[:len(last)-1]
			}
			lines = []string{lines[0], string(last) + "…"}
		}
		blockH := float64(len(ss)) * barH
		lineH := 3.6
		top := y + (blockH-float64(len(lines))*lineH)/2
		for li, line := range lines {
			w.pdf.SetXY(pageMargin, top+float64(li)*lineH)
			w.pdf.CellFormat(labelW-3, lineH, line, "", 0, "R", false, 0, "")
		}
		for i, s := range ss {
			val := s.get(r)
			by := y + float64(i)*barH
			w.pdf.SetXY(x0, by)
			if val < 0 {
				setFont(w.pdf, "", 7.5, colMuted)
				w.pdf.CellFormat(40, barH, v.L["not_measured"], "", 0, "L", false, 0, "")
				continue
			}
			w.pdf.SetFillColor(s.col[0], s.col[1], s.col[2])
			bw := max(val*scale, 0.4)
			w.pdf.Rect(x0, by+0.4, bw, barH-0.8, "F")
			setFont(w.pdf, "", 7.5, colText)
			w.pdf.SetXY(x0+bw+1, by)
			w.pdf.CellFormat(18, barH, formatSecs(val, v.Lang), "", 0, "L", false, 0, "")
		}
		w.pdf.SetY(y + float64(len(ss))*barH + gap)
	}
	// Axis.
	bottom := w.pdf.GetY() - gap/2
	w.pdf.SetDrawColor(120, 120, 120)
	w.pdf.SetLineWidth(0.2)
	w.pdf.Line(x0, top-1, x0, bottom)
	w.pdf.Line(x0, bottom, x0+plotW, bottom)
	setFont(w.pdf, "", 7.5, colMuted)
	for _, t := range ticks(maxV * 1.05) {
		tx := x0 + t*scale
		w.pdf.Line(tx, bottom, tx, bottom+1)
		w.pdf.SetXY(tx-8, bottom+1)
		w.pdf.CellFormat(16, 4, formatTick(t, v.Lang), "", 0, "C", false, 0, "")
	}
	w.pdf.SetXY(x0, bottom+5)
	w.pdf.CellFormat(plotW, 4, v.L["chart_axis"], "", 1, "C", false, 0, "")
	w.pdf.Ln(2)
}

// ticks returns 3–6 round axis values from 0 to below hi.
func ticks(hi float64) []float64 {
	step := 1.0
	for _, s := range []float64{0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000} {
		step = s
		if hi/s <= 6 {
			break
		}
	}
	var out []float64
	for t := 0.0; t <= hi+1e-9; t += step {
		out = append(out, t)
	}
	return out
}

func (w *pdfWriter) table(rows [][2]string) {
	keyW := 52.0
	for _, row := range rows {
		w.ensure(6)
		y := w.pdf.GetY()
		setFont(w.pdf, "", 9.5, colMuted)
		w.pdf.SetXY(pageMargin, y)
		w.pdf.MultiCell(keyW, 5, row[0], "", "L", false)
		yKey := w.pdf.GetY()
		setFont(w.pdf, "", 9.5, colText)
		w.pdf.SetXY(pageMargin+keyW, y)
		w.pdf.MultiCell(w.width()-keyW, 5, row[1], "", "L", false)
		w.pdf.SetY(max(w.pdf.GetY(), yKey) + 0.8)
	}
}

func (w *pdfWriter) details(v view) {
	for _, g := range v.Extra {
		w.heading(g.Title)
		w.table(g.Rows)
	}
	w.heading(v.L["workplace"])
	w.table(v.Workplace)
	if len(v.Steps) > 0 {
		w.heading(v.L["steps"])
		rows := make([][2]string, len(v.Steps))
		for i, s := range v.Steps {
			rows[i] = [2]string{s[0], s[1] + " (" + s[2] + ")"}
		}
		w.table(rows)
	}
	// Everything technical on its own page, for IT.
	w.pdf.AddPage()
	setFont(w.pdf, "B", 15, colText)
	w.pdf.CellFormat(0, 9, v.L["for_it"], "", 1, "L", false, 0, "")
	setFont(w.pdf, "", 9.5, colMuted)
	w.pdf.MultiCell(0, 5, v.L["for_it_intro"], "", "L", false)
	for _, g := range v.IT {
		w.heading(g.Title)
		w.table(g.Rows)
	}
	w.heading(v.L["it_signed"])
	setFont(w.pdf, "", 9.5, colText)
	w.pdf.MultiCell(0, 5, v.L["it_signed_intro"], "", "L", false)
	w.pdf.Ln(1)
	rows := [][2]string{}
	if v.JSONPath != "" {
		rows = append(rows, [2]string{v.L["it_json"], v.JSONPath}, [2]string{v.L["it_sig"], v.SigPath})
	}
	rows = append(rows, [2]string{v.L["it_verify_kicheck"], v.KicheckVerify}, [2]string{v.L["it_verify_ssh"], v.VerifyCommand})
	w.table(rows)
}
