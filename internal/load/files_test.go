package load

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/load/loadtest"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// TestStoredRunFiles: a sweep against the reference server is stored,
// listed, read back with the same answer, and written as HTML, PDF and a
// signed JSON export; the PDF's first page says the HTML is the
// accessible version (pdftotext reads it back where it is installed).
func TestStoredRunFiles(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: 5 * time.Millisecond, ITL: time.Millisecond, Tokens: 10, Slots: 2})
	res, err := Run(context.Background(), Options{URL: srv.URL, Model: "m", Shape: ShapeSweep, MaxConc: 8, FullSweep: true,
		Mix: testMix(Limits{FirstTokenS: 1}), MaxDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := store.Open(t.Context(), filepath.Join(dir, store.FileName), Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, err := Save(t.Context(), db, res)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := List(t.Context(), db, 10)
	if err != nil || len(ls) != 1 || ls[0].ID != id || ls[0].Model != "m" || ls[0].Shape != ShapeSweep {
		t.Fatalf("list: %+v, %v", ls, err)
	}
	back, err := LoadResult(t.Context(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Levels) != len(res.Levels) || back.Answer == nil || back.Answer.Msg.Text("de") != res.Answer.Msg.Text("de") {
		t.Fatalf("read back: %d levels, answer %+v; want %d, %q", len(back.Levels), back.Answer, len(res.Levels), res.Answer.Msg.Text("de"))
	}
	if back.Slots == nil || *back.Slots != *res.Slots {
		t.Errorf("slots read back %+v, measured %+v", back.Slots, res.Slots)
	}
	if _, err := LoadResult(t.Context(), db, id+100); err == nil {
		t.Error("an unknown run was read")
	}
	key, err := signing.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	f, err := WriteFiles(back, id, out, "de", key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{f.HTML, f.PDF, f.JSON, f.JSON + ".sig"} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	// The sweep's export, with its inferred slots, against the schema.
	js, _ := os.ReadFile(f.JSON)
	doc, errs := bundle.Parse("export", js)
	if errs == nil {
		errs = doc.Validate(bundle.NewSchema("load-export.schema.json"))
	}
	if errs != nil || !bytes.Contains(js, []byte(`"inferred": true`)) {
		t.Errorf("export against the schema: %v\n%s", errs, js)
	}
	pdf, _ := os.ReadFile(f.PDF)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", "-l", "1", f.PDF, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		page1 := strings.Join(strings.Fields(string(txt)), " ")
		for _, want := range []string{"Barrierefreie Fassung", "Dieser Server bedient bis zu", "Durchsatz"} {
			if !strings.Contains(page1, want) {
				t.Errorf("page 1 lacks %q:\n%s", want, page1)
			}
		}
	}
	page, _ := os.ReadFile(f.HTML)
	if !bytes.Contains(page, []byte("Parallele Plätze des Servers: nicht lesbar")) {
		t.Error("the HTML page does not say the slots are not readable")
	}
}
