package hotspot

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ki-reise/kicheck/internal/signing"
)

func TestSignedExportRoundTrip(t *testing.T) {
	pf, cat := samplePortfolio(t)
	key, err := signing.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := NewDocument(pf, testMeta).JSON()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Sign(key, "hotspots.json", data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := WriteFiles(dir, []Signed{s})
	if err != nil || len(paths) != 2 {
		t.Fatal(paths, err)
	}
	res, ps, err := ReadExample(paths[0], cat.TaskIDs(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kommune != "Musterstadt" || len(ps) != 15 || res.Signer != key.Fingerprint() {
		t.Fatalf("%+v %d", res, len(ps))
	}
	for _, p := range ps {
		if filepath.Base(p.Source.File) != p.Source.File {
			t.Errorf("a local path left the municipality: %q", p.Source.File)
		}
	}
	db := openDB(t)
	ctx := context.Background()
	if err := ImportExample(ctx, db, res, ps); err != nil {
		t.Fatal(err)
	}
	ex, _ := Examples(ctx, db)
	own, _ := List(ctx, db)
	if len(ex) != 15 || ex[0].Source.Kommune != "Musterstadt" || len(own) != 0 {
		t.Fatalf("examples %d own %d", len(ex), len(own))
	}

	// Signed but not an export; an export without its signature; a
	// changed export.
	bad, _ := Sign(key, "other.json", []byte(`{"format": "something else"}`))
	nosig := filepath.Join(dir, "nosig.json")
	os.WriteFile(nosig, data, 0o644)
	changed := filepath.Join(dir, "changed.json")
	os.WriteFile(changed, bytes.Replace(data, []byte("Musterstadt"), []byte("Andere Stadt"), 1), 0o644)
	os.WriteFile(changed+".sig", s.Sig, 0o644)
	badPaths, _ := WriteFiles(dir, []Signed{bad})
	for _, tc := range []struct {
		file string
		want error
	}{{badPaths[0], ErrBadExport}, {nosig, ErrNotSigned}, {changed, ErrNotSigned}} {
		_, _, err := ReadExample(tc.file, cat.TaskIDs(), nil)
		var ie *ImportError
		if !errors.Is(err, tc.want) || !errors.As(err, &ie) || ie.Hint() == "" {
			t.Errorf("%s: %v, want %v", filepath.Base(tc.file), err, tc.want)
		}
	}
	// Only trusted keys, when an allowed_signers file is given.
	other, _ := signing.Load(t.TempDir())
	allowed := signing.ParseAllowedSigners("allowed", []byte(signing.AllowedSignersLine(other.Public())+"\n"))
	if _, _, err := ReadExample(paths[0], cat.TaskIDs(), allowed); !errors.Is(err, ErrNotSigned) {
		t.Errorf("untrusted key accepted: %v", err)
	}
}

func TestPortfolioRenders(t *testing.T) {
	pf, cat := samplePortfolio(t)
	for _, lang := range []string{"de", "en"} {
		m := testMeta
		m.Lang = lang
		page, err := PortfolioHTML(&pf, cat, m)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`<html lang="` + lang + `">`, "<svg", "<desc id=\"md\">", "<circle", "<table>", "so-03"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("%s: page lacks %q", lang, want)
			}
		}
		if bytes.Contains(page, []byte("hotspot.")) || bytes.Contains(page, []byte("aiact.")) || bytes.Contains(page, []byte("ZgotmplZ")) {
			t.Errorf("%s: a message id is not translated", lang)
		}
		pdf, err := PortfolioPDF(&pf, cat, m)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatal(err)
		}
		for _, h := range pf.Hotspots {
			one, err := SteckbriefPDF(&pf, h.Process.ID, cat, m)
			if n := bytes.Count(one, []byte("/Type /Page\n")); err != nil || n != 1 {
				t.Errorf("%s %s: Steckbrief has %d pages: %v", lang, h.Process.ID, n, err)
			}
		}
	}
}
