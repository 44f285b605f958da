package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pdfTool runs a poppler tool on pdf and returns its output; poppler is
// a test dependency (scripts/deps.sh test), so a missing tool fails.
func pdfTool(t *testing.T, pdf []byte, tool string, args ...string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s not installed (poppler-utils; scripts/deps.sh test): %v", tool, err)
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, in)
	if tool == "pdftotext" {
		args = append(args, "-") // to stdout
	}
	out, err := exec.Command(p, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return string(out)
}

// The report PDF is not tagged (FPDF cannot); its first page names the
// HTML report beside it as the accessible version, in German and
// English, and its metadata carry the title and language.
func TestPDFNamesAccessibleHTML(t *testing.T) {
	_, r, _, _ := sample(t)
	f := Files{JSON: "/home/anna/Dokumente/kicheck-kc-x.json", Sig: "/home/anna/Dokumente/kicheck-kc-x.json.sig",
		PDF: "/home/anna/Dokumente/kicheck-kc-x.pdf", HTML: "/home/anna/Dokumente/kicheck-kc-x.html"}
	for _, tc := range []struct {
		lang, title, lng string
		want             []string
	}{
		{"de", "Barrierefreie Fassung", "de-DE", []string{"nicht getaggt", "HTML-Bericht", "kicheck-kc-x.html"}},
		{"en", "Accessible version", "en-GB", []string{"not tagged", "HTML report", "kicheck-kc-x.html"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			pdf, err := PDF(r, f, tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			first := pdfTool(t, pdf, "pdftotext", "-f", "1", "-l", "1")
			flat := strings.Join(strings.Fields(first), " ")
			for _, want := range append([]string{tc.title}, tc.want...) {
				if !strings.Contains(flat, want) {
					t.Errorf("first page lacks %q:\n%s", want, first)
				}
			}
			info := pdfTool(t, pdf, "pdfinfo")
			v := newView(r, f, tc.lang)
			if !regexp.MustCompile(`(?m)^Title:\s+` + regexp.QuoteMeta(v.Title) + `$`).MatchString(info) {
				t.Errorf("pdfinfo shows no Title %q:\n%s", v.Title, info)
			}
			if !regexp.MustCompile(`(?m)^Tagged:\s+no$`).MatchString(info) {
				t.Errorf("pdfinfo: want Tagged: no (the note would be wrong otherwise):\n%s", info)
			}
			if !strings.Contains(string(pdf), "/Lang ("+tc.lng+")") {
				t.Errorf("the catalog lacks /Lang (%s)", tc.lng)
			}
		})
	}
	// A PDF made for the screen, with no HTML beside it, says how to get one.
	pdf, err := PDF(r, Files{JSON: f.JSON, Sig: f.Sig}, "de")
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfTool(t, pdf, "pdftotext", "-f", "1", "-l", "1")), " ")
	if !strings.Contains(flat, "Bericht exportieren") || strings.Contains(flat, ".html") {
		t.Errorf("without an HTML file the note should point at the export, not a file:\n%s", flat)
	}
}
