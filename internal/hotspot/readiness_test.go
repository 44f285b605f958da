package hotspot

import (
	"context"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
)

// TestMeasuredReadinessIsWhatTheOtherViewsShow: the portfolio's readiness
// takes this PC's verdicts from the one pipeline (check.ThisPC: the probes
// combined, knapp verdicts held), not from the newest probe alone; here
// the newest probe alone (a busy moment) judges fewer use cases better
// than "nicht bereit".
func TestMeasuredReadinessIsWhatTheOtherViewsShow(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	dataDir := t.TempDir()
	fc, err := fit.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	hc := loadCatalogue(t, "")
	start := time.Now().Add(-time.Hour)
	mk := func(i int, kernel float64) probe.Result {
		pr := probe.Result{Complete: true, Started: start.Add(time.Duration(i) * time.Minute), Threads: 4, KernelISA: "AVX2",
			Steady:             &probe.Steadiness{SustainedGBps: kernel, LowGBps: kernel * 0.95, HighGBps: kernel * 1.05},
			DecodeKernel:       &probe.Steadiness{MedianGBps: kernel, LowGBps: kernel * 0.95, HighGBps: kernel * 1.05},
			KQuantKernel:       &probe.Steadiness{MedianGBps: kernel * 0.8, LowGBps: kernel * 0.75, HighGBps: kernel * 0.85},
			PromptKernelSteady: &probe.Steadiness{MedianGBps: 4 * kernel}}
		pr.Compute.CPU = probe.CPU{Model: "Test CPU", LogicalCores: 8, PhysicalCores: 4}
		return pr
	}
	var newest probe.Result
	for i, k := range []float64{60, 62, 61, 59, 1} {
		newest = mk(i, k)
		if _, err := probe.Save(ctx, db, newest, nil); err != nil {
			t.Fatal(err)
		}
	}
	r, ok, err := MeasuredReadiness(ctx, db, dataDir, fc, hc, probe.MaxAge)
	if err != nil || !ok || len(r.UseCases) == 0 {
		t.Fatalf("readiness %+v, %v, %v", r, ok, err)
	}
	inv := hardware.Collect(ctx, hardware.Options{DataDir: dataDir})
	shown := check.ThisPC(ctx, db, fc, inv, newest, nil, "de")
	aloneReady := 0
	for _, a := range fit.Assess(fit.MachineFrom(inv, newest), fc) {
		if a.Verdict != fit.NotReady {
			aloneReady++
		}
	}
	differs := 0
	for _, a := range shown.Assessments {
		got, ok := r.UseCases[a.UseCase.ID]
		if !ok {
			continue
		}
		if got.Verdict != a.Verdict || got.Model != a.Best {
			t.Errorf("%s: readiness %s (%s), the other views %s (%s)", a.UseCase.ID, got.Verdict, got.Model, a.Verdict, a.Best)
		}
		if a.Verdict != fit.NotReady {
			differs++
		}
	}
	if aloneReady >= differs {
		t.Fatalf("the newest probe alone judges %d use cases better than nicht bereit, the combined probes %d: this test would not tell the two apart", aloneReady, differs)
	}
}
