package ui

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// writeSignedReport writes NAME.json and NAME.json.sig of a real signed
// report of a new device into dir.
func writeSignedReport(t *testing.T, dir, name string, verdicts []report.Verdict) {
	t.Helper()
	key, err := signing.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := report.New(key, time.Now().Add(-time.Hour))
	r.Device.OrgUnit = "Bauamt"
	r.Summary.Verdicts = verdicts
	r.Summary.Overall = report.Overall(verdicts)
	data, err := report.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := key.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, name+".json"), data, 0o644)
	os.WriteFile(filepath.Join(dir, name+".json.sig"), sig, 0o644)
}

// IT opens a new central database, reads in a folder with two good reports
// and a tampered one, sees the overview, and exports the device table.
func TestCollectScreenImportAndOverview(t *testing.T) {
	st := newTestState(t)
	s, wait := showCollectScreen(t, st, "Sammelstelle")
	if !s.folderBtn.Disabled() || !s.csvBtn.Disabled() {
		t.Fatal("import and export must wait for a database")
	}

	dir := t.TempDir()
	ready := []report.Verdict{{Subject: "Zusammenfassen", UseCase: "zusammenfassen", Model: "llama3.2:3b", Level: report.LevelReady, Reason: "gut"}}
	limited := []report.Verdict{{Subject: "Zusammenfassen", UseCase: "zusammenfassen", Model: "llama3.2:3b", Level: report.LevelLimited, Reason: "langsam"}}
	writeSignedReport(t, dir, "pc1", ready)
	writeSignedReport(t, dir, "pc2", limited)
	writeSignedReport(t, dir, "pc3", ready)
	b, _ := os.ReadFile(filepath.Join(dir, "pc3.json"))
	os.WriteFile(filepath.Join(dir, "pc3.json"), []byte(strings.Replace(string(b), "Bauamt", "Bauamx", 1)), 0o644)

	dbPath := filepath.Join(t.TempDir(), "sammelstelle.db")
	s.openDB(dbPath)
	wait("the database")
	if s.dbPath.Text != dbPath || s.folderBtn.Disabled() {
		t.Fatalf("after opening: %q, import disabled %v", s.dbPath.Text, s.folderBtn.Disabled())
	}
	if !s.enroll.Checked {
		t.Fatal("enrolment should be on for a new collection")
	}
	s.importPaths([]string{dir})
	wait("the import")
	if s.status.Text != "2 Berichte gespeichert, 0 schon vorhanden, 1 abgelehnt." {
		t.Errorf("status %q", s.status.Text)
	}
	if !strings.Contains(s.rejected.Text, "pc3.json: Signatur ungültig") {
		t.Errorf("rejected %q", s.rejected.Text)
	}
	if !strings.HasPrefix(s.view.overall.Text, "2 Arbeitsplätze, 2 Berichte.") || !strings.Contains(s.view.overall.Text, "1 bereit, 1 eingeschränkt") {
		t.Errorf("counts %q", s.view.overall.Text)
	}
	if row := tableRow(s.view.models, "zusammenfassen"); !slices.Equal(row, []string{"zusammenfassen", "llama3.2:3b", "1 (50 %)", "1 (50 %)", "0 (0 %)"}) {
		t.Errorf("model row %q", row)
	}
	if s.fleet.Models[0].ReadyShare != 0.5 {
		t.Errorf("ready share %v", s.fleet.Models[0].ReadyShare)
	}

	csvPath := filepath.Join(t.TempDir(), "geraete.csv")
	s.exportCSV(csvPath)
	wait("the CSV")
	f, _ := os.Open(csvPath)
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 3 || recs[1][1] != "Bauamt" {
		t.Fatalf("csv: %v %v", err, recs)
	}

	// Reading the same folder again stores nothing new.
	s.importPaths([]string{dir})
	wait("the second import")
	if s.status.Text != "0 Berichte gespeichert, 2 schon vorhanden, 1 abgelehnt." {
		t.Errorf("second import %q", s.status.Text)
	}
	test.Tap(s.folderBtn) // opens the folder dialog on the window; must not panic
}

// showCollectScreen selects the Sammelstelle, titled title in the current
// language, and returns it with wait, which returns once the background
// work has updated the screen (awaitIdle).
func showCollectScreen(t *testing.T, st *state, title string) (s *collectScreen, wait func(what string)) {
	t.Helper()
	i := screenIndex(t, st, title)
	st.shell.nav.Select(i)
	s = st.shell.screens[i].(*collectScreen)
	return s, func(what string) {
		t.Helper()
		awaitIdle(t, st, what)
	}
}
