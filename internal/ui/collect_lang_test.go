package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/report"
)

// TestCollectScreenRejectionsInEnglish: with English chosen in
// Einstellungen, the reasons listed for rejected reports are English (the
// German run is TestCollectScreenImportAndOverview).
func TestCollectScreenRejectionsInEnglish(t *testing.T) {
	st := newTestState(t)
	last := len(st.shell.screens) - 1
	st.shell.nav.Select(last)
	st.shell.screens[last].(*settingsScreen).language.SetSelected("English")
	if st.settings.Language != "en" {
		t.Fatalf("language = %q", st.settings.Language)
	}
	s, wait := showCollectScreen(t, st, "Collection")
	dir := t.TempDir()
	ready := []report.Verdict{{Subject: "Zusammenfassen", UseCase: "zusammenfassen", Model: "llama3.2:3b", Level: report.LevelReady, Reason: "gut"}}
	writeSignedReport(t, dir, "pc1", ready)
	writeSignedReport(t, dir, "pc3", ready)
	b, _ := os.ReadFile(filepath.Join(dir, "pc3.json"))
	os.WriteFile(filepath.Join(dir, "pc3.json"), []byte(strings.Replace(string(b), "Bauamt", "Bauamx", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "pc4.json"), []byte("PK\x03\x04"), 0o644)
	os.WriteFile(filepath.Join(dir, "pc4.json.sig"), b[:10], 0o644)

	s.openDB(filepath.Join(t.TempDir(), "central.db"))
	wait("the database")
	s.importPaths([]string{dir})
	wait("the import")
	if s.status.Text != "1 reports stored, 0 already there, 2 rejected." {
		t.Errorf("status %q", s.status.Text)
	}
	for _, w := range []string{"pc3.json: signature invalid: the report or its signature was changed after signing",
		"pc4.json: signature file in the wrong format"} { // the signature is checked before the JSON
		if !strings.Contains(s.rejected.Text, w) {
			t.Errorf("rejected list lacks %q:\n%s", w, s.rejected.Text)
		}
	}
	if w := germanLeft(s.rejected.Text); w != "" {
		t.Errorf("German %q in the English rejected list:\n%s", w, s.rejected.Text)
	}
}
