package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

func screenIndex(t *testing.T, st *state, title string) int {
	t.Helper()
	for i, tt := range st.shell.screenTitles() {
		if tt == title {
			return i
		}
	}
	t.Fatalf("no screen %q in %v", title, st.shell.screenTitles())
	return -1
}

func TestReportsScreenBeforeSettings(t *testing.T) {
	st := newTestState(t)
	titles := st.shell.screenTitles()
	i := screenIndex(t, st, "Berichte")
	if titles[i+1] != "Sammelstelle" || titles[i+2] != "Einstellungen" {
		t.Errorf("navigation %v: Berichte, Sammelstelle, Einstellungen must follow each other", titles)
	}
}

// The clerk presses "Arbeitsplatz prüfen" on the Übersicht: the real check
// runs, the dialog ends on the verdict with the export button, and the
// Berichte screen lists the new report with the key IT needs.
func TestCheckButtonRunsCheckAndListsReport(t *testing.T) {
	st := newTestState(t)
	ov := st.shell.screens[0].(*overview)
	if ov.checkBtn == nil || ov.checkBtn.Text != "Arbeitsplatz prüfen" {
		t.Fatalf("check button %+v", ov.checkBtn)
	}
	test.Tap(ov.checkBtn)
	f := ov.flow
	awaitUI(t, "the check to finish", 3*time.Minute, func() bool { return !f.inProgress })
	if !f.finished.Visible() || f.running.Visible() {
		t.Fatal("the dialog does not show the result")
	}
	if !strings.HasPrefix(f.verdict.Text, "Ergebnis: ") || f.sentence.Text == "" {
		t.Errorf("verdict %q sentence %q", f.verdict.Text, f.sentence.Text)
	}
	if !f.exportBtn.Visible() || f.exportBtn.Disabled() || f.exportBtn.Text != "Bericht exportieren" {
		t.Error("no export button at the end of the check")
	}
	if f.progress.Value != 1 {
		t.Errorf("progress %v at the end", f.progress.Value)
	}
	f.dlg.Hide()

	st.shell.nav.Select(screenIndex(t, st, "Berichte"))
	rs := st.shell.screens[screenIndex(t, st, "Berichte")].(*reportsScreen)
	if len(rs.rows) != 1 || rs.rows[0].ReportID != f.stored.ReportID {
		t.Fatalf("reports list %+v, want the report of the check", rs.rows)
	}
	if rs.selected != 0 || rs.exportBtn.Disabled() || rs.openBtn.Disabled() {
		t.Error("the newest report is not selected with export and open enabled")
	}
	k, _ := signing.Load(st.dataDir)
	if rs.fingerprint.Text != k.Fingerprint() || !rs.fingerprint.Selectable || rs.signerLine.Text != signing.AllowedSignersLine(k.Public()) {
		t.Errorf("key fields: %q %q", rs.fingerprint.Text, rs.signerLine.Text)
	}
	test.Tap(rs.copyBtn)
	if got := st.app.Clipboard().Content(); got != rs.signerLine.Text {
		t.Errorf("clipboard %q", got)
	}
	if !strings.Contains(rs.rowText(0), levelText(rs.rows[0].Overall)) {
		t.Errorf("row text %q", rs.rowText(0))
	}
	if rs.rows[0].Overall == report.LevelUnknown && levelText(report.LevelUnknown) != "keine Bewertung" {
		t.Error("unknown level not in German")
	}
}
