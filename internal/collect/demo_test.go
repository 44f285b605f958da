package collect

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// demoDB, when set, keeps the demo fleet's central database at this path:
// scripts/screenshots.sh shows it on the Sammelstelle.
var demoDB = flag.String("demo-db", "", "write the demo fleet's central database to this file")

// demoReports, when set, also writes the demo fleet's signed reports as
// NAME.json and NAME.json.sig into this folder (to collect them into
// another database, e.g. PostgreSQL for a screenshot).
var demoReports = flag.String("demo-reports", "", "write the demo fleet's signed reports into this folder")

// demoFleet is a municipality of 36 workplaces in six units, made of real
// signed reports judged by the fit of the embedded catalogue: laptops and
// desktops of four speeds and five memory sizes, three with a graphics
// card, a quiz aggregate in most units, and four devices whose last report
// is older than 30 days. The same seed gives the same fleet; the dates are
// relative to now.
func demoFleet(t testing.TB, now time.Time) []Item {
	units := []string{"Bauamt", "Bürgeramt", "Kämmerei", "Ordnungsamt", "Personalamt", "Schulverwaltung"}
	rng := rand.New(rand.NewPCG(7, 2026))
	pick := func(weighted map[int]int, order []int) int {
		total := 0
		for _, k := range order {
			total += weighted[k]
		}
		n := rng.IntN(total)
		for _, k := range order {
			if n < weighted[k] {
				return k
			}
			n -= weighted[k]
		}
		return order[len(order)-1]
	}
	var items []Item
	for i := range 36 {
		unit := units[i%len(units)]
		s := spec{
			orgUnit:   unit,
			hostname:  fmt.Sprintf("%s-PC%02d", map[string]string{"Bauamt": "BAU", "Bürgeramt": "BUE", "Kämmerei": "KAE", "Ordnungsamt": "ORD", "Personalamt": "PER", "Schulverwaltung": "SCH"}[unit], i/len(units)+1),
			ramGB:     uint64(pick(map[int]int{4: 2, 8: 9, 16: 16, 32: 7, 64: 2}, []int{4, 8, 16, 32, 64})),
			bandwidth: []float64{18, 34, 52, 78}[rng.IntN(4)],
			gops:      []float64{288, 600, 1200, 2400}[rng.IntN(4)],
			judge:     true,
			created:   now.Add(-time.Duration(1+rng.IntN(20)) * 24 * time.Hour),
		}
		if s.ramGB == 4 {
			s.gops = 2400 // a fast small laptop: memory is what holds it back
		}
		switch i {
		case 5, 17:
			s.gpu, s.vramGB = "GeForce RTX 4060", 8
		case 29:
			s.gpu, s.vramGB = "RTX A2000", 12
		case 3, 14, 22, 33:
			s.created = now.Add(-time.Duration(35+rng.IntN(60)) * 24 * time.Hour)
		}
		if i < 5 { // one trainer's course per unit, but the last unit
			s.quiz = [2]float64{float64(8 + rng.IntN(18)), float64(50 + rng.IntN(36))}
		}
		data, sig := makeReport(t, newKey(t), s)
		items = append(items, Item{Source: fmt.Sprintf("demo-%02d.json", i), Data: data, Sig: sig})
	}
	return items
}

// The demo fleet goes through the real intake and gives an overview with
// every part filled. With -demo-db PATH the database is kept there (an
// existing file is replaced).
func TestDemoFleet(t *testing.T) {
	path := *demoDB
	if path == "" {
		path = t.TempDir() + "/demo.db"
	} else if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	db, err := OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	items := demoFleet(t, now)
	if *demoReports != "" {
		for i, it := range items {
			name := filepath.Join(*demoReports, fmt.Sprintf("demo-%02d.json", i))
			if err := os.WriteFile(name, it.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name+".sig", it.Sig, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	sum := runItems(t, NewIntake(db, Trust{Enroll: true}), items...)
	if sum.Accepted != 36 || sum.Rejected != 0 {
		t.Fatalf("intake: %s %+v", sum.Line("en"), sum.Files)
	}
	f, err := ComputeFleet(context.Background(), db, FleetOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if f.Devices != 36 || f.Stale.Count != 4 || len(f.OrgUnits) != 6 || f.Upgrade.Best == nil || len(f.Speed) == 0 || f.Overall.Ready == 0 || f.Overall.Ready == 36 {
		t.Errorf("demo fleet: %d devices, %d stale, %d units, upgrade %+v, %d speeds, %d ready",
			f.Devices, f.Stale.Count, len(f.OrgUnits), f.Upgrade.Best, len(f.Speed), f.Overall.Ready)
	}
	quizzed := 0
	for _, u := range f.OrgUnits {
		if u.QuizScorePercent != nil {
			quizzed++
		}
	}
	if quizzed != 5 {
		t.Errorf("%d units with quiz results, want 5", quizzed)
	}
}
