package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/pgtest"
	"github.com/ki-reise/kicheck/internal/report"
)

// IT connects the Sammelstelle to a PostgreSQL database (a private test
// cluster): a typed path is not taken for a URL, a wrong password is
// refused with the reason and a hint, the right one connects, reports
// are read in, and the settings keep the URL but never the password.
func TestCollectScreenPostgres(t *testing.T) {
	cluster := pgtest.Start(t, pgtest.Options{})
	dsn := cluster.NewDatabase(t)
	st := newTestState(t)
	s, wait := showCollectScreen(t, st, "Sammelstelle")

	test.Type(s.pgDSN, "/srv/sammelstelle.db")
	test.Tap(s.pgBtn)
	if !strings.Contains(s.status.Text, "PostgreSQL-Adresse") {
		t.Errorf("a path as URL: %q", s.status.Text)
	}

	s.pgDSN.SetText(dsn)
	test.Type(s.pgPassword, "falsches-passwort")
	test.Tap(s.pgBtn)
	wait("the refused login")
	if !strings.Contains(s.status.Text, "hat die Anmeldung abgelehnt") || !strings.Contains(s.status.Text, "pg_hba.conf") || strings.Contains(s.status.Text, "falsches-passwort") {
		t.Errorf("wrong password: %q", s.status.Text)
	}
	if s.db != nil || !s.folderBtn.Disabled() {
		t.Fatal("connected with a wrong password")
	}

	s.pgPassword.SetText(pgtest.Password)
	s.pgPassword.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter connects too
	wait("the database")
	if s.db == nil || s.db.Kind() != "postgres" || s.dbPath.Text != dsn || s.folderBtn.Disabled() {
		t.Fatalf("after connecting: %q %q", s.dbPath.Text, s.status.Text)
	}
	dir := t.TempDir()
	ready := []report.Verdict{{Subject: "Zusammenfassen", UseCase: "zusammenfassen", Model: "llama3.2:3b", Level: report.LevelReady, Reason: "gut"}}
	writeSignedReport(t, dir, "pc1", ready)
	writeSignedReport(t, dir, "pc2", ready)
	s.importPaths([]string{filepath.Join(dir)})
	wait("the import")
	if s.status.Text != "2 Berichte gespeichert, 0 schon vorhanden, 0 abgelehnt." || !strings.HasPrefix(s.view.overall.Text, "2 Arbeitsplätze, 2 Berichte.") {
		t.Errorf("import: %q %q", s.status.Text, s.view.overall.Text)
	}
	if st.settings.CollectDB != dsn || strings.Contains(st.settings.CollectDB, pgtest.Password) {
		t.Errorf("remembered %q", st.settings.CollectDB)
	}
}
