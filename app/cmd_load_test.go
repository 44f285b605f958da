package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/load/loadtest"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// TestLoadCLIDay runs `kicheck load --shape day` against the reference
// server: JSON valid against the published schema, the signed export
// verifies, the HTML page has its charts and table, the run is stored.
func TestLoadCLIDay(t *testing.T) {
	srv, err := loadtest.Start(loadtest.Schedule{TTFT: 5 * time.Millisecond, ITL: 2 * time.Millisecond, Tokens: 12})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	exp, page := filepath.Join(dir, "last.json"), filepath.Join(dir, "last.html")
	out, errOut, code := kicheck(t, "--data-dir", dir, "load", "--url", srv.URL, "--model", "m", "--shape", "day", "--clerks", "4",
		"--think", "10ms", "--max-requests", "24", "--json", "--export", exp, "--html", page)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	doc, errs := bundle.Parse("stdout", []byte(out))
	if errs == nil {
		errs = doc.Validate(bundle.NewSchema("load-export.schema.json"))
	}
	if errs != nil {
		t.Fatalf("--json against the schema: %v\n%s", errs, out)
	}
	data, err := os.ReadFile(exp)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := os.ReadFile(exp + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signing.Verify(data, sig); err != nil {
		t.Fatalf("export signature: %v", err)
	}
	if !strings.Contains(string(data), `"text": "Dieser Server bedient bis zu 4 gleichzeitig arbeitende Sachbearbeiter:innen`) {
		t.Errorf("export without the clerk's answer:\n%s", data)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "<table>", "Sachbearbeiter:innen", "Zeit bis zum ersten Token"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML without %q", want)
		}
	}
	if !strings.Contains(errOut, "Arbeitstag") {
		t.Errorf("no progress line on stderr: %q", errOut)
	}
	// The text output in English, and the stored run.
	out, _, code = kicheck(t, "--data-dir", dir, "--lang", "en", "load", "--url", srv.URL, "--model", "m", "--shape", "sweep",
		"--max-concurrency", "4", "--requests-per-level", "8")
	if code != 0 || !strings.Contains(out, "This server serves up to") || !strings.Contains(out, "tokens/s") {
		t.Fatalf("code %d:\n%s", code, out)
	}
	db, err := store.Open(t.Context(), filepath.Join(dir, store.FileName), load.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, err := db.ListRuns(t.Context(), load.RunKind, 10)
	if err != nil || len(runs) != 2 {
		t.Fatalf("stored runs %d, %v", len(runs), err)
	}
	lv, err := load.Levels(t.Context(), db, runs[0].ID)
	if err != nil || len(lv) == 0 {
		t.Fatalf("stored levels %d, %v", len(lv), err)
	}
}

// TestLoadCLIBadInput: a concurrency of 0 or 100,000 and a missing model
// get a clear message and a hint, in German and English.
func TestLoadCLIBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []string{"0", "100000"} {
		_, errOut, code := kicheck(t, "--data-dir", dir, "load", "--model", "m", "--max-concurrency", c)
		if code == 0 || !strings.Contains(errOut, c+" gleichzeitige Anfragen sind nicht möglich") || !strings.Contains(errOut, "hint: Erlaubt sind 1 bis 1024") {
			t.Errorf("--max-concurrency %s: code %d, %q", c, code, errOut)
		}
	}
	_, errOut, code := kicheck(t, "--data-dir", dir, "--lang", "en", "load", "--model", "m", "--shape", "day", "--clerks", "100000")
	if code == 0 || !strings.Contains(errOut, "100000 simultaneous requests are not possible") {
		t.Errorf("--clerks 100000: code %d, %q", code, errOut)
	}
	_, errOut, code = kicheck(t, "--data-dir", dir, "load", "--url", "http://127.0.0.1:1", "--model", "m")
	if code == 0 || !strings.Contains(errOut, "nicht erreichbar") {
		t.Errorf("nothing listening: code %d, %q", code, errOut)
	}
	_, errOut, code = kicheck(t, "--data-dir", dir, "load", "--url", "http://192.0.2.1:11434", "--model", "m")
	if code == 0 || !strings.Contains(errOut, "192.0.2.1") {
		t.Errorf("remote without consent: code %d, %q", code, errOut)
	}
}

// TestCostOperatingModelsFromLoadRun: the central server's count comes from
// a stored load run's answer; prices only as entered, with their date.
func TestCostOperatingModelsFromLoadRun(t *testing.T) {
	srv, err := loadtest.Start(loadtest.Schedule{TTFT: 2 * time.Millisecond, ITL: time.Millisecond, Tokens: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	if _, errOut, code := kicheck(t, "--data-dir", dir, "load", "--url", srv.URL, "--model", "m", "--shape", "day", "--clerks", "8",
		"--think", "5ms", "--max-requests", "16"); code != 0 {
		t.Fatal(errOut)
	}
	db, err := store.Open(t.Context(), filepath.Join(dir, store.FileName), load.Schema)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := db.ListRuns(t.Context(), load.RunKind, 1)
	db.Close()
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v %v", runs, err)
	}
	id := fmt.Sprint(runs[0].ID)
	_, errOut, code := kicheck(t, "--data-dir", dir, "cost", "--users", "400", "--load-run", id, "--server-eur", "20000")
	if code == 0 || !strings.Contains(errOut, "date") {
		t.Errorf("a price without its date: code %d, %q", code, errOut)
	}
	out, errOut, code := kicheck(t, "--data-dir", dir, "cost", "--users", "400", "--verdict", "limited", "--load-run", id,
		"--server-eur", "20000", "--server-date", "2026-12-01", "--server-watts", "500", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var got struct {
		OperatingModels []cost.ModelCost `json:"operating_models"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.OperatingModels) != 4 {
		t.Fatalf("%v\n%s", err, out)
	}
	if sv := got.OperatingModels[1]; sv.Model != cost.ModelServer || sv.Servers != 50 || sv.MonthlyEUR == nil {
		t.Errorf("server model %+v, want 50 servers (400 users, 8 per server)", sv)
	}
	if wp := got.OperatingModels[0]; wp.MonthlyEUR != nil || len(wp.Open) == 0 {
		t.Errorf("workplace without an upgrade price must stay open: %+v", wp)
	}
	out, _, _ = kicheck(t, "--data-dir", dir, "cost", "--users", "400", "--verdict", "limited", "--load-run", id)
	if !strings.Contains(out, "von der Kommune einzutragen: Preis eines Servers mit Datum") {
		t.Errorf("no open price in the text:\n%s", out)
	}
}
