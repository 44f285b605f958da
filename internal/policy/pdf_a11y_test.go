package policy

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ki-reise/kicheck/internal/document/officetest"
)

// The policy's PDF names the accessible formats in the reader's language.
func TestPolicyPDFNamesAccessibleFormats(t *testing.T) {
	for lang, want := range map[string][]string{
		"de": {"Barrierefreie Fassung", "als ODT", "--format odt"},
		"en": {"Accessible version", "as ODT", "--format odt"},
	} {
		d, err := Muster().Render("dienstanweisung", lang, "")
		if err != nil {
			t.Fatal(err)
		}
		b, err := d.PDF()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "p.pdf")
		os.WriteFile(p, b, 0o644)
		first, err := exec.Command("pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		officetest.Contains(t, lang, string(first), want...)
	}
}
