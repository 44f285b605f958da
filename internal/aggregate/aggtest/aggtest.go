// Package aggtest is a test harness for the Land's aggregates: a central
// database of a municipality made of real signed reports (the report and
// signing code, taken in by collect with enrolment), and real keys with
// the Land's allowed_signers file. Only tests import it.
package aggtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// Device is one generated PC: its report's date, memory, overall level
// (every use case gets it) and the memory that would make it ready.
type Device struct {
	Created      time.Time
	RAMGB        uint64
	Level        string // report.LevelReady, …
	ReadyWithRAM int    // GB; 0 = ready or memory alone does not do
	Hostname     string
	OrgUnit      string
}

// UseCases are the use cases of the generated verdicts.
var UseCases = [][2]string{{"anfrage-klassifizieren", "llama3.2-3b"}, {"zusammenfassung", "llama3.1-8b"}}

// CentralDB writes the reports of devs into a new central database at
// path (each device its own real key; the hostnames and org units go into
// the reports, so tests can check that none reaches a summary).
func CentralDB(t testing.TB, path string, devs []Device) {
	t.Helper()
	dir := t.TempDir()
	for i, d := range devs {
		key, err := signing.Load(filepath.Join(dir, fmt.Sprintf("key%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		data, sig := makeReport(t, key, d)
		name := filepath.Join(dir, fmt.Sprintf("r%04d.json", i))
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name+".sig", sig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err := collect.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var files []string
	for i := range devs {
		files = append(files, filepath.Join(dir, fmt.Sprintf("r%04d.json", i)))
	}
	sum, err := collect.Collect(context.Background(), db, collect.Trust{Enroll: true}, files, collect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != len(devs) {
		t.Fatalf("collect: %d of %d accepted: %+v", sum.Accepted, len(devs), sum.Localize("en").Files)
	}
}

func makeReport(t testing.TB, key *signing.Key, d Device) (data, sig []byte) {
	t.Helper()
	if d.Created.IsZero() {
		d.Created = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	}
	if d.RAMGB == 0 {
		d.RAMGB = 16
	}
	r := report.New(key, d.Created)
	r.Device.OrgUnit = d.OrgUnit
	r.Device.Hostname = d.Hostname
	r.Summary.Steps = []report.Step{{Name: "inventory", Status: report.StepDone, DurationMS: 120}}
	r.Sections.Inventory = inventory(d)
	f := &report.Fit{Machine: report.FitMachine{RAMTotalBytes: d.RAMGB << 30, RAMAvailableBytes: d.RAMGB << 29}}
	for _, uc := range UseCases {
		tps := 9.5
		r.Summary.Verdicts = append(r.Summary.Verdicts, report.Verdict{Subject: uc[0] + " (" + uc[1] + ")", UseCase: uc[0], Model: uc[1],
			Level: d.Level, Reason: "Testbericht.", MeasuredTokensPerSecond: &tps})
		f.UseCases = append(f.UseCases, report.FitUseCase{UseCase: uc[0], Verdict: d.Level, BestModel: uc[1], Reason: "fit.reason.test",
			ReadyWithRAMGB: d.ReadyWithRAM,
			Models:         []report.FitModel{{Model: uc[1], Quantization: "Q4_K_M", Verdict: d.Level, Reason: "fit.reason.test", Placement: "ram", MemoryBytes: 3 << 30}}})
	}
	r.Sections.Fit = f
	r.Summary.Overall = report.Overall(r.Summary.Verdicts)
	data, err := report.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if sig, err = key.Sign(data); err != nil {
		t.Fatal(err)
	}
	return data, sig
}

func inventory(d Device) *hardware.Inventory {
	ok := hardware.StatusOK
	return report.ScrubInventory(hardware.Inventory{
		SchemaVersion: 1, CollectedAt: d.Created, Complete: true,
		CPU: hardware.Section[hardware.CPU]{Status: ok, Value: hardware.CPU{Vendor: "GenuineIntel", Model: "Intel(R) Core(TM) i5-1335U",
			Arch: "amd64", Sockets: 1, PhysicalCores: 10, Threads: 12}},
		Memory: hardware.Section[hardware.Memory]{Status: ok, Value: hardware.Memory{TotalBytes: d.RAMGB << 30, AvailableBytes: d.RAMGB << 29}},
		GPUs:   hardware.Section[hardware.GPUList]{Status: ok, Value: hardware.GPUList{Devices: []hardware.GPU{{Vendor: "Intel", Model: "Iris Xe Graphics"}}}},
		NPUs:   hardware.Section[hardware.NPUList]{Status: ok, Value: hardware.NPUList{Devices: []hardware.NPU{}}},
		Disk:   hardware.Section[hardware.Disk]{Status: ok, Value: hardware.Disk{TotalBytes: 512e9, FreeBytes: 230e9, Kind: "ssd"}},
		System: hardware.Section[hardware.System]{Status: ok, Value: hardware.System{OS: "windows", Platform: "Microsoft Windows 11 Pro", Arch: "amd64", FormFactor: "laptop"}},
		Power:  hardware.Section[hardware.Power]{Status: hardware.StatusUnknown, Reason: "no answer within 3s"},
	})
}

// Municipality is a municipality's key in the Land's view.
type Municipality struct {
	AGS, Name string
	DataDir   string // holds its signing key (signing.Load)
	Key       *signing.Key
}

// NewMunicipality makes a municipality with a real key in its own data
// folder.
func NewMunicipality(t testing.TB, ags, name string) Municipality {
	t.Helper()
	dir := t.TempDir()
	k, err := signing.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return Municipality{AGS: ags, Name: name, DataDir: dir, Key: k}
}

// AllowedSigners writes the Land's allowed_signers file for ms (each AGS
// as principal) and returns its path.
func AllowedSigners(t testing.TB, ms ...Municipality) string {
	t.Helper()
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s namespaces=%q %s\n", m.AGS, signing.Namespace, signing.AuthorizedKey(m.Key.Public()))
	}
	p := filepath.Join(t.TempDir(), "allowed_signers")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Mixed is a fleet of n devices: a third ready, a third limited, the rest
// not ready, memory from 8 to 32 GB, dates over the 30 days before end.
func Mixed(n int, end time.Time) []Device {
	levels := []string{report.LevelReady, report.LevelLimited, report.LevelNotReady}
	rams := []uint64{8, 16, 32}
	out := make([]Device, n)
	for i := range out {
		l := levels[i%3]
		up := 0
		if l != report.LevelReady {
			up = 32
		}
		out[i] = Device{Created: end.AddDate(0, 0, -(i % 30)), RAMGB: rams[(i/3)%3], Level: l, ReadyWithRAM: up,
			Hostname: fmt.Sprintf("PC-BAUAMT-%03d", i), OrgUnit: "Bauamt"}
	}
	return out
}
