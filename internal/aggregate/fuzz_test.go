package aggregate_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/collect"
)

// sampleDoc is a valid document's bytes.
func sampleDoc(t testing.TB) []byte {
	f := &collect.Fleet{Devices: 12, Overall: collect.Levels{Ready: 7, Limited: 5},
		UseCases: []collect.Readiness{{UseCase: "a", Levels: collect.Levels{Ready: 7, Limited: 5}}},
		RAM:      []collect.Bucket{{Key: "8gb", Devices: 6}, {Key: "16gb", Devices: 6}}, VRAM: []collect.Bucket{{Key: "none", Devices: 12}}}
	d, err := aggregate.Build(f, aggregate.Inputs{Municipality: aggregate.Municipality{Name: "Testdorf", AGS: "15099999"}, Now: now,
		QuizRoles: []aggregate.QuizRole{{Role: "anwender", Participants: 6, MeanScorePercent: 55}}})
	if err != nil {
		t.Fatal(err)
	}
	d.Data = aggregate.DataRange{From: "2026-11-01", To: "2026-11-20"}
	b, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzParse reads arbitrary bytes as an aggregate file: it never panics,
// a refusal names the file, and whatever it accepts keeps the rule that
// no group counts 1 to MinBucket-1 devices.
func FuzzParse(f *testing.F) {
	good := sampleDoc(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(strings.Replace(string(good), `"devices": 7`, `"devices": 2`, 1)))
	f.Add([]byte(`{"format":"kicheck-aggregate-v1"}`))
	f.Add([]byte(strings.Repeat("[", 10000)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := aggregate.Parse("x.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "x.json: ") {
				t.Fatalf("refusal without the file's name: %v", err)
			}
			return
		}
		check := func(gs []aggregate.Group) {
			for _, g := range gs {
				if g.Devices > 0 && g.Devices < aggregate.MinBucket {
					t.Fatalf("accepted a group of %d", g.Devices)
				}
			}
		}
		check(d.Overall)
		check(d.RAM)
		check(d.VRAM)
		check(d.Upgrade)
		for _, r := range append(d.UseCases, d.Models...) {
			check(r.Levels)
			if r.Devices < aggregate.MinBucket {
				t.Fatalf("accepted a row of %d", r.Devices)
			}
		}
	})
}

// The sample document is valid, and a refusal names the field.
func TestParseSample(t *testing.T) {
	if _, err := aggregate.Parse("x.json", sampleDoc(t)); err != nil {
		t.Fatal(err)
	}
	// The published schema says the same of it.
	var v any
	if _, errs := bundle.Decode("x.json", sampleDoc(t), bundle.NewSchema("aggregate.schema.json"), &v); errs != nil {
		t.Errorf("schema: %v", errs)
	}
	bad := strings.Replace(string(sampleDoc(t)), `"ags": "15099999"`, `"ags": "1509999"`, 1)
	if _, err := aggregate.Parse("x.json", []byte(bad)); err == nil || !strings.Contains(err.Error(), "municipality.ags") || !strings.Contains(err.Error(), "x.json:") {
		t.Errorf("bad AGS: %v", err)
	}
	extra := strings.Replace(string(sampleDoc(t)), `"devices": 12,`, `"devices": 12, "device_ids": ["kc-1"],`, 1)
	if _, err := aggregate.Parse("x.json", []byte(extra)); err == nil || !strings.Contains(err.Error(), "device_ids") {
		t.Errorf("unknown field: %v", err)
	}
}

// Memory stays bounded: a huge file is refused after reading at most
// MaxBytes, and the worst input Parse accepts to look at (MaxBytes of
// nesting or of groups) is parsed within a fixed budget.
func TestReadAndParseMemoryBounded(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.json")
	fh, _ := os.Create(big)
	fh.Truncate(256 << 20) // a sparse 256 MiB file
	fh.Close()
	os.WriteFile(big+".sig", []byte("x"), 0o644)
	alloc := allocated(func() {
		if _, _, err := aggregate.ReadFile(big); err == nil {
			t.Error("a 256 MiB file was read")
		}
	})
	if alloc > 4<<20 {
		t.Errorf("refusing a 256 MiB file allocated %d MiB", alloc>>20)
	}
	group := `{"keys":["ready"],"devices":5},`
	for name, data := range map[string]string{
		"nesting": strings.Repeat("[", aggregate.MaxBytes),
		"groups":  `{"overall":[` + strings.Repeat(group, aggregate.MaxBytes/len(group)-2) + `{"keys":["ready"],"devices":5}]}`,
	} {
		alloc := allocated(func() {
			if _, err := aggregate.Parse(name, []byte(data)); err == nil {
				t.Errorf("%s: accepted", name)
			}
		})
		t.Logf("%s: %d bytes in, %d MiB allocated", name, len(data), alloc>>20)
		if alloc > 64<<20 {
			t.Errorf("%s: %d MiB allocated for %d bytes", name, alloc>>20, len(data))
		}
	}
}

func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
