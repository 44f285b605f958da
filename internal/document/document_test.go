package document

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/document/officetest"
	"github.com/ki-reise/kicheck/internal/golden"
)

func sample() *Document {
	d := New(Meta{Title: "KI-Richtlinie der Stadt Musterstadt", Subtitle: "Dienstanweisung", Version: "1.0",
		Date: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), Creator: "KI-Check test", Subject: "Test", Keywords: []string{"KI", "Richtlinie"}})
	d.TOC = true
	d.H(1, "Grundsätze")
	d.P("Der Mensch entscheidet. <b>Kein</b> Markup & keine *Sterne*.")
	d.H(2, "Werkzeuge")
	d.T([]string{"Werkzeug", "öffentlich", "personenbezogen"}, [][]string{
		{"Arbeitsplatz-PC", "erlaubt", "erlaubt mit Auflagen: nur nötige Angaben"},
		{"Cloud-Dienst ohne AVV", "erlaubt", "verboten | nie"},
	})
	d.L("Erster Punkt", "Zweiter Punkt")
	d.Small("Rechtsgrundlagen: Art. 28 DSGVO")
	return d
}

// TestODTPackage: the package is what ISO/IEC 26300 asks for: mimetype
// first and stored, every part well-formed XML, metadata and real
// heading styles with outline levels.
func TestODTPackage(t *testing.T) {
	b, err := sample().ODT()
	if err != nil {
		t.Fatal(err)
	}
	if string(b[30:38]) != "mimetype" || string(b[38:38+len(MimeODT)]) != MimeODT {
		t.Fatalf("mimetype is not the first, uncompressed entry: %q", b[:80])
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "mimetype" || zr.File[0].Method != zip.Store || len(zr.File[0].Extra) != 0 {
		t.Fatalf("first entry %+v", zr.File[0].FileHeader)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(data)
		if strings.HasSuffix(f.Name, ".xml") {
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s is not well-formed: %v", f.Name, err)
				}
			}
		}
	}
	for _, want := range []struct{ part, s string }{
		{"META-INF/manifest.xml", `manifest:full-path="content.xml"`},
		{"meta.xml", "<dc:title>KI-Richtlinie der Stadt Musterstadt</dc:title>"},
		{"meta.xml", "<dc:language>de-DE</dc:language>"},
		{"meta.xml", `<meta:user-defined meta:name="Version">1.0</meta:user-defined>`},
		{"meta.xml", "<dc:date>2026-12-04T00:00:00</dc:date>"},
		{"styles.xml", `style:name="Heading_20_1" style:display-name="Heading 1"`},
		{"styles.xml", `style:default-outline-level="2"`},
		{"content.xml", `<text:h text:style-name="Heading_20_1" text:outline-level="1">Grundsätze</text:h>`},
		{"content.xml", "<table:table-header-rows>"},
		{"content.xml", "&lt;b&gt;Kein&lt;/b&gt; Markup &amp; keine"},
		{"content.xml", "<text:table-of-content "},
	} {
		if !strings.Contains(parts[want.part], want.s) {
			t.Errorf("%s lacks %s", want.part, want.s)
		}
	}
	// Same document, same bytes.
	again, _ := sample().ODT()
	if !bytes.Equal(b, again) {
		t.Error("two renderings differ")
	}
}

func TestMarkdownGolden(t *testing.T) {
	golden.Check(t, "sample.md", sample().Markdown())
}

func TestPDFHasTextAndOutline(t *testing.T) {
	b, err := sample().PDF()
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%v %.10q", err, b)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "s.pdf")
	os.WriteFile(p, b, 0o644)
	text := officetest.Text(t, p)
	officetest.Contains(t, "pdf", text, "Grundsätze", "Cloud-Dienst ohne AVV", "Stand 04.12.2026", "erlaubt mit Auflagen")
	if !bytes.Contains(b, []byte("/Outlines")) {
		t.Error("no outline (bookmarks)")
	}
}

// TestODTOpensInLibreOffice: the real office suite converts it, and the
// heading and the table's text are in its PDF.
func TestODTOpensInLibreOffice(t *testing.T) {
	officetest.Soffice(t)
	dir := t.TempDir()
	b, _ := sample().ODT()
	p := filepath.Join(dir, "sample.odt")
	os.WriteFile(p, b, 0o644)
	pdf := officetest.ToPDF(t, dir, p)[0]
	officetest.Contains(t, "sample.odt", officetest.Text(t, pdf), "KI-Richtlinie der Stadt Musterstadt", "Grundsätze", "Werkzeuge",
		"Cloud-Dienst ohne AVV", "erlaubt mit Auflagen: nur nötige Angaben", "verboten | nie")
}

type fakeSigner struct{ err error }

func (f fakeSigner) Sign(data []byte) ([]byte, error) { return []byte("sig"), f.err }

func TestExportAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.md")
	w, err := Export(p, []byte("# x\n"), fakeSigner{})
	if err != nil || w.Sig != p+".sig" {
		t.Fatal(w, err)
	}
	if b, _ := os.ReadFile(w.Sig); string(b) != "sig" {
		t.Fatalf("sig %q", b)
	}
	// A folder that does not exist and one that cannot be written: a clear
	// error and no file at all.
	_, err = Export(filepath.Join(dir, "nope", "r.md"), []byte("x"), nil)
	var ee *ExportError
	if !errors.As(err, &ee) || ee.Hint() == "" || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("missing folder: %v", err)
	}
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o555)
	if os.Getuid() == 0 {
		// root writes anywhere: a file in place of the folder fails for root too.
		os.Remove(ro)
		os.WriteFile(ro, []byte("a file"), 0o444)
	}
	_, err = Export(filepath.Join(ro, "r.odt"), []byte("x"), fakeSigner{})
	if !errors.As(err, &ee) {
		t.Fatalf("unwritable folder: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".kicheck-export") {
			t.Errorf("temp file left: %s", e.Name())
		}
	}
	// A failing signer writes nothing (fault injected by the fake).
	p2 := filepath.Join(dir, "s.md")
	if _, err := Export(p2, []byte("x"), fakeSigner{err: errors.New("no key")}); err == nil {
		t.Fatal("signer error ignored")
	}
	if _, err := os.Stat(p2); !os.IsNotExist(err) {
		t.Error("document written without signature")
	}
}
