package document

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/ki-reise/kicheck/assets"
)

const (
	pdfMargin = 20.0
	pdfFont   = PDFFont
)

// PDFFont is the family under which NewPDF adds the DejaVu fonts.
const PDFFont = "DejaVu"

// PDFInfo is what NewPDF writes into a PDF's document information.
type PDFInfo struct {
	Title, Subject, Creator string
	Lang                    string    // BCP 47 ("de-DE"); PDFLang gives it for a KI-Check language
	Created                 time.Time // creation and modification date; zero: none
}

// PDFLang is the PDF language tag of a KI-Check language: "en-GB" for
// "en", else "de-DE".
func PDFLang(lang string) string {
	if lang == "en" {
		return "en-GB"
	}
	return "de-DE"
}

// NewPDF starts an A4 PDF (orientation "P" portrait, "L" landscape) in
// mm, with margin on every side, automatic page breaks bottom above the
// page's foot, the reports' DejaVu fonts (regular and bold) as PDFFont and
// info set. Fixed dates and a sorted catalogue make the file depend only
// on what is drawn.
func NewPDF(orientation string, margin, bottom float64, info PDFInfo) *fpdf.Fpdf {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, bottom)
	pdf.AddUTF8FontFromBytes(PDFFont, "", assets.FontSans)
	pdf.AddUTF8FontFromBytes(PDFFont, "B", assets.FontSansBold)
	pdf.SetTitle(info.Title, true)
	pdf.SetSubject(info.Subject, true)
	pdf.SetCreator(info.Creator, true)
	pdf.SetLang(info.Lang)
	if !info.Created.IsZero() {
		pdf.SetCreationDate(info.Created)
		pdf.SetModificationDate(info.Created)
	}
	pdf.SetCatalogSort(true)
	return pdf
}

// PDF writes the document as an A4 PDF with the DejaVu fonts the reports
// use; headings become outline bookmarks (the PDF's table of contents),
// tables real grids whose rows grow with their text.
func (d *Document) PDF() ([]byte, error) {
	m := d.Meta
	pdf := NewPDF("P", pdfMargin, 20, PDFInfo{Title: m.Title, Subject: m.Subject, Creator: m.Creator, Lang: m.Language, Created: m.Date})
	pdf.SetKeywords(strings.Join(m.Keywords, ", "), true)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont(pdfFont, "", 8)
		pdf.SetTextColor(110, 110, 110)
		foot := m.Title
		if line := m.metaLine(); line != "" {
			foot += " · " + line
		}
		pdf.CellFormat(0, 5, foot, "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, fmt.Sprintf("%s %d", m.labels().Page, pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	width, _ := pdf.GetPageSize()
	width -= 2 * pdfMargin

	pdf.SetTextColor(20, 20, 20)
	pdf.SetFont(pdfFont, "B", 20)
	pdf.MultiCell(0, 9, m.Title, "", "L", false)
	if m.Subtitle != "" {
		pdf.SetFont(pdfFont, "", 13)
		pdf.MultiCell(0, 7, m.Subtitle, "", "L", false)
	}
	if line := m.metaLine(); line != "" {
		pdf.SetFont(pdfFont, "", 10)
		pdf.MultiCell(0, 6, line, "", "L", false)
	}
	pdf.Ln(2)
	l := m.labels()
	NoteBox(pdf, pdfMargin, width, pdfFont, l.AccessibleTitle, l.Accessible)
	if d.TOC {
		pdf.SetFont(pdfFont, "B", 13)
		pdf.MultiCell(0, 7, m.labels().Contents, "", "L", false)
		pdf.SetFont(pdfFont, "", 10)
		for _, bl := range d.Blocks {
			if bl.Kind == Heading && bl.Level <= 2 {
				pdf.SetX(pdfMargin + float64(bl.Level-1)*5)
				pdf.MultiCell(width-float64(bl.Level-1)*5, 5.2, bl.Text, "", "L", false)
			}
		}
		pdf.Ln(3)
	}
	for _, bl := range d.Blocks {
		switch bl.Kind {
		case Heading:
			size := map[int]float64{1: 15, 2: 12.5, 3: 11}[bl.Level]
			_, pageH := pdf.GetPageSize()
			if pdf.GetY() > pageH-50 {
				pdf.AddPage()
			}
			pdf.Ln(map[int]float64{1: 4, 2: 2.5, 3: 1.5}[bl.Level])
			pdf.Bookmark(bl.Text, bl.Level-1, -1)
			pdf.SetFont(pdfFont, "B", size)
			pdf.MultiCell(0, size*0.5, bl.Text, "", "L", false)
			pdf.Ln(1)
		case Paragraph:
			pdf.SetFont(pdfFont, "", 10.5)
			pdf.MultiCell(0, 5.2, fold(bl.Text), "", "L", false)
			pdf.Ln(1.5)
		case Note:
			pdf.SetFont(pdfFont, "", 8.5)
			pdf.SetTextColor(90, 90, 90)
			pdf.MultiCell(0, 4.3, fold(bl.Text), "", "L", false)
			pdf.SetTextColor(20, 20, 20)
			pdf.Ln(1.5)
		case List:
			pdf.SetFont(pdfFont, "", 10.5)
			for _, it := range bl.Items {
				pdf.SetX(pdfMargin + 2)
				pdf.CellFormat(4, 5.2, "•", "", 0, "L", false, 0, "")
				pdf.MultiCell(width-6, 5.2, fold(it), "", "L", false)
			}
			pdf.Ln(1.5)
		case Table:
			PDFTable(pdf, width, TableStyle{Font: pdfFont, Size: 8.5, LineH: 4, Pad: 1.2, Align: "L", SpreadByText: true}, bl.Header, bl.Rows)
			pdf.Ln(3)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	return buf.Bytes(), nil
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// TableStyle is the look of a table PDFTable draws.
type TableStyle struct {
	Font             string  // font family, already added to the PDF
	Size, LineH, Pad float64 // font size (pt), line height and cell padding (mm)
	Align            string  // the cells' text: "L" or "R"
	// SpreadByText gives the width beyond each column's longest word to
	// the columns with the most text; otherwise every column grows in
	// proportion to its longest word.
	SpreadByText bool
}

// PDFTable draws a table width wide at the left margin: a bold header on
// grey, grid lines, and rows as high as their text wrapped at the column
// width. A column is at least as wide as its longest word (all are scaled
// down together where they do not fit; long words then wrap). The header
// repeats on every new page, which starts at the PDF's page-break margin.
func PDFTable(pdf *fpdf.Fpdf, width float64, st TableStyle, header []string, rows [][]string) {
	n := len(header)
	if n == 0 {
		return
	}
	pad := st.Pad
	pdf.SetFont(st.Font, "", st.Size)
	need := make([]float64, n)
	weight := make([]float64, n)
	for _, row := range append([][]string{header}, rows...) {
		for i, c := range row {
			for _, w := range strings.Fields(c) {
				need[i] = max(need[i], pdf.GetStringWidth(w)+2*pad+0.5)
			}
			weight[i] += pdf.GetStringWidth(c) + 1
		}
	}
	var sumNeed, sumWeight float64
	for i := range need {
		sumNeed += need[i]
		sumWeight += weight[i]
	}
	widths := make([]float64, n)
	for i := range widths {
		if st.SpreadByText && sumNeed <= width {
			widths[i] = need[i] + (width-sumNeed)*weight[i]/max(sumWeight, 1)
		} else {
			widths[i] = need[i] * width / sumNeed
		}
	}
	left, _, _, _ := pdf.GetMargins()
	_, bottom := pdf.GetAutoPageBreak()
	var draw func(row []string, head bool)
	draw = func(row []string, head bool) {
		style := ""
		if head {
			style = "B"
		}
		pdf.SetFont(st.Font, style, st.Size)
		lines := make([][]string, n)
		h := 0.0
		for i, c := range row {
			lines[i] = pdf.SplitText(fold(c), widths[i]-2*pad)
			if len(lines[i]) == 0 {
				lines[i] = []string{""}
			}
			h = max(h, float64(len(lines[i]))*st.LineH+2*pad)
		}
		_, pageH := pdf.GetPageSize()
		if pdf.GetY()+h > pageH-bottom {
			pdf.AddPage()
			if !head {
				draw(header, true)
				pdf.SetFont(st.Font, "", st.Size)
			}
		}
		x, y := left, pdf.GetY()
		for i := range row {
			if head {
				pdf.SetFillColor(230, 230, 230)
				pdf.Rect(x, y, widths[i], h, "FD")
			} else {
				pdf.Rect(x, y, widths[i], h, "D")
			}
			for j, l := range lines[i] {
				pdf.SetXY(x+pad, y+pad+float64(j)*st.LineH)
				pdf.CellFormat(widths[i]-2*pad, st.LineH, l, "", 0, st.Align, false, 0, "")
			}
			x += widths[i]
		}
		pdf.SetXY(left, y+h)
	}
	pdf.SetDrawColor(128, 128, 128)
	pdf.SetLineWidth(0.2)
	pdf.SetTextColor(20, 20, 20)
	draw(header, true)
	for _, r := range rows {
		draw(r, false)
	}
}
