package collect

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/pgtest"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/quizstats"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// newKey makes a real device key pair the way an installation does.
func newKey(t testing.TB) *signing.Key {
	t.Helper()
	k, err := signing.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signed is the armored signature of b by key.
func signed(t testing.TB, key *signing.Key, b []byte) []byte {
	t.Helper()
	sig, err := key.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// spec describes a generated report.
type spec struct {
	created   time.Time
	orgUnit   string
	ramGB     uint64
	vramGB    uint64
	gpu       string
	verdicts  []report.Verdict
	bandwidth float64 // > 0 adds a probe section
	// readyWithRAM (use case → GB) adds a fit section with these upgrade
	// figures for the verdicts' use cases (0 for those not named).
	readyWithRAM map[string]int
	// judge makes the report as the check does: the fit of the embedded
	// catalogue for a PC with this RAM, bandwidth and GPU gives the fit
	// section and the verdicts (verdicts and readyWithRAM are ignored).
	judge bool
	quiz  [2]float64 // participants, score percent; adds a quiz section when > 0
	// gops is the processor's compute estimate for judge (0: a 12-thread
	// AVX2 laptop).
	gops     float64
	hostname string
}

func inventory(s spec) *hardware.Inventory {
	ok := hardware.StatusOK
	gpu := hardware.GPU{Vendor: "Intel", Model: "Iris Xe Graphics"}
	if s.gpu != "" {
		gpu = hardware.GPU{Vendor: "NVIDIA", Model: s.gpu, Discrete: true, DedicatedVRAMBytes: s.vramGB << 30}
	}
	return report.ScrubInventory(hardware.Inventory{
		SchemaVersion: 1, CollectedAt: s.created, Complete: true,
		CPU: hardware.Section[hardware.CPU]{Status: ok, Value: hardware.CPU{Vendor: "GenuineIntel", Model: "Intel(R) Core(TM) i5-1335U",
			Arch: "amd64", Sockets: 1, PhysicalCores: 10, Threads: 12}},
		Memory: hardware.Section[hardware.Memory]{Status: ok, Value: hardware.Memory{TotalBytes: s.ramGB << 30, AvailableBytes: s.ramGB << 29}},
		GPUs:   hardware.Section[hardware.GPUList]{Status: ok, Value: hardware.GPUList{Devices: []hardware.GPU{gpu}}},
		NPUs:   hardware.Section[hardware.NPUList]{Status: ok, Value: hardware.NPUList{Devices: []hardware.NPU{}}},
		Disk:   hardware.Section[hardware.Disk]{Status: ok, Value: hardware.Disk{TotalBytes: 512e9, FreeBytes: 230e9, Kind: "ssd"}},
		System: hardware.Section[hardware.System]{Status: ok, Value: hardware.System{OS: "windows", Platform: "Microsoft Windows 11 Pro", Arch: "amd64", FormFactor: "laptop"}},
		Power:  hardware.Section[hardware.Power]{Status: hardware.StatusUnknown, Reason: "no answer within 3s"},
	})
}

// makeReport writes and signs a report with the real report and signing
// code.
func makeReport(t testing.TB, key *signing.Key, s spec) (data, sig []byte) {
	t.Helper()
	if s.created.IsZero() {
		s.created = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	}
	if s.ramGB == 0 {
		s.ramGB = 16
	}
	r := report.New(key, s.created)
	r.Device.OrgUnit = s.orgUnit
	r.Device.Hostname = s.hostname
	r.Summary.Steps = []report.Step{{Name: "inventory", Status: report.StepDone, DurationMS: 120}}
	r.Sections.Inventory = inventory(s)
	if s.bandwidth > 0 {
		r.Sections.Probe = &probe.Result{Complete: true, Started: s.created, Seconds: 4.2, Threads: 12, BufferBytes: 256 << 20,
			MemoryReadGBps: &probe.Stat{Median: s.bandwidth, Min: s.bandwidth * 0.97, Max: s.bandwidth * 1.02, Q1: s.bandwidth * 0.99, Q3: s.bandwidth * 1.01,
				Samples: []float64{s.bandwidth * 0.97, s.bandwidth * 0.99, s.bandwidth, s.bandwidth * 1.01, s.bandwidth * 1.02}}}
		r.Summary.Steps = append(r.Summary.Steps, report.Step{Name: "probe", Status: report.StepDone, DurationMS: 4200})
	}
	switch {
	case s.judge:
		r.Sections.Fit, r.Summary.Verdicts = judged(t, s)
		r.Summary.Steps = append(r.Summary.Steps, report.Step{Name: "fit", Status: report.StepDone, DurationMS: 3})
		r.Bundles = append(r.Bundles,
			report.Bundle{Kind: "models", ID: "kicheck-models", Version: "2026.11", SHA256: strings.Repeat("ab", 32), Source: "embedded"},
			report.Bundle{Kind: "usecases", ID: "kicheck-usecases", Version: "2026.11", SHA256: strings.Repeat("cd", 32), Source: "embedded"})
	case s.readyWithRAM != nil:
		r.Summary.Verdicts = s.verdicts
		f := &report.Fit{Machine: report.FitMachine{RAMTotalBytes: s.ramGB << 30, RAMAvailableBytes: s.ramGB << 29, MemoryReadGBps: s.bandwidth}}
		for _, v := range s.verdicts {
			f.UseCases = append(f.UseCases, report.FitUseCase{UseCase: v.UseCase, Verdict: v.Level, BestModel: v.Model, Reason: "fit.reason.test",
				ReadyWithRAMGB: s.readyWithRAM[v.UseCase],
				Models:         []report.FitModel{{Model: v.Model, Quantization: "Q4_K_M", Verdict: v.Level, Reason: "fit.reason.test", Placement: "ram", MemoryBytes: 3 << 30}}})
		}
		r.Sections.Fit = f
	default:
		r.Summary.Verdicts = s.verdicts
	}
	r.Summary.Overall = report.Overall(r.Summary.Verdicts)
	if s.quiz[0] > 0 {
		// One session of a 20-item quiz with the given mean score.
		r.Sections.Quiz = &report.Quiz{Sessions: []report.QuizSession{{SessionID: "s-1", Title: "KI-Grundlagen", BundleID: "ki-grundlagen", BundleVersion: "1",
			Stats: &quizstats.Report{N: int(s.quiz[0]), MeanTotal: s.quiz[1] / 100 * 20, MaxTotal: 20, Items: []quizstats.ItemStats{}, Areas: []quizstats.AreaStats{}, Warnings: []quizstats.Warning{}}}}}
	}
	return signReport(t, key, r)
}

// signReport writes a report's bytes and signs them, as the check does.
func signReport(t testing.TB, key *signing.Key, r *report.Report) (data, sig []byte) {
	t.Helper()
	data, err := report.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if sig, err = key.Sign(data); err != nil {
		t.Fatal(err)
	}
	return data, sig
}

// judgedCache keeps the fit of each kind of PC: a fleet of thousands has
// a few hundred kinds, and the fit takes a millisecond.
var judgedCache sync.Map

// judged is the fit section and verdicts the check writes for a PC like s
// (report.NewFit with the embedded catalogue). A verdict's measured speed
// is the prediction × 0.9, as if the AI test had run.
func judged(t testing.TB, s spec) (*report.Fit, []report.Verdict) {
	t.Helper()
	type fitted struct {
		fit      *report.Fit
		verdicts []report.Verdict
	}
	k := fmt.Sprint(s.ramGB, s.bandwidth, s.gpu, s.vramGB, s.gops)
	if v, ok := judgedCache.Load(k); ok {
		f := v.(fitted)
		return f.fit, f.verdicts
	}
	cat, err := fit.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	mc := fit.Machine{RAMTotalBytes: s.ramGB << 30, RAMAvailableBytes: s.ramGB << 29, MemoryReadGBps: s.bandwidth, ProbeComplete: true}
	mc.Compute.GOPS = 12 * 2.5 * 32 * 0.12 * 10 // 12 threads, AVX2
	if s.gops > 0 {
		mc.Compute.GOPS = s.gops
	}
	if s.gpu != "" {
		mc.GPUs = []fit.GPU{{Name: s.gpu, VRAMBytes: s.vramGB << 30, Discrete: true}}
	}
	f, verdicts := report.NewFit(mc, cat)
	for i, v := range verdicts {
		if v.PredictedTokensPerSecond != nil {
			verdicts[i].MeasuredTokensPerSecond = ptr(math.Round(*v.PredictedTokensPerSecond*9) / 10)
		}
	}
	judgedCache.Store(k, fitted{f, verdicts})
	return f, verdicts
}

func verdict(useCase, model, level string, tps float64) report.Verdict {
	return report.Verdict{Subject: useCase + " (" + model + ")", UseCase: useCase, Model: model, Level: level,
		Reason: "Testbericht.", MeasuredTokensPerSecond: &tps}
}

// testDB is a Store with the raw query methods the tests use; queries
// are written with ? and rebound for PostgreSQL.
type testDB struct{ Store }

func (d testDB) QueryRow(query string, args ...any) *sql.Row {
	return DB(d.Store).QueryRow(d.sqlBase().q(query), args...)
}

func (d testDB) Query(query string, args ...any) (*sql.Rows, error) {
	return DB(d.Store).Query(d.sqlBase().q(query), args...)
}

func (d testDB) Exec(query string, args ...any) (sql.Result, error) {
	return DB(d.Store).Exec(d.sqlBase().q(query), args...)
}

// onPostgres reports whether t runs in the PostgreSQL part of the suite
// (TestPostgres, store_test.go): openDB then gives a fresh database on
// the shared test cluster.
func onPostgres(t testing.TB) bool { return strings.HasPrefix(t.Name(), "TestPostgres/") }

func openDB(t testing.TB) testDB {
	t.Helper()
	return openDBIn(t, t.TempDir())
}

func openDBIn(t testing.TB, dir string) testDB {
	t.Helper()
	var s Store
	var err error
	if onPostgres(t) {
		s, err = OpenPostgres(context.Background(), pgtest.Shared(t).NewDatabase(t), PostgresOptions{Password: pgtest.Password, MaxConns: 4})
	} else {
		s, err = OpenSQLite(context.Background(), filepath.Join(dir, "central.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return testDB{s}
}

// runItems runs the intake over items.
func runItems(t testing.TB, in *Intake, items ...Item) Summary {
	t.Helper()
	ch := make(chan Item, len(items))
	for _, it := range items {
		ch <- it
	}
	close(ch)
	sum, err := in.Run(context.Background(), ch, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func countRows(t testing.TB, db testDB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s", table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
