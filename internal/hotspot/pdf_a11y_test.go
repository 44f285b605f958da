package hotspot

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A Steckbrief's and the portfolio's PDF say on their first page that the
// HTML export is the accessible version; a Steckbrief stays one page.
func TestPDFNamesAccessibleHTML(t *testing.T) {
	pf, cat := samplePortfolio(t)
	for lang, want := range map[string]string{"de": "Barrierefreie Fassung", "en": "Accessible version"} {
		m := testMeta
		m.Lang = lang
		id := pf.Hotspots[0].Process.ID
		one, err := SteckbriefPDF(&pf, id, cat, m)
		if err != nil {
			t.Fatal(err)
		}
		all, err := PortfolioPDF(&pf, cat, m)
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{"Steckbrief": one, "portfolio": all} {
			p := filepath.Join(t.TempDir(), "h.pdf")
			os.WriteFile(p, b, 0o644)
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", p, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext (poppler-utils, scripts/deps.sh test): %v", err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, w := range []string{want, "HTML", "--format html"} {
				if !strings.Contains(text, w) {
					t.Errorf("%s %s: page 1 lacks %q", lang, name, w)
				}
			}
		}
		if n := bytes.Count(one, []byte("/Type /Page\n")); n != 1 {
			t.Errorf("%s: the Steckbrief with the note has %d pages, want 1", lang, n)
		}
	}
}
