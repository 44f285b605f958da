package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/quizstats"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
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

// spec describes a generated report.
type spec struct {
	created   time.Time
	orgUnit   string
	ramGB     uint64
	vramGB    uint64
	gpu       string
	verdicts  []report.Verdict
	bandwidth float64            // > 0 adds a probe section
	required  map[string]float64 // model → GB, adds a fit section
	quiz      [2]float64         // participants, score percent; adds a quiz section when > 0
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
// code. Sections the typed report does not have yet (probe, fit, quiz) are
// added to the JSON with their integrity hashes, as their packages will.
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
	r.Summary.Verdicts = s.verdicts
	r.Summary.Overall = report.Overall(s.verdicts)
	r.Summary.Steps = []report.Step{{Name: "inventory", Status: report.StepDone, DurationMS: 120}}
	r.Sections.Inventory = inventory(s)
	if s.quiz[0] > 0 {
		// One session of a 20-item quiz with the given mean score.
		r.Sections.Quiz = &report.Quiz{Sessions: []report.QuizSession{{SessionID: "s-1", Title: "KI-Grundlagen", BundleID: "ki-grundlagen", BundleVersion: "1",
			Stats: &quizstats.Report{N: int(s.quiz[0]), MeanTotal: s.quiz[1] / 100 * 20, MaxTotal: 20, Items: []quizstats.ItemStats{}, Areas: []quizstats.AreaStats{}, Warnings: []quizstats.Warning{}}}}}
	}
	data, err := report.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if s.bandwidth > 0 || s.required != nil {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		sections := doc["sections"].(map[string]any)
		if s.bandwidth > 0 {
			sections["probe"] = map[string]any{"memory_read_gbps": s.bandwidth}
		}
		if s.required != nil {
			var ucs []any
			for _, v := range s.verdicts {
				if gb, ok := s.required[v.Model]; ok {
					ucs = append(ucs, map[string]any{"usecase": map[string]any{"id": v.UseCase},
						"models": []any{map[string]any{"model": v.Model, "prediction": map[string]any{"memory": map[string]any{"total_bytes": gbBytes(gb)}}}}})
				}
			}
			sections["fit"] = map[string]any{"usecases": ucs}
		}
		hashes := map[string]any{}
		for name, v := range sections {
			b, _ := json.Marshal(v)
			h, err := report.SectionHash(b)
			if err != nil {
				t.Fatal(err)
			}
			hashes[name] = h
		}
		doc["integrity"] = map[string]any{"algorithm": "sha256", "sections": hashes}
		if data, err = json.MarshalIndent(doc, "", "  "); err != nil {
			t.Fatal(err)
		}
		data = append(data, '\n')
	}
	if sig, err = key.Sign(data); err != nil {
		t.Fatal(err)
	}
	return data, sig
}

func verdict(useCase, model, level string, tps float64) report.Verdict {
	return report.Verdict{Subject: useCase + " (" + model + ")", UseCase: useCase, Model: model, Level: level,
		Reason: "Testbericht.", MeasuredTokensPerSecond: &tps}
}

func openDB(t testing.TB) *store.DB {
	t.Helper()
	return openDBIn(t, t.TempDir())
}

func openDBIn(t testing.TB, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, "central.db"), Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
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

func countRows(t testing.TB, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s", table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func gbBytes(gb float64) int64 { return int64(gb * (1 << 30)) }

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
