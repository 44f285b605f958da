package document

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ki-reise/kicheck/internal/document/officetest"
)

// pdfInfo is poppler's pdfinfo of b (a test dependency).
func pdfInfo(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", p).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	return string(out)
}

// The PDF's first page points at ODT and Markdown as the accessible
// formats (German unless the caller gives the words), and pdfinfo shows
// the document's title.
func TestPDFNamesAccessibleFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		labels Labels
		want   []string
	}{
		{"default", Labels{}, []string{"Barrierefreie Fassung", "nicht getaggt", "ODT", "Markdown"}},
		{"given", Labels{}.WithAccessible("Accessible version", "Use the ODT file."), []string{"Accessible version", "Use the ODT file."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := sample()
			d.Meta.Labels = tc.labels
			b, err := d.PDF()
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), "d.pdf")
			os.WriteFile(p, b, 0o644)
			first, err := exec.Command("pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", p, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			officetest.Contains(t, "page 1", string(first), tc.want...)
			info := pdfInfo(t, b)
			if !regexp.MustCompile(`(?m)^Title:\s+` + regexp.QuoteMeta(d.Meta.Title) + `$`).MatchString(info) {
				t.Errorf("pdfinfo shows no Title %q:\n%s", d.Meta.Title, info)
			}
		})
	}
}
