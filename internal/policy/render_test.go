package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/document/officetest"
	"github.com/ki-reise/kicheck/internal/golden"
)

func TestRenderVariants(t *testing.T) {
	p := Muster()
	for _, v := range Variants {
		d, err := p.Render(v, "de", "KI-Check test")
		if err != nil {
			t.Fatal(err)
		}
		md := string(d.Markdown())
		for _, c := range p.VariantClauses(v) {
			if !strings.Contains(md, c.Title) {
				t.Errorf("%s lacks clause %s", v, c.ID)
			}
		}
		for _, c := range p.Clauses {
			if !strings.Contains(strings.Join(c.Variants, ","), v) && strings.Contains(md, "# "+c.Title) {
				t.Errorf("%s shows clause %s of another variant", v, c.ID)
			}
		}
		if !strings.Contains(md, "Stand der Rechtslage: 04.12.2026") || !strings.Contains(md, "Stand 04.12.2026") {
			t.Errorf("%s: no Stand date", v)
		}
		if d.Meta.Language != "de-DE" || d.Meta.Version != "1.0" || d.Meta.Date.Format("2006-01-02") != "2026-12-04" {
			t.Errorf("meta %+v", d.Meta)
		}
	}
	d, _ := p.Render(Dienstanweisung, "de", "KI-Check test")
	golden.Check(t, "dienstanweisung.md", d.Markdown())
	en, _ := p.Render(Dienstanweisung, "en", "")
	if md := string(en.Markdown()); !strings.Contains(md, "**Contents**") || !strings.Contains(md, "Standing 4 December 2026") || !strings.Contains(md, "Forbidden uses") || en.Meta.Language != "en-GB" {
		t.Errorf("english rendering:\n%.600s", md)
	}
	if _, err := p.Render("satzung", "de", ""); err == nil {
		t.Error("unknown variant accepted")
	}
}

// TestVariantsOpenInLibreOffice: every variant's ODT is converted by the
// real LibreOffice, and its headings and the matrix table's text are in
// the PDF. KICHECK_PICS=DIR keeps a picture of the matrix page there.
func TestVariantsOpenInLibreOffice(t *testing.T) {
	officetest.Soffice(t)
	dir := t.TempDir()
	p := Muster()
	var files []string
	for _, v := range Variants {
		d, err := p.Render(v, "de", "KI-Check test")
		if err != nil {
			t.Fatal(err)
		}
		b, err := d.Render(document.ODT)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, v+".odt")
		os.WriteFile(f, b, 0o644)
		files = append(files, f)
	}
	pdfs := officetest.ToPDF(t, dir, files...)
	for i, v := range Variants {
		text := officetest.Text(t, pdfs[i])
		d, _ := p.Render(v, "de", "")
		officetest.Contains(t, v, text, d.Meta.Title, "Inhalt")
		for _, h := range d.Headings() {
			officetest.Contains(t, v, text, h)
		}
		switch v {
		case Dienstanweisung:
			officetest.Contains(t, v, text, "Cloud-Dienst ohne AVV", "erlaubt mit Auflagen", "personenbezogen", "Keine Namen, Aktenzeichen")
		case Leitlinie:
			officetest.Contains(t, v, text, "Datenschutzbeauftragte:r", "m01-ki-verstehen")
		}
	}
	if pics := os.Getenv("KICHECK_PICS"); pics != "" {
		os.MkdirAll(pics, 0o755)
		for page := 1; page <= 4; page++ {
			officetest.Page(t, pdfs[1], page, 80, pics, "dienstanweisung-soffice-s"+string(rune('0'+page)))
		}
		pdf, _ := p.Render(Dienstanweisung, "de", "KI-Check")
		b, _ := pdf.PDF()
		own := filepath.Join(pics, "dienstanweisung-kicheck.pdf")
		os.WriteFile(own, b, 0o644)
		officetest.Page(t, own, 2, 80, pics, "dienstanweisung-kicheck-pdf-s2")
	}
}

// TestDiffNamesExactlyTheChangedClause: a municipality changes one clause
// in its own file; diff against the Muster names exactly that clause.
func TestDiffNamesExactlyTheChangedClause(t *testing.T) {
	dir := t.TempDir()
	writeOwn(t, dir, "halle.yaml", ownVariant(t,
		"Jedes KI-Ergebnis wird vor der Verwendung auf Richtigkeit, Vollständigkeit und Quellen geprüft.",
		"Jedes KI-Ergebnis wird vor der Verwendung von einer zweiten Person auf Richtigkeit geprüft."))
	l := Load(dir, Selection{})
	if len(l.Problems) > 0 {
		t.Fatal(l.Problems)
	}
	changes := Diff(Muster(), l.Policy)
	if len(changes) != 1 {
		t.Fatalf("want exactly one change, got %v", changes)
	}
	c := changes[0]
	if c.Kind != "clause" || c.ID != "pruefpflicht" || c.Change != "changed" || strings.Join(c.Fields, ",") != "text" ||
		!strings.Contains(c.New, "zweiten Person") || strings.Contains(c.Old, "zweiten Person") {
		t.Fatalf("change %+v", c)
	}
	if len(Diff(Muster(), Muster())) != 0 {
		t.Error("the Muster differs from itself")
	}
}

// Between two versions: the AVV, a matrix cell, an added clause, a removed
// approval step.
func TestDiffBetweenVersions(t *testing.T) {
	v1, errs := Parse("v1.yaml", []byte(ownVariant(t)))
	if errs != nil {
		t.Fatal(errs)
	}
	v2src := ownVariant(t, "version: \"1.0\"", "version: \"1.1\"", "    avv: false\n", "    avv: true\n",
		"    data_classes: [vs_nfd]\n    decision: verboten\n    clause: vs-nfd\n  - tool: server",
		"    data_classes: [vs_nfd]\n    decision: erlaubt_mit_auflagen\n    conditions: [\"Nur mit Freigabe der Informationssicherheit.\"]\n    clause: vs-nfd\n  - tool: server",
		"clauses:\n", "clauses:\n  - id: chatbot\n    section: kennzeichnung\n    variants: [dienstanweisung]\n    title: \"Chatbot\"\n    text: \"Der Chatbot sagt, dass er eine KI ist.\"\n    refs: [\"Art. 50 Abs. 1 KI-Verordnung\"]\n")
	v2, errs := Parse("v2.yaml", []byte(v2src))
	if errs != nil {
		t.Fatal(errs)
	}
	var got []string
	for _, c := range Diff(v1, v2) {
		got = append(got, c.String())
	}
	want := "changed tool cloud (avv)|changed rule arbeitsplatz×vs_nfd (decision, conditions)|added clause chatbot"
	if strings.Join(got, "|") != want {
		t.Fatalf("diff\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
}
