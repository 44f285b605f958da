package hotspot

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/ki-reise/kicheck/internal/document"
)

const (
	pdfMargin = 13.0
	pdfFont   = document.PDFFont
)

var (
	pdfText  = [3]int{30, 30, 30}
	pdfMuted = [3]int{100, 100, 100}
	pdfRule  = [3]int{200, 200, 200}
	pdfNo    = [3]int{160, 48, 48}
)

func newPDF(title string, created time.Time, lang string) *fpdf.Fpdf {
	return document.NewPDF("P", pdfMargin, 8, document.PDFInfo{Title: title, Creator: "KI-Check", Lang: document.PDFLang(lang), Created: created})
}

// SteckbriefPDF renders one hotspot's Steckbrief as a one-page A4 PDF.
func SteckbriefPDF(pf *Portfolio, id string, cat *Catalogue, m Meta) ([]byte, error) {
	h, ok := pf.Get(id)
	if !ok {
		return nil, fmt.Errorf("steckbrief %q: %w", id, ErrNotFound)
	}
	pdf := newPDF(h.Process.Name, m.Created, m.Lang)
	w := &pdfW{pdf: pdf}
	w.steckbrief(steckbrief(*h, pf, cat, m), true)
	return output(pdf)
}

// PortfolioPDF renders the matrix and the ranked list on the first page
// and every Steckbrief on a page of its own.
func PortfolioPDF(pf *Portfolio, cat *Catalogue, m Meta) ([]byte, error) {
	title := t(m.Lang, "portfolio.title", "Kommune", m.kommune())
	pdf := newPDF(title, m.Created, m.Lang)
	w := &pdfW{pdf: pdf}
	pdf.AddPage()
	w.font("B", 16, pdfText)
	pdf.MultiCell(0, 8, title, "", "L", false)
	w.font("", 8.5, pdfMuted)
	pdf.MultiCell(0, 4, t(m.Lang, "portfolio.intro", "Threshold", dec1(pf.BenefitThreshold), "FThreshold", dec0(pf.FeasibilityThreshold), "Stand", pf.LegalStand), "", "L", false)
	w.accessibleNote(m.Lang)
	w.matrix(newMatrix(pf, m.Lang))
	w.ranking(pf, m.Lang)
	for _, h := range pf.Hotspots {
		w.steckbrief(steckbrief(h, pf, cat, m), false)
	}
	return output(pdf)
}

func output(pdf *fpdf.Fpdf) ([]byte, error) {
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render PDF: %w", err)
	}
	return buf.Bytes(), nil
}

type pdfW struct{ pdf *fpdf.Fpdf }

func (w *pdfW) font(style string, size float64, c [3]int) {
	w.pdf.SetFont(pdfFont, style, size)
	w.pdf.SetTextColor(c[0], c[1], c[2])
}

func (w *pdfW) width() float64 {
	pw, _ := w.pdf.GetPageSize()
	return pw - 2*pdfMargin
}

func (w *pdfW) heading(s string) {
	w.pdf.Ln(0.8)
	w.font("B", 9.5, pdfText)
	w.pdf.CellFormat(0, 4.6, s, "", 1, "L", false, 0, "")
	y := w.pdf.GetY()
	w.pdf.SetDrawColor(pdfRule[0], pdfRule[1], pdfRule[2])
	w.pdf.SetLineWidth(0.2)
	w.pdf.Line(pdfMargin, y, pdfMargin+w.width(), y)
	w.pdf.Ln(0.8)
}

// rows writes label/value pairs in two columns.
func (w *pdfW) rows(rows [][2]string, label float64, c [3]int) {
	for _, r := range rows {
		y := w.pdf.GetY()
		w.font("", 7.5, pdfMuted)
		w.pdf.MultiCell(label, 3.3, r[0], "", "L", false)
		y1 := w.pdf.GetY()
		w.pdf.SetXY(pdfMargin+label, y)
		w.font("", 7.5, c)
		w.pdf.MultiCell(w.width()-label, 3.3, r[1], "", "L", false)
		if y1 > w.pdf.GetY() {
			w.pdf.SetY(y1)
		}
	}
}

func (w *pdfW) list(items []string, size float64, c [3]int, numbered bool) {
	for i, it := range items {
		mark := "•"
		if numbered {
			mark = fmt.Sprintf("%d.", i+1)
		}
		w.font("", size, c)
		// Start a new page before an item that does not fit, so the
		// mark and its text stay together.
		h := float64(len(w.pdf.SplitText(it, w.width()-4))) * size * 0.42
		if _, ph := w.pdf.GetPageSize(); w.pdf.GetY()+h > ph-8 {
			w.pdf.AddPage()
		}
		y := w.pdf.GetY()
		w.pdf.SetXY(pdfMargin, y)
		w.pdf.CellFormat(4, size*0.47, mark, "", 0, "L", false, 0, "")
		w.pdf.SetXY(pdfMargin+4, y)
		w.pdf.MultiCell(w.width()-4, size*0.42, it, "", "L", false)
	}
}

// steckbrief draws one Steckbrief on a new page; note puts the pointer
// to the HTML version under its title (a Steckbrief on its own).
func (w *pdfW) steckbrief(v sbView, note bool) {
	p := w.pdf
	p.AddPage()
	// The class as a coloured label, top right, then the title beside it.
	const box = 34.0
	p.SetFillColor(v.Class[0], v.Class[1], v.Class[2])
	w.font("B", 8, [3]int{255, 255, 255})
	p.SetXY(pdfMargin+w.width()-box, pdfMargin)
	p.CellFormat(box, 6, v.ClassShort, "", 0, "C", true, 0, "")
	p.SetXY(pdfMargin, pdfMargin)
	w.font("B", 14, pdfText)
	p.MultiCell(w.width()-box-3, 6, v.Title, "", "L", false)
	w.font("", 8, pdfMuted)
	p.MultiCell(0, 4, v.Sub, "", "L", false)
	if note {
		w.accessibleNote(v.Lang)
	}

	w.heading(v.H["task"])
	w.font("", 7.5, pdfText)
	p.MultiCell(0, 3.6, v.TaskText, "", "L", false)
	if len(v.Steps) > 0 {
		w.font("", 7.5, pdfMuted)
		p.MultiCell(0, 3.6, v.H["steps"]+":", "", "L", false)
		w.list(v.Steps, 7.5, pdfText, true)
	}
	w.heading(v.H["recommendation"])
	w.rows(v.Facts, 45, pdfText)
	for _, pl := range v.Places {
		c := pdfText
		if !pl.Allowed {
			c = pdfNo
		}
		w.rows([][2]string{{pl.Label, pl.Text}}, 45, c)
	}
	w.heading(v.H["benefit"])
	w.rows(v.Benefit, 45, pdfText)
	w.list(v.Trace, 7, pdfMuted, false)
	w.heading(v.H["feasibility"])
	for _, r := range v.Parts {
		w.rows([][2]string{{r[0], r[1] + " – " + r[2]}}, 45, pdfText)
	}
	w.heading(v.H["legal"])
	w.rows(v.Legal, 45, pdfText)
	w.font("B", 7.5, pdfText)
	p.CellFormat(0, 4, v.H["basis"], "", 1, "L", false, 0, "")
	w.list(v.Basis, 7, pdfText, false)
	w.font("B", 7.5, pdfText)
	p.CellFormat(0, 4, v.H["duties"], "", 1, "L", false, 0, "")
	w.list(v.Duties, 6.0, pdfText, false)
	if len(v.Notes) > 0 {
		w.font("B", 7.5, pdfText)
		p.CellFormat(0, 4, v.H["notes"], "", 1, "L", false, 0, "")
		w.list(v.Notes, 5.8, pdfMuted, false)
	}
	w.heading(v.H["next"])
	w.list(v.Next, 7.5, pdfText, true)
	w.font("", 6.5, pdfMuted)
	p.Ln(1)
	p.MultiCell(0, 3, v.Footer, "", "L", false)
}

// matrix draws the chart in mm: the SVG's 720 units map to the width.
func (w *pdfW) matrix(m matrix) {
	p := w.pdf
	s := w.width() / m.W
	x0, y0 := pdfMargin, p.GetY()+2
	X := func(v float64) float64 { return x0 + v*s }
	Y := func(v float64) float64 { return y0 + v*s }
	w.font("B", 10, pdfText)
	p.SetXY(pdfMargin, y0)
	p.CellFormat(0, 5, m.Title, "", 1, "L", false, 0, "")
	y0 += 4
	p.SetDrawColor(187, 187, 187)
	p.SetFillColor(250, 250, 250)
	p.SetLineWidth(0.2)
	p.Rect(X(m.X0), Y(m.Top), m.PW*s, m.PH*s, "FD")
	p.SetDrawColor(150, 150, 150)
	p.SetDashPattern([]float64{1.2, 0.9}, 0)
	p.Line(X(m.ThresholdX), Y(m.Top), X(m.ThresholdX), Y(m.Y0))
	p.Line(X(m.X0), Y(m.ThresholdY), X(m.X0+m.PW), Y(m.ThresholdY))
	p.SetDashPattern(nil, 0)
	w.font("", 6.5, [3]int{136, 136, 136})
	for _, q := range m.Quadrants {
		align := "L"
		x := X(q.X)
		if q.X > 300 {
			align, x = "R", x-40
		}
		p.SetXY(x, Y(q.Y)-3)
		p.CellFormat(40, 3, q.Label, "", 0, align, false, 0, "")
	}
	w.font("", 6.5, pdfText)
	for _, tk := range m.YTicks {
		p.SetXY(X(tk.X)-16, Y(tk.Y)-1.5)
		p.CellFormat(15, 3, tk.Label, "", 0, "R", false, 0, "")
	}
	for _, tk := range m.XTicks {
		p.SetXY(X(tk.X)-5, Y(tk.Y)+1)
		p.CellFormat(10, 3, tk.Label, "", 0, "C", false, 0, "")
	}
	p.SetAlpha(0.7, "Normal")
	for _, b := range m.Bubbles {
		p.SetFillColor(b.RGB[0], b.RGB[1], b.RGB[2])
		p.SetDrawColor(50, 50, 50)
		p.Circle(X(b.X), Y(b.Y), b.R*s, "FD")
	}
	p.SetAlpha(1, "Normal")
	w.font("B", 6.5, pdfText)
	for _, b := range m.Bubbles {
		p.SetXY(X(b.X)-4, Y(b.Y)-1.5)
		p.CellFormat(8, 3, b.Label, "", 0, "C", false, 0, "")
	}
	w.font("", 7.5, pdfText)
	p.SetXY(X(m.X0), Y(m.Y0)+5)
	p.CellFormat(m.PW*s, 4, m.XLabel, "", 0, "R", false, 0, "")
	// The y label, rotated: drawn from the pivot rightwards, then turned
	// up (fpdf reads a negative x as "from the right", so no cell may
	// start left of the page).
	px, py := X(10), Y(m.Top+m.PH/2)+30
	p.TransformBegin()
	p.TransformRotate(90, px, py)
	p.SetXY(px, py-2)
	p.CellFormat(60, 4, m.YLabel, "", 0, "C", false, 0, "")
	p.TransformEnd()
	for _, l := range m.Legend {
		p.SetFillColor(l.RGB[0], l.RGB[1], l.RGB[2])
		p.Rect(X(l.X), Y(m.Y0+48), 14*s, 10*s, "F")
		p.SetXY(X(l.X+18), Y(m.Y0+48)-0.5)
		p.CellFormat(40, 3.5, l.Label, "", 0, "L", false, 0, "")
	}
	p.SetY(Y(m.H) + 2)
}

func (w *pdfW) ranking(pf *Portfolio, lang string) {
	p := w.pdf
	w.heading(t(lang, "portfolio.ranking"))
	cols := []struct {
		key   string
		width float64
		align string
	}{{"rank", 8, "R"}, {"process", 56, "L"}, {"unit", 22, "L"}, {"hours", 16, "R"}, {"eur", 16, "R"}, {"feasibility", 14, "R"}, {"class", 24, "L"}, {"quadrant", 26, "L"}}
	w.font("B", 6.5, pdfText)
	for _, c := range cols {
		p.CellFormat(c.width, 4, t(lang, "portfolio."+c.key), "B", 0, c.align, false, 0, "")
	}
	p.Ln(-1)
	w.font("", 6.5, pdfText)
	for _, r := range rankRows(pf, lang) {
		vals := []string{fmt.Sprint(r.Rank), r.Name, r.Unit, r.Hours, r.EUR, r.Feas, r.Class, r.Quadrant}
		for i, c := range cols {
			s := vals[i]
			for p.GetStringWidth(s) > c.width-1 && len([]rune(s)) > 3 {
				rs := []rune(s)
				s = string(rs[:len(rs)-2]) + "…"
			}
			p.CellFormat(c.width, 3.6, s, "", 0, c.align, false, 0, "")
		}
		p.Ln(-1)
	}
}
