package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

func writeUnitReport(t *testing.T, dir, name, org, level string) {
	t.Helper()
	key, err := signing.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := report.New(key, time.Now().Add(-time.Hour))
	r.Device.OrgUnit = org
	r.Summary.Verdicts = []report.Verdict{{Subject: "Zusammenfassen", UseCase: "zusammenfassen", Model: "llama3.2:3b", Level: level, Reason: "test"}}
	r.Summary.Overall = report.Overall(r.Summary.Verdicts)
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

// The Sammelstelle shows the surveyed processes per organisational unit
// beside the readiness of that unit's workplaces.
func TestCollectScreenShowsPortfolioPerUnit(t *testing.T) {
	st := newTestState(t)
	ctx := context.Background()
	in, _, err := hotspot.LoadInputs(ctx, st.db, st.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	sheets, ps := hotspot.ReadFiles([]string{sampleSheets[1]}, in.Catalogue.TaskIDs())
	if ps != nil {
		t.Fatal(ps)
	}
	if _, err := hotspot.Import(ctx, st.db, sheets, hotspot.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeUnitReport(t, dir, "pc1", "Sozialamt", report.LevelReady)
	writeUnitReport(t, dir, "pc2", "Sozialamt", report.LevelLimited)
	writeUnitReport(t, dir, "pc3", "Bauamt", report.LevelReady)

	s, wait := showCollectScreen(t, st, "Sammelstelle")
	s.openDB(filepath.Join(t.TempDir(), "sammelstelle.db"))
	wait("the database")
	s.importPaths([]string{dir})
	wait("the import")
	awaitUI(t, "the portfolio per unit", time.Minute, func() bool {
		return len(s.portfolio.rows) > 0 && s.portfolio.rows[0].Devices == 2
	})
	stored, _ := hotspot.List(ctx, st.db)
	in.Readiness.UnitReadyShare = map[string]float64{"Sozialamt": 0.5, "Bauamt": 1}
	pf := hotspot.Score(stored, in)
	hours, quick := 0.0, 0
	for _, h := range pf.Hotspots {
		hours += h.Hours
		if h.Quadrant == hotspot.QuickWin {
			quick++
		}
	}
	want := []string{"Sozialamt", "2", "1 (50 %)", fmt.Sprint(len(stored)), i18n.Grouped("de", hours, 0), fmt.Sprint(quick)}
	if row := tableRow(s.portfolio.table, "Sozialamt"); len(row) < 6 || !slices.Equal(row[:6], want) {
		t.Errorf("Sozialamt row %q, want it to start %q", row, want)
	}
	if row := tableRow(s.portfolio.table, "Bauamt"); len(row) < 4 || row[1] != "1" || row[3] != "0" {
		t.Errorf("Bauamt row %q", row)
	}
	// The unit's ready share counts in the processes' feasibility.
	h := pf.Hotspots[0]
	if rp := h.Parts[3]; !rp.Known || rp.Value != 0.5 {
		t.Errorf("readiness part of %s: %+v, want the unit's 50 %%", h.Process.ID, rp)
	}
}
