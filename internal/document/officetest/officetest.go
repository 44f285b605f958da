// Package officetest opens rendered OpenDocument files in a real office
// suite for tests: LibreOffice (`soffice --headless --convert-to pdf`,
// Debian's libreoffice-writer-nogui, installed by scripts/deps.sh test)
// converts them to PDF, and poppler's pdftotext reads the text back.
//
// Without soffice the tests skip, unless KICHECK_REQUIRE_SOFFICE=1 (set by
// `make test`, which CI runs) or CI is set: then they fail, so CI always
// opens the files for real.
package officetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// EnvRequire makes a missing soffice a failure instead of a skip.
const EnvRequire = "KICHECK_REQUIRE_SOFFICE"

// Required reports whether the tests must run the office suite.
func Required() bool { return os.Getenv(EnvRequire) == "1" || os.Getenv("CI") != "" }

// Soffice returns the path of soffice, skipping (or failing, where
// required) the test when there is none.
func Soffice(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("soffice")
	if err != nil {
		msg := "soffice not found: install libreoffice-writer-nogui (scripts/deps.sh test)"
		if Required() {
			t.Fatalf("%s (%s=1 or CI requires it)", msg, EnvRequire)
		}
		t.Skip(msg)
	}
	return p
}

// ToPDF converts the files (ODT) with one soffice run, each into a PDF
// beside it in outDir, with a private profile in a temp folder (never the
// user's), and returns the PDFs' paths in the same order.
func ToPDF(t testing.TB, outDir string, files ...string) []string {
	t.Helper()
	soffice := Soffice(t)
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	args := append([]string{"-env:UserInstallation=file://" + filepath.ToSlash(profile), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", outDir}, files...)
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdfs := make([]string, len(files))
	for i, f := range files {
		p := filepath.Join(outDir, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".pdf")
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Fatalf("soffice wrote no PDF for %s (%v):\n%s", f, err, out)
		}
		pdfs[i] = p
	}
	return pdfs
}

// Text is the text of a PDF (pdftotext, reading order).
func Text(t testing.TB, pdf string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	return string(out)
}

// Contains fails the test for each want that the text lacks (whitespace
// folded, since the PDF breaks lines where it likes).
func Contains(t testing.TB, name, text string, wants ...string) {
	t.Helper()
	folded := strings.Join(strings.Fields(text), " ")
	for _, w := range wants {
		if !strings.Contains(folded, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("%s: %q not found in the converted PDF", name, w)
		}
	}
}

// Page renders page n of a PDF as PNG at dpi (pdftoppm) into dir and
// returns the file.
func Page(t testing.TB, pdf string, n, dpi int, dir, name string) string {
	t.Helper()
	base := filepath.Join(dir, name)
	out, err := exec.Command("pdftoppm", "-png", "-r", fmt.Sprint(dpi), "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), "-singlefile", pdf, base).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	return base + ".png"
}
