package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/aggregate/aggtest"
	"github.com/ki-reise/kicheck/internal/collect"
)

// writeSummary writes m's signed summary of a fleet with these levels
// into dir, as kicheck fleet --export-aggregate does.
func writeSummary(t *testing.T, dir string, m aggtest.Municipality, l collect.Levels, to time.Time) {
	t.Helper()
	f := &collect.Fleet{Devices: l.Total(), Overall: l, RAM: []collect.Bucket{{Key: "16gb", Devices: l.Total()}}, VRAM: []collect.Bucket{{Key: "none", Devices: l.Total()}}}
	d, err := aggregate.Build(f, aggregate.Inputs{Municipality: aggregate.Municipality{Name: m.Name, AGS: m.AGS}, From: to.AddDate(0, 0, -30), To: to, Now: to})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := d.JSON()
	sig, err := m.Key.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, m.AGS+".json")
	os.WriteFile(p, data, 0o644)
	os.WriteFile(p+".sig", sig, 0o644)
}

// The Land view in the Sammelstelle: a new Land database, the
// municipalities' summaries taken from a folder against the Land's keys,
// readiness per municipality with its dates and in total; a folder with a
// file of an unknown key is refused with the reason and nothing stored;
// the database is opened again on the next start.
func TestCollectLandView(t *testing.T) {
	st := newTestState(t)
	s, wait := showCollectScreen(t, st, "Sammelstelle")
	p := s.land
	if !p.importBtn.Disabled() {
		t.Fatal("import must wait for a Land database")
	}
	halle := aggtest.NewMunicipality(t, "15002000", "Halle (Saale)")
	eisleben := aggtest.NewMunicipality(t, "15087275", "Lutherstadt Eisleben")
	stranger := aggtest.NewMunicipality(t, "15003000", "Magdeburg")
	good, bad := t.TempDir(), t.TempDir()
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	writeSummary(t, good, halle, collect.Levels{Ready: 40, Limited: 50, NotReady: 10}, day)
	writeSummary(t, good, eisleben, collect.Levels{Ready: 17, Limited: 3, NotReady: 3}, day.AddDate(0, 0, -3))
	writeSummary(t, bad, halle, collect.Levels{Ready: 40, Limited: 50, NotReady: 10}, day)
	writeSummary(t, bad, stranger, collect.Levels{Ready: 9, Limited: 9}, day)

	dbPath := filepath.Join(t.TempDir(), "land.db")
	p.openDB(dbPath)
	wait("the Land database")
	if p.dbPath.Text != dbPath || p.importBtn.Disabled() || !strings.Contains(p.total.Text, "Land: 0 Kommunen") {
		t.Fatalf("after opening: %q, import disabled %v, total %q", p.dbPath.Text, p.importBtn.Disabled(), p.total.Text)
	}
	test.Tap(p.importBtn) // without allowed_signers: says what is missing
	if !strings.Contains(p.status.Text, "allowed_signers-Datei des Landes") {
		t.Errorf("status without keys %q", p.status.Text)
	}
	p.setSigners(aggtest.AllowedSigners(t, halle, eisleben))

	p.importPaths([]string{bad})
	wait("the refused import")
	if !strings.Contains(p.status.Text, "0 übernommen") || !strings.Contains(p.status.Text, "unbekannter Schlüssel") || !strings.Contains(p.status.Text, "zurückgehalten") {
		t.Errorf("refused: %q", p.status.Text)
	}
	if len(p.view.Municipalities) != 0 {
		t.Fatalf("stored after a refusal: %+v", p.view.Municipalities)
	}

	p.importPaths([]string{good})
	wait("the import")
	if !strings.Contains(p.status.Text, "2 übernommen") {
		t.Errorf("status %q", p.status.Text)
	}
	if p.total.Text != "Land: 2 Kommunen, 123 Arbeitsplätze: 57 bereit (46 %), 50 eingeschränkt, 10 nicht bereit, 0 keine Bewertung, 6 in zusammengelegten Gruppen" {
		t.Errorf("total %q", p.total.Text)
	}
	if row := tableRow(p.table, "15087275"); !slices.Equal(row, []string{"15087275", "Lutherstadt Eisleben", "23", "17 (74 %)", "0 keine Bewertung, 6 eingeschränkt oder nicht bereit", "18.10.2026 – 17.11.2026"}) {
		t.Errorf("Eisleben %q", row)
	}
	if st.settings.LandDB != dbPath {
		t.Errorf("not remembered: %q", st.settings.LandDB)
	}
	// The page as kicheck fleet --by-municipality --html writes it.
	page := filepath.Join(t.TempDir(), "land.html")
	p.saveHTML(page)
	wait("the page")
	b, err := os.ReadFile(page)
	if err != nil || !strings.Contains(string(b), "Lutherstadt Eisleben") || !strings.Contains(p.status.Text, "Land-Übersicht gespeichert") {
		t.Errorf("page: %v, status %q", err, p.status.Text)
	}
	test.Tap(p.htmlBtn) // opens the save dialog on the window; must not panic
}

// With English chosen in Einstellungen, the Land view, its refusals and
// its table are English.
func TestCollectLandViewInEnglish(t *testing.T) {
	st := newTestState(t)
	last := len(st.shell.screens) - 1
	st.shell.nav.Select(last)
	st.shell.screens[last].(*settingsScreen).language.SetSelected("English")
	s, wait := showCollectScreen(t, st, "Collection")
	p := s.land
	halle := aggtest.NewMunicipality(t, "15002000", "Halle (Saale)")
	stranger := aggtest.NewMunicipality(t, "15003000", "Magdeburg")
	dir := t.TempDir()
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	writeSummary(t, dir, halle, collect.Levels{Ready: 40, Limited: 3, NotReady: 7}, day)
	writeSummary(t, dir, stranger, collect.Levels{Ready: 9, Limited: 9}, day)
	p.openDB(filepath.Join(t.TempDir(), "land.db"))
	wait("the Land database")
	p.setSigners(aggtest.AllowedSigners(t, halle))
	p.importPaths([]string{dir})
	wait("the refused import")
	if !strings.Contains(p.status.Text, "0 taken") || !strings.Contains(p.status.Text, "unknown key") || !strings.Contains(p.status.Text, "held back") {
		t.Errorf("refused: %q", p.status.Text)
	}
	os.Remove(filepath.Join(dir, "15003000.json"))
	p.importPaths([]string{dir})
	wait("the import")
	if p.total.Text != "Land: 1 municipality, 50 devices: 40 ready (80%), 0 limited, 0 not ready, 0 no verdict, 10 in merged groups" {
		t.Errorf("total %q", p.total.Text)
	}
	if row := tableRow(p.table, "15002000"); !slices.Equal(row, []string{"15002000", "Halle (Saale)", "50", "40 (80%)", "0 no verdict, 10 limited or not ready", "21 Oct 2026 – 20 Nov 2026"}) {
		t.Errorf("Halle %q", row)
	}
	if w := germanLeft(p.status.Text); w != "" {
		t.Errorf("German %q in the English status:\n%s", w, p.status.Text)
	}
}
