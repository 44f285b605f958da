package collect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// signedCorpus makes n real signed reports from n/4 devices, each with an
// inventory, a probe, and the fit section and verdicts of the embedded
// catalogue for its kind of PC: what the headless check sends.
func signedCorpus(b testing.TB, n int) []Item {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([]*signing.Key, max(1, n/4))
	for i := range keys {
		keys[i] = newKey(b)
	}
	items := make([]Item, n)
	for i := range items {
		s := randomSpec(rng, time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute))
		d, sg := makeReport(b, keys[i%len(keys)], s)
		items[i] = Item{Source: fmt.Sprintf("r%d.json", i), Data: d, Sig: sg}
	}
	return items
}

var (
	orgUnits = []string{"Bürgerservice", "Bauamt", "Ordnungsamt", "Jugendamt", "Kämmerei", "Personalamt", "Stadtbibliothek", "IT"}
	ramSpecs = []uint64{4, 8, 8, 16, 16, 16, 32, 64}
)

// randomSpec is a PC of a municipal fleet, judged by the fit as the check
// does. The bandwidth comes in steps of 5 GB/s, so the fleet has a few
// hundred kinds of PC (judged caches the fit per kind).
func randomSpec(rng *rand.Rand, created time.Time) spec {
	s := spec{created: created, orgUnit: orgUnits[rng.IntN(len(orgUnits))], ramGB: ramSpecs[rng.IntN(len(ramSpecs))],
		bandwidth: float64(15 + 5*rng.IntN(18)), judge: true}
	if rng.IntN(5) == 0 {
		s.gpu, s.vramGB = "NVIDIA RTX A2000", 6
	}
	if rng.IntN(10) == 0 {
		s.quiz = [2]float64{float64(5 + rng.IntN(20)), 40 + rng.Float64()*50}
	}
	return s
}

// BenchmarkIntake verifies (signature, schema, hashes) and stores real
// signed reports through Run, in batches, into a fresh database per
// round. The figure is reports/s; the reference in the same run is
// BenchmarkVerifyOnly (verification alone, one core).
func BenchmarkIntake(b *testing.B) {
	defer asTheCommandsRun()()
	const n = 2000
	items := signedCorpus(b, n)
	ctx := context.Background()
	var total, cpu time.Duration
	rounds := 0
	for b.Loop() {
		b.StopTimer()
		db := openDB(b)
		ch := make(chan Item, len(items))
		for _, it := range items {
			ch <- it
		}
		close(ch)
		in := NewIntake(db, Trust{Enroll: true})
		b.StartTimer()
		start, cpu0 := time.Now(), processCPU()
		sum, err := in.Run(ctx, ch, Options{})
		total += time.Since(start)
		cpu += processCPU() - cpu0
		rounds++
		if err != nil || sum.Accepted != n {
			b.Fatalf("%v %+v", err, sum.Line("en"))
		}
	}
	b.ReportMetric(float64(n*rounds)/total.Seconds(), "reports/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n*rounds), "cpu-µs/report")
}

// BenchmarkVerifyOnly is the reference: report.Verify of the same reports
// on one goroutine.
func BenchmarkVerifyOnly(b *testing.B) {
	defer asTheCommandsRun()()
	items := signedCorpus(b, 200)
	i := 0
	cpu0 := processCPU()
	for b.Loop() {
		it := items[i%len(items)]
		if res := report.Verify(it.Data, it.Sig, report.VerifyOptions{}); !res.Valid {
			b.Fatal(res.Message)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/report")
}

// fillSynthetic writes devices×perDevice rows straight through the
// intake's store path, without signing and verifying each one (that would
// take minutes for 260,000 reports; BenchmarkIntake measures it). The
// rows carry the columns and verdicts a real report gives, and as the
// stored bytes the real check report of testdata, compressed as the
// intake stores it, so the file table has a realistic size. Real signed
// reports are added on top by the caller.
func fillSynthetic(b testing.TB, in *Intake, devices, perDevice int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	real, err := os.ReadFile(filepath.Join("testdata", "real-check-report.json"))
	if err != nil {
		b.Fatal(err)
	}
	blob, encoding := packReport(real)
	start := time.Date(2025, 12, 1, 8, 0, 0, 0, time.UTC)
	var batch []checked
	n := 0
	flush := func() {
		if err := in.store(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for week := range perDevice {
		for dev := range devices {
			s := randomSpec(rng, start.AddDate(0, 0, 7*week).Add(time.Duration(dev)*time.Second))
			fitSection, verdicts := judged(b, s)
			sum := sha256.Sum256(fmt.Appendf(nil, "%d-%d", dev, week))
			id := hex.EncodeToString(sum[:])
			rw := row{SHA256: id, ReportID: id[:32], DeviceID: fmt.Sprintf("kc-%020d", dev), PublicKey: fmt.Sprintf("ssh-ed25519 SYNTHETIC%d", dev),
				Fingerprint: "SHA256:synthetic", Created: s.created, Source: "synthetic", OrgUnit: s.orgUnit, Overall: report.Overall(verdicts),
				Status: report.StatusComplete, OS: "Microsoft Windows 11 Pro", CPUModel: "Intel(R) Core(TM) i5-1335U", Threads: ptr(int64(12)),
				RAMBytes: ptr(int64(s.ramGB << 30)), GPUModel: s.gpu, VRAMBytes: ptr(int64(s.vramGB << 30)), Bandwidth: ptr(s.bandwidth), Stored: blob, Encoding: encoding, Sig: real[:300]}
			if s.quiz[0] > 0 {
				rw.QuizPeople, rw.QuizScore = ptr(int64(s.quiz[0])), ptr(s.quiz[1])
			}
			for i, v := range verdicts {
				rw.Verdicts = append(rw.Verdicts, verdictRow{UseCase: v.UseCase, Model: v.Model, Subject: v.Subject, Level: v.Level,
					Predicted: v.PredictedTokensPerSecond, Measured: v.MeasuredTokensPerSecond, ReadyWithRAMGB: ptr(int64(fitSection.UseCases[i].ReadyWithRAMGB))})
			}
			batch = append(batch, checked{row: &rw, result: FileResult{Source: "synthetic"}})
			n++
			if len(batch) == 2000 {
				flush()
			}
		}
	}
	flush()
}

// fleetDBs caches the big databases across sub-benchmark rounds.
var fleetDBs sync.Map

func bigFleet(b *testing.B, devices, perDevice, real int) *Intake {
	key := fmt.Sprint(devices, perDevice, real)
	if in, ok := fleetDBs.Load(key); ok {
		return in.(*Intake)
	}
	in := NewIntake(openDBIn(b, b.TempDir()), Trust{Enroll: true})
	start := time.Now()
	fillSynthetic(b, in, devices, perDevice)
	items := signedCorpus(b, real)
	if sum := runItems(b, in, items...); sum.Accepted != real {
		b.Fatalf("real reports: %s", sum.Line("en"))
	}
	var size int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(in.db.Location() + suffix); err == nil {
			size += fi.Size()
		}
	}
	b.Logf("filled %d synthetic + %d real signed reports in %v; database %d MB", devices*perDevice, real, time.Since(start).Round(time.Second), size>>20)
	fleetDBs.Store(key, in)
	return in
}

// BenchmarkFleet is the fleet query (ComputeFleet) and the dashboard
// outputs over central databases of the sizes in issue 7: 100,000
// reports (5,000 devices × 20 weeks), the same as 100,000 devices with
// one report each, and 260,000 reports (5,000 devices × 52 weeks). Each
// also holds 200 real signed reports from 50 devices.
func BenchmarkFleet(b *testing.B) {
	for _, sz := range []struct {
		name               string
		devices, perDevice int
	}{{"100k_reports_5k_devices", 5000, 20}, {"100k_reports_100k_devices", 100000, 1}, {"260k_reports_5k_devices", 5000, 52}} {
		b.Run(sz.name, func(b *testing.B) {
			in := bigFleet(b, sz.devices, sz.perDevice, 200)
			ctx := context.Background()
			b.Run("query", func(b *testing.B) {
				for b.Loop() {
					f, err := ComputeFleet(ctx, in.db, FleetOptions{})
					if err != nil || f.Reports != sz.devices*sz.perDevice+200 {
						b.Fatal(err, f.Reports)
					}
				}
			})
			b.Run("query+html", func(b *testing.B) {
				for b.Loop() {
					f, err := ComputeFleet(ctx, in.db, FleetOptions{})
					if err != nil {
						b.Fatal(err)
					}
					if err := WriteHTML(discard{}, f, "de"); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("device_table_csv", func(b *testing.B) {
				for b.Loop() {
					rows, err := DeviceTable(ctx, in.db)
					if err != nil {
						b.Fatal(err)
					}
					if err := WriteCSV(discard{}, rows); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkVerifyRealCheckReport verifies reports exactly as `kicheck
// check --headless` wrote them on the development VM: version 2 (23 KB,
// the fit's figures) and version 1 (108 KB, the fit's full reasoning, as
// written before 2026-11-27), next to BenchmarkVerifyOnly's generated
// reports: v2 and the generated ones should cost about the same, or the
// generated corpus misleads.
func BenchmarkVerifyRealCheckReport(b *testing.B) {
	defer asTheCommandsRun()()
	for _, c := range []struct{ name, file string }{{"v2", "real-check-report.json"}, {"v1", "real-check-report-v1.json"}} {
		b.Run(c.name, func(b *testing.B) {
			data, sig := readReport(b, c.file)
			for b.Loop() {
				if res := report.Verify(data, sig, report.VerifyOptions{}); !res.Valid {
					b.Fatal(res.Message)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
		})
	}
}

// readReport reads a report and its signature from testdata.
func readReport(b testing.TB, name string) (data, sig []byte) {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	if sig, err = os.ReadFile(filepath.Join("testdata", name+".sig")); err != nil {
		b.Fatal(err)
	}
	return data, sig
}

// asTheCommandsRun sets the garbage collector target kicheck collect and
// kicheck serve run with (IntakeGCPercent), unless GOGC is set: then the
// benchmark runs with that, e.g. GOGC=100 for Go's default. It returns
// the function restoring the previous target.
func asTheCommandsRun() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(IntakeGCPercent)
	return func() { debug.SetGCPercent(old) }
}
