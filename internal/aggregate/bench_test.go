package aggregate_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/aggregate/aggtest"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/signing"
)

// landOf218 writes the signed summaries of 218 municipalities (Saxony-
// Anhalt's number), from villages of 6 devices to a city of 4,000, each
// with its own real key, takes them into a Land database with the real
// intake and returns the store, one file and the allowed_signers.
func landOf218(tb testing.TB) (aggregate.SQLiteStore, string, *signing.AllowedSigners) {
	dir := tb.(interface{ TempDir() string }).TempDir()
	var ms []aggtest.Municipality
	var files []string
	for i := range 218 {
		m := aggtest.NewMunicipality(tb, fmt.Sprintf("15%06d", 1000+i), fmt.Sprintf("Gemeinde %d", i+1))
		n := 6 + (i*i*37)%600
		if i == 0 {
			n = 4000
		}
		f := &collect.Fleet{Devices: n, Overall: collect.Levels{Ready: n * 3 / 10, Limited: n * 4 / 10, NotReady: n - n*3/10 - n*4/10 - n/50, Unknown: n / 50}}
		for _, uc := range []string{"anfrage-klassifizieren", "zusammenfassung", "uebersetzung", "entwurf"} {
			f.UseCases = append(f.UseCases, collect.Readiness{UseCase: uc, Levels: f.Overall})
			for _, model := range []string{"llama3.2-3b", "llama3.1-8b", "qwen2.5-7b"} {
				f.Models = append(f.Models, collect.Readiness{UseCase: uc, Model: model, Levels: f.Overall})
			}
		}
		f.RAM = []collect.Bucket{{Key: "8gb", Devices: n / 4}, {Key: "16gb", Devices: n / 2}, {Key: "32gb", Devices: n - n/4 - n/2}}
		f.VRAM = []collect.Bucket{{Key: "none", Devices: n}}
		d, err := aggregate.Build(f, aggregate.Inputs{Municipality: aggregate.Municipality{Name: m.Name, AGS: m.AGS}, Now: now,
			From: now.AddDate(0, 0, -30), To: now, QuizRoles: []aggregate.QuizRole{{Role: "anwender", Participants: n / 3, MeanScorePercent: 60}}})
		if err != nil {
			tb.Fatal(err)
		}
		data, _ := d.JSON()
		sig, err := m.Key.Sign(data)
		if err != nil {
			tb.Fatal(err)
		}
		p := filepath.Join(dir, m.AGS+".json")
		os.WriteFile(p, data, 0o644)
		os.WriteFile(p+".sig", sig, 0o644)
		files = append(files, p)
		ms = append(ms, m)
	}
	a, err := signing.ReadAllowedSigners(aggtest.AllowedSigners(tb, ms...))
	if err != nil {
		tb.Fatal(err)
	}
	db, err := aggregate.OpenLand(context.Background(), filepath.Join(dir, "land.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	land := aggregate.SQLiteStore{DB: db}
	sum, err := aggregate.Import(context.Background(), land, files, a, now)
	if err != nil || sum.Stored != 218 {
		tb.Fatalf("import: %v %+v", err, sum)
	}
	return land, files[0], a
}

// BenchmarkLandView times the Land view over 218 municipalities'
// summaries as `kicheck fleet --by-municipality` makes it (read the Land
// database, total, the text and the HTML page), against the goal of 100
// ms, and as a ratio to a reference measured in the same run: verifying
// and reading one municipality's file (signature, parse, key check).
//
//	go test -run '^$' -bench LandView -benchtime 20x ./internal/aggregate/
func BenchmarkLandView(b *testing.B) {
	land, one, allowed := landOf218(b)
	data, sig, err := aggregate.ReadFile(one)
	if err != nil {
		b.Fatal(err)
	}
	const refRuns = 50
	start := time.Now()
	for range refRuns {
		if _, err := aggregate.Verify(one, data, sig, allowed, now); err != nil {
			b.Fatal(err)
		}
	}
	ref := time.Since(start) / refRuns

	ctx := context.Background()
	var total time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		v, err := aggregate.View(ctx, land, now)
		if err != nil {
			b.Fatal(err)
		}
		if err := aggregate.WriteText(io.Discard, v, "de"); err != nil {
			b.Fatal(err)
		}
		if err := aggregate.WriteHTML(io.Discard, v, "de"); err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
		n++
		if len(v.Municipalities) != 218 {
			b.Fatalf("%d municipalities", len(v.Municipalities))
		}
	}
	per := total / time.Duration(n)
	b.ReportMetric(float64(per.Microseconds())/1000, "ms/view")
	b.ReportMetric(float64(per)/float64(100*time.Millisecond), "of_100ms_goal")
	b.ReportMetric(float64(per)/float64(ref), "x_verify_one_file")
	b.ReportMetric(float64(ref.Microseconds())/1000, "ms/verify_one_file")
}

// The 218 files of the benchmark go in with the real intake, and the view
// counts every device once.
func TestLandOf218(t *testing.T) {
	if testing.Short() {
		t.Skip("218 keys")
	}
	land, _, _ := landOf218(t)
	v, err := aggregate.View(context.Background(), land, now)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, r := range v.Municipalities {
		sum += r.Devices
		if !strings.HasPrefix(r.AGS, "15") {
			t.Fatalf("row %+v", r)
		}
	}
	if v.Total.Municipalities != 218 || v.Total.Devices != sum {
		t.Fatalf("total %+v, sum %d", v.Total, sum)
	}
	// KICHECK_LAND_DEMO_DB keeps the Land database (for screenshots).
	if p := os.Getenv("KICHECK_LAND_DEMO_DB"); p != "" {
		if _, err := land.DB.Exec(`VACUUM INTO ?`, p); err != nil {
			t.Fatal(err)
		}
	}
}
