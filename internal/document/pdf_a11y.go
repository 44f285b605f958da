package document

import "github.com/go-pdf/fpdf"

// The PDF's pointer to the accessible formats
//
// FPDF writes no tagged PDF (no structure tree, no marked content; see
// internal/report/pdf_a11y.go and docs/barrierefreiheit.md). The same
// document as ODT keeps its headings, lists and tables as structure that
// office suites and screen readers use, and Markdown is plain text; the
// PDF names them in a framed box on its first page.

// defaultAccessible is the note in German where the caller gave none.
const defaultAccessible = "Dieses PDF ist nicht getaggt und mit Bildschirmlesern nur eingeschränkt lesbar. " +
	"Barrierefrei ist dasselbe Dokument als ODT (Überschriften, Listen und Tabellen als Struktur) oder als Markdown: " +
	"beim Export das Format ODT oder Markdown wählen."

// WithAccessible sets the first page's note on the accessible formats.
func (l Labels) WithAccessible(title, text string) Labels {
	l.AccessibleTitle, l.Accessible = title, text
	return l
}

// NoteBox draws a framed box of the full text width with a bold heading
// and a paragraph in font, dark text on white, at the current position:
// the note on page 1 that names a PDF's accessible twin (this package's
// PDFs and the check report's).
func NoteBox(pdf *fpdf.Fpdf, x, width float64, font, title, text string) {
	const pad, lineH = 3.0, 4.8
	pdf.SetFont(font, "", 9.5)
	lines := pdf.SplitText(text, width-2*pad)
	h := 2*pad + 5.5 + float64(len(lines))*lineH
	y := pdf.GetY()
	pdf.SetDrawColor(30, 30, 30)
	pdf.SetLineWidth(0.5)
	pdf.SetFillColor(255, 255, 255)
	pdf.Rect(x, y, width, h, "FD")
	pdf.SetTextColor(20, 20, 20)
	pdf.SetXY(x+pad, y+pad)
	pdf.SetFont(font, "B", 10)
	pdf.CellFormat(width-2*pad, 5.5, title, "", 2, "L", false, 0, "")
	pdf.SetFont(font, "", 9.5)
	for _, ln := range lines {
		pdf.SetX(x + pad)
		pdf.CellFormat(width-2*pad, lineH, ln, "", 2, "L", false, 0, "")
	}
	pdf.SetY(y + h + 3)
}
