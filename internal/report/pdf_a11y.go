package report

import (
	"path/filepath"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// The PDF's pointer to its accessible twin
//
// FPDF (github.com/go-pdf/fpdf v0.9.0, its last release, September 2023)
// writes no structure tree, no marked content and no viewer preferences,
// and its catalog and page dictionaries cannot be extended from outside,
// so the report PDF cannot be a tagged PDF (PDF/UA-1); no maintained Go
// library writes one (see docs/barrierefreiheit.md, "PDF"). The HTML
// report, written beside the PDF on every export, is the accessible
// version (axe-core: 0 violations). The PDF says so on its first page,
// in a framed box under the title, naming the HTML file.

// accessibleNote is the box's heading and text in lang: the HTML file's
// name when one is written beside the PDF, else how to get one.
func accessibleNote(f Files, lang string) (title, text string) {
	title = i18n.T(lang, "document.a11y_note_title")
	if f.HTML != "" {
		return title, i18n.T(lang, "report.a11y_note_html", map[string]any{"File": filepath.Base(f.HTML)})
	}
	return title, i18n.T(lang, "report.a11y_note_export")
}
