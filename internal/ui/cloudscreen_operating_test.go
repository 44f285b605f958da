package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/load/loadtest"
	"github.com/ki-reise/kicheck/internal/report"
)

// TestOperatingModelsFromLoadTest: a clerks' day against the reference
// server is stored; the Betriebsmodelle screen sizes the central server
// from it, leaves every price open until one is typed in with its date,
// and then shows the four models, the break-even between each pair and
// the recommendation. The prices typed here are test values, not prices.
func TestOperatingModelsFromLoadTest(t *testing.T) {
	st := newTestState(t)
	srv := refLoadServer(t, loadtest.Schedule{TTFT: 2 * time.Millisecond, ITL: time.Millisecond, Tokens: 8})
	mix, _, err := load.BundleMix(st.dataDir, "kommune-basis", "", 16)
	if err != nil {
		t.Fatal(err)
	}
	res, err := load.Run(context.Background(), load.Options{URL: srv.URL, Model: "kc-ref", Shape: load.ShapeDay, Clerks: 8,
		ThinkTime: 5 * time.Millisecond, MaxRequests: 24, Mix: mix})
	if err != nil || res.Answer == nil || !res.Answer.Reached {
		t.Fatalf("day run: %+v, %v", res, err)
	}
	id, err := load.Save(context.Background(), st.db, res)
	if err != nil {
		t.Fatal(err)
	}
	c := cloudScreenOf(t, st)
	if c.title() != "Betriebsmodelle" {
		t.Errorf("title %q", c.title())
	}
	o := c.operating
	awaitIdle(t, o.c.st, "the stored load test")
	if o.clerksPerSv.Text != "8" || !strings.Contains(o.capacity.Text, "#"+strconv.FormatInt(id, 10)) {
		t.Fatalf("clerks per server %q, %q", o.clerksPerSv.Text, o.capacity.Text)
	}
	c.users.SetText("400")
	test.Tap(o.computeBtn)
	for _, want := range []string{"Vier Betriebsmodelle für 400 Nutzer:innen", "zentraler Server: offen – von der Kommune einzutragen",
		"Preis eines Servers mit Datum", "Cloud:", "Gleichstand für 6 von 6 Paaren offen", "Empfehlung"} {
		if !strings.Contains(o.out.Text, want) {
			t.Errorf("without prices, the output lacks %q:\n%s", want, o.out.Text)
		}
	}
	o.serverEUR.SetText("20000") // a test value
	test.Tap(o.computeBtn)
	if !strings.Contains(o.out.Text, "ein Preis braucht sein Datum") {
		t.Errorf("a price without its date: %s", o.out.Text)
	}
	o.serverDate.SetText("2026-12-01")
	o.serverWatts.SetText("500")
	o.pcs.SetText("400")
	o.pcsNotReady.SetText("100")
	o.upgradeEUR.SetText("1000") // a test value
	o.upgradeDate.SetText("2026-12-01")
	c.personal.SetChecked(false)
	c.offline.SetChecked(false)
	test.Tap(o.computeBtn)
	for _, want := range []string{"50 Server zu je 8 Sachbearbeiter:innen", "Serverpreis 20.000 € (Stand 2026-12-01, von der Kommune eingetragen)",
		"am Arbeitsplatz:", "Empfehlung unter den vier Modellen:"} {
		if !strings.Contains(o.out.Text, want) {
			t.Errorf("with prices, the output lacks %q:\n%s", want, o.out.Text)
		}
	}
	if n := strings.Count(o.out.Text, "kosten gleich viel") + strings.Count(o.out.Text, "kein Gleichstand"); n != 6 {
		t.Errorf("break-even lines for the 6 pairs: %d\n%s", n, o.out.Text)
	}
}

// TestOperatingPCsFromFleet: the Sammelstelle's central database (three
// signed reports taken in through the real intake) gives the PCs and
// those needing an upgrade (eingeschränkt and nicht bereit), and says so.
func TestOperatingPCsFromFleet(t *testing.T) {
	st := newTestState(t)
	dir := t.TempDir()
	v := func(level string) []report.Verdict {
		return []report.Verdict{{Subject: "Zusammenfassen", UseCase: "zusammenfassen", Model: "llama3.2:3b", Level: level, Reason: "test"}}
	}
	writeSignedReport(t, dir, "pc1", v(report.LevelReady))
	writeSignedReport(t, dir, "pc2", v(report.LevelLimited))
	writeSignedReport(t, dir, "pc3", v(report.LevelNotReady))
	path := filepath.Join(t.TempDir(), "sammelstelle.db")
	db, err := collect.OpenSQLite(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	trust, _ := collect.NewTrust("", true)
	if sum, err := collect.Collect(t.Context(), db, trust, []string{dir}, collect.Options{}); err != nil || sum.Accepted != 3 {
		t.Fatalf("intake: %+v, %v", sum, err)
	}
	db.Close()
	st.settings.CollectDB = path
	c := cloudScreenOf(t, st)
	awaitIdle(t, st, "the fleet")
	if c.operating.pcs.Text != "3" || c.operating.pcsNotReady.Text != "2" || !strings.Contains(c.operating.fleet.Text, "1 eingeschränkt und 1 nicht bereit") {
		t.Fatalf("PCs %q, not ready %q, %q", c.operating.pcs.Text, c.operating.pcsNotReady.Text, c.operating.fleet.Text)
	}
}

// TestOperatingAndCostReadOneForm: the four operating models and the cost
// comparison read section 3 the same way (cost.Entry through cost.Apply):
// a price date that is no date is named by both, and a price typed with a
// decimal comma counts in both.
func TestOperatingAndCostReadOneForm(t *testing.T) {
	st := newTestState(t)
	c := cloudScreenOf(t, st)
	o := c.operating
	awaitIdle(t, st, "the cloud screen")
	c.priceDate.SetText("gestern")
	test.Tap(o.computeBtn)
	test.Tap(c.costBtn)
	for name, out := range map[string]string{"operating models": o.out.Text, "cost": c.costOut.Text} {
		if !strings.Contains(out, "Stand des Preises") {
			t.Errorf("%s: the bad price date is not named:\n%s", name, out)
		}
	}
	c.priceDate.SetText("2026-11-01")
	c.users.SetText("400")
	c.priceIn.SetText("0,5") // a test value
	test.Tap(o.computeBtn)
	test.Tap(c.costBtn)
	for name, out := range map[string]string{"operating models": o.out.Text, "cost": c.costOut.Text} {
		if strings.Contains(out, "Bitte prüfen") || !strings.Contains(out, "400") {
			t.Errorf("%s: the form was not read:\n%s", name, out)
		}
	}
}
