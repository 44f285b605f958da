package hotspot

// The PDF's pointer to the HTML twin
//
// FPDF writes no tagged PDF (see internal/report/pdf_a11y.go and
// docs/barrierefreiheit.md). The Steckbrief and the portfolio exist as
// HTML too (FormatHTML), which screen readers read well; the PDF says so
// under its title, compact so that a Steckbrief stays one page.

// accessibleNote draws the note in a thin frame across the text width.
func (w *pdfW) accessibleNote(lang string) {
	p := w.pdf
	const pad, lineH = 1.6, 3.4
	text := t(lang, "a11y_note")
	w.font("", 7.5, pdfText)
	lines := p.SplitText(text, w.width()-2*pad)
	h := 2*pad + float64(len(lines))*lineH
	p.Ln(1)
	y := p.GetY()
	p.SetDrawColor(30, 30, 30)
	p.SetLineWidth(0.4)
	p.Rect(pdfMargin, y, w.width(), h, "D")
	for i, l := range lines {
		p.SetXY(pdfMargin+pad, y+pad+float64(i)*lineH)
		p.CellFormat(w.width()-2*pad, lineH, l, "", 0, "L", false, 0, "")
	}
	p.SetXY(pdfMargin, y+h+1)
}
