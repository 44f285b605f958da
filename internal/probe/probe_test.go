package probe

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

func small() Options {
	return Options{BufferBytes: 32 << 20, Repetitions: 3, MaxBandwidthSeconds: 1, MaxKernelSeconds: 1, SampleSeconds: 0.02, PureGo: true}
}

func TestRunMeasuresEverything(t *testing.T) {
	var calls atomic.Int32
	last := -1.0
	r, err := Run(context.Background(), small(), func(step string, done float64) {
		calls.Add(1)
		if done < last {
			t.Errorf("progress went back: %s %.2f after %.2f", step, done, last)
		}
		last = done
	})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Complete || r.Incomplete != "" {
		t.Errorf("complete=%v incomplete=%q", r.Complete, r.Incomplete)
	}
	stats := map[string]*Stat{"bandwidth": r.MemoryReadGBps, "matvec int8": r.MatVecInt8GOPS, "matvec q4": r.MatVecQ4GOPS, "matmul": r.MatMulInt8GOPS}
	if KernelISA() != "" {
		stats["decode kernel"], stats["prompt kernel"] = r.DecodeKernelGBps, r.PromptKernelGOPS
		if r.KernelISA != KernelISA() || r.DecodeKernel == nil || r.DecodeKernelSustained() <= 0 || r.PromptKernel() <= 0 || r.KQuantKernelSustained() <= 0 {
			t.Errorf("kernels: isa %q, steady %+v, prompt %v, K-quant %+v", r.KernelISA, r.DecodeKernel, r.PromptKernel(), r.KQuantKernel)
		}
	}
	for name, s := range stats {
		if s == nil {
			t.Fatalf("%s not measured", name)
		}
		if !(s.Min > 0 && s.Min <= s.Q1 && s.Q1 <= s.Median && s.Median <= s.Q3 && s.Q3 <= s.Max) {
			t.Errorf("%s: spread not ordered: %+v", name, s)
		}
	}
	if n := len(r.MemoryReadGBps.Samples); n < 3 || r.Steady == nil || r.Steady.Samples != n {
		t.Errorf("%d bandwidth samples (steady %+v), want at least 3, all counted", n, r.Steady)
	}
	if last != 1 || calls.Load() < 5 {
		t.Errorf("progress: %d calls, last %.2f", calls.Load(), last)
	}
	if r.Compute.GOPS <= 0 || r.Compute.Basis == "" {
		t.Errorf("compute estimate: %+v", r.Compute)
	}
}

func TestCancelKeepsWhatWasMeasuredAndIsIncomplete(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := Run(ctx, small(), func(step string, done float64) {
		if step == StepMatVec {
			cancel() // cancel once the bandwidth is measured
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if r.Complete || r.Incomplete == "" {
		t.Errorf("complete=%v incomplete=%q, want an incomplete result", r.Complete, r.Incomplete)
	}
	if r.MemoryReadGBps == nil || r.MemoryReadGBps.Median <= 0 {
		t.Error("bandwidth measured before the cancel is lost")
	}
	if r.MatMulInt8GOPS != nil {
		t.Error("matmul ran after cancel")
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Run(ctx, small(), nil)
	if !errors.Is(err, context.Canceled) || r.Complete {
		t.Fatalf("err=%v complete=%v", err, r.Complete)
	}
}

func TestStatQuantiles(t *testing.T) {
	s := newStat([]float64{5, 1, 4, 2, 3})
	if s.Median != 3 || s.Min != 1 || s.Max != 5 || s.Q1 != 2 || s.Q3 != 4 {
		t.Errorf("%+v", s)
	}
	s = newStat([]float64{1, 2, 3, 4})
	if s.Median != 2.5 || s.Q1 != 1.75 || s.Q3 != 3.25 {
		t.Errorf("%+v", s)
	}
}

func TestComputeEstimateOrdersISAs(t *testing.T) {
	base := CPU{LogicalCores: 8, PhysicalCores: 4, MaxMHz: 3000}
	sse := EstimateCompute(base)
	avx2 := base
	avx2.AVX2, avx2.FMA = true, true
	a2 := EstimateCompute(avx2)
	avx512 := avx2
	avx512.AVX512F, avx512.AVX512VNNI = true, true
	a5 := EstimateCompute(avx512)
	if !(sse.GOPS < a2.GOPS && a2.GOPS < a5.GOPS) {
		t.Errorf("SSE %.0f, AVX2 %.0f, AVX-512 %.0f: want increasing", sse.GOPS, a2.GOPS, a5.GOPS)
	}
	// 4 cores × 3 GHz × 64 ops/cycle = 768 GOPS peak for AVX2.
	if a2.PeakGOPS != 768 || a2.ISA != "AVX2" {
		t.Errorf("AVX2 peak %.0f (%s), want 768", a2.PeakGOPS, a2.ISA)
	}
	unknown := EstimateCompute(CPU{LogicalCores: 2})
	if unknown.Assumed == "" || unknown.GHz != defaultGHz || unknown.Cores != 2 {
		t.Errorf("unknown clock: %+v", unknown)
	}
}

func TestSaveMarksOnlyCompleteRunsDone(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	complete := Result{Complete: true, Started: time.Now(), MemoryReadGBps: &Stat{Median: 20}}
	cancelled := Result{Complete: false, Started: time.Now(), MemoryReadGBps: &Stat{Median: 99}, Incomplete: "cancelled"}
	if _, err := Save(ctx, db, complete, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Save(ctx, db, cancelled, context.Canceled); err != nil {
		t.Fatal(err)
	}
	runs, _ := db.ListRuns(ctx, RunKind, 10)
	if len(runs) != 2 || runs[0].Status != store.StatusCancelled || runs[1].Status != store.StatusDone {
		t.Fatalf("runs %+v", runs)
	}
	got, ok, err := Latest(ctx, db, time.Hour)
	if err != nil || !ok || got.ReadGBps() != 20 {
		t.Errorf("latest = %.0f GB/s (%v, %v), want the complete 20 GB/s run", got.ReadGBps(), ok, err)
	}
}

func TestRepetitionCountsExcludeWarmUp(t *testing.T) {
	r, err := Run(context.Background(), Options{BufferBytes: 16 << 20, Repetitions: 8, PureGo: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// At least 8 bandwidth samples (more until the last 8 agree or the
	// time is up); the compute tests take max(3, 8/2) = 4 each.
	if n := len(r.MemoryReadGBps.Samples); n < 8 || r.Steady.Window != 8 || r.Steady.Samples != n {
		t.Errorf("%d bandwidth samples (steady %+v), want at least 8 and a window of 8", n, r.Steady)
	}
	for name, s := range map[string]*Stat{"int8": r.MatVecInt8GOPS, "q4": r.MatVecQ4GOPS, "matmul": r.MatMulInt8GOPS} {
		if len(s.Samples) != 4 {
			t.Errorf("%s: %d samples, want 4", name, len(s.Samples))
		}
	}
}

// TestDefaultProbeRunsTheKernelsNotThePureGoTests: where the SIMD kernels
// run they are the compute figures, and the pure-Go tests (2–5 s) are left
// out unless asked for.
func TestDefaultProbeRunsTheKernelsNotThePureGoTests(t *testing.T) {
	if KernelISA() == "" {
		t.Skip("no SIMD kernel on this CPU/architecture")
	}
	r, err := Run(context.Background(), Options{BufferBytes: 16 << 20, Repetitions: 3, MaxBandwidthSeconds: 1, MaxKernelSeconds: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.DecodeKernelGBps == nil || r.PromptKernelGOPS == nil || r.MatVecInt8GOPS != nil || r.MatMulInt8GOPS != nil {
		t.Errorf("kernels %v/%v, pure Go %v/%v", r.DecodeKernelGBps, r.PromptKernelGOPS, r.MatVecInt8GOPS, r.MatMulInt8GOPS)
	}
	if r.DecodeKernel.Window != 3 || r.DecodeKernel.Samples < 3 || r.PromptKernelSteady == nil || r.PromptKernelSteady.Samples < 3 {
		t.Errorf("decode kernel steadiness %+v, prompt kernel %+v", r.DecodeKernel, r.PromptKernelSteady)
	}
}

// TestOneThreadKernelBesideTheTeam: with more than one thread the probe
// also runs the decode kernel on one thread (a diagnostic); with one
// thread the team's figure is the same thing.
func TestOneThreadKernelBesideTheTeam(t *testing.T) {
	if KernelISA() == "" {
		t.Skip("no SIMD kernel on this CPU/architecture")
	}
	opts := Options{BufferBytes: 16 << 20, Repetitions: 3, MaxBandwidthSeconds: 0.5, MaxKernelSeconds: 1}
	opts.Threads = 2
	two, err := Run(context.Background(), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := two.DecodeKernelOneThread; st == nil || st.Samples < 3 || st.MedianGBps <= 0 || two.DecodeKernelOneThreadSustained() != st.MedianGBps {
		t.Fatalf("two threads: one-thread kernel %+v", st)
	}
	opts.Threads = 1
	one, err := Run(context.Background(), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if one.DecodeKernelOneThread != nil || one.DecodeKernelOneThreadSustained() != one.DecodeKernelSustained() || one.DecodeKernelSustained() <= 0 {
		t.Errorf("one thread: separate one-thread kernel %+v, figure %.2f, team %.2f", one.DecodeKernelOneThread, one.DecodeKernelOneThreadSustained(), one.DecodeKernelSustained())
	}
	if old := (Result{Threads: 2, DecodeKernel: two.DecodeKernel}); old.DecodeKernelOneThreadSustained() != 0 {
		t.Errorf("a probe stored before the one-thread kernel: %.2f, want 0", old.DecodeKernelOneThreadSustained())
	}
}
