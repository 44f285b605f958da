package probe

import (
	"context"
	"testing"
	"time"
)

// pass returns a pass function that takes the given durations in turn and
// reads 1 GB each time.
func timedPasses(d ...time.Duration) func() float64 {
	i := 0
	return func() float64 {
		time.Sleep(d[i%len(d)])
		i++
		return 1e9
	}
}

func TestSteadyStopsOnceTheWindowAgrees(t *testing.T) {
	opts := Options{Repetitions: 5, TargetSpread: 0.05, MaxBandwidthSeconds: 5, SampleSeconds: 0.01}
	// Each pass "reads" as many bytes as its time allows at 10 GB/s, so
	// the rate is steady however the scheduler treats this test.
	steady := func() float64 {
		t0 := time.Now()
		time.Sleep(time.Millisecond)
		return time.Since(t0).Seconds() * 10e9
	}
	s, st, err := measureSteady(context.Background(), opts, func(float64) {}, steady)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Stable || len(s) < 5 || len(s) > 10 || st.Samples != len(s) || st.Window != 5 {
		t.Errorf("%d samples, %+v: want stable after about 5", len(s), st)
	}
	if !(st.LowGBps <= st.SustainedGBps && st.SustainedGBps <= st.HighGBps && st.SpreadPercent <= 5) {
		t.Errorf("figures not ordered: %+v", st)
	}
}

func TestSteadyGivesUpAtTheTimeLimitAndSaysSo(t *testing.T) {
	// Passes alternating 2 and 8 ms never agree within 5 %.
	opts := Options{Repetitions: 4, TargetSpread: 0.05, MaxBandwidthSeconds: 0.3, SampleSeconds: 0.001}
	last := 0.0
	s, st, err := measureSteady(context.Background(), opts, func(f float64) {
		if f < last || f > 1 {
			t.Errorf("progress %.2f after %.2f", f, last)
		}
		last = f
	}, timedPasses(2*time.Millisecond, 8*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if st.Stable || st.SpreadPercent < 20 || st.Seconds < 0.3 || st.Seconds > 2 || len(s) < 4 {
		t.Errorf("%d samples, %+v: want unstable, stopped at the 0.3 s limit", len(s), st)
	}
	// The sustained figure is the window's lower quartile: below its median.
	if st.SustainedGBps >= newStat(s[len(s)-4:]).Median {
		t.Errorf("sustained %.1f not below the median of %v", st.SustainedGBps, s)
	}
}

func TestSteadyKeepsWhatItMeasuredWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	opts := Options{Repetitions: 50, TargetSpread: 0.001, MaxBandwidthSeconds: 10, SampleSeconds: 0.001}
	n := 0
	s, st, err := measureSteady(ctx, opts, func(float64) {
		if n++; n == 3 {
			cancel()
		}
	}, timedPasses(time.Millisecond))
	if err == nil || len(s) != 3 || st.Samples != 3 {
		t.Errorf("err %v, %d samples, %+v: want cancelled with 3 samples", err, len(s), st)
	}
}

func TestCombineTakesTheMedianOfThisPCsProbes(t *testing.T) {
	cpu := CPU{Model: "AMD EPYC", LogicalCores: 2}
	probe := func(sustained, lo, hi float64, ago time.Duration) Result {
		r := Result{Complete: true, Started: time.Now().Add(-ago), Steady: &Steadiness{SustainedGBps: sustained, LowGBps: lo, HighGBps: hi, CPUShare: sustained / 100}}
		r.Compute.CPU = cpu
		return r
	}
	cur := probe(50, 50, 58, 0)
	earlier := []Result{probe(31, 31, 34, time.Hour), probe(33, 32, 35, 2*time.Hour), probe(32, 30, 33, 3*time.Hour)}
	other := probe(90, 90, 95, 30*time.Minute)
	other.Compute.CPU.Model = "Intel Core i5"
	old := Result{Complete: true, Started: time.Now().Add(-4 * time.Hour), MemoryReadGBps: &Stat{Median: 40, Q1: 34, Q3: 44}}
	old.Compute.CPU = cpu

	c := Combine(cur, append([]Result{other}, append(earlier, old)...))
	// Figures 50, 31, 33, 32, 34 (the old probe's lower quartile): median 33.
	if c.Probes != 5 || c.GBps != 33 || c.LowGBps != 30 || c.HighGBps != 58 {
		t.Errorf("combined %+v, want 5 probes, 33 GB/s in 30–58", c)
	}
	// CPU shares 0.50, 0.31, 0.33, 0.32 (the old probe has none): median 0.325.
	if c.CPUShare < 0.3249 || c.CPUShare > 0.3251 {
		t.Errorf("combined CPU share %.3f, want 0.325", c.CPUShare)
	}
	oneThread := probe(10, 10, 11, time.Minute)
	oneThread.Threads, cur.Threads = 1, 2
	if c := Combine(cur, []Result{oneThread}); c.Probes != 1 {
		t.Errorf("a one-thread probe combined with a two-thread one: %+v", c)
	}
	cur.Threads = 0
	if !c.Since.Equal(old.Started) {
		t.Errorf("since %v, want the oldest probe's start %v", c.Since, old.Started)
	}
	if alone := Combine(cur, nil); alone.Probes != 1 || alone.GBps != 50 || alone.LowGBps != 50 || alone.HighGBps != 58 {
		t.Errorf("alone %+v", alone)
	}
	if none := Combine(Result{}, earlier); none.Probes != 0 {
		t.Errorf("a probe without bandwidth combined %+v", none)
	}
	// The current probe is not counted twice when History returns it too.
	if twice := Combine(cur, []Result{cur}); twice.Probes != 1 {
		t.Errorf("current probe counted twice: %+v", twice)
	}
}

func TestSteadySaysHowMuchOfTheProcessorItGot(t *testing.T) {
	// Busy passes on one thread get nearly all of it; sleeping passes
	// almost nothing. Either way the share is between 0 and 1.
	busy := func() float64 {
		t0 := time.Now()
		for time.Since(t0) < 5*time.Millisecond {
		}
		return 1e9
	}
	opts := Options{Threads: 1, Repetitions: 5, TargetSpread: 0.5, MaxBandwidthSeconds: 1, SampleSeconds: 0.01}
	_, st, err := measureSteady(context.Background(), opts, func(float64) {}, busy)
	if err != nil {
		t.Fatal(err)
	}
	_, idle, _ := measureSteady(context.Background(), opts, func(float64) {}, timedPasses(5*time.Millisecond))
	if !(st.CPUShare > idle.CPUShare && st.CPUShare <= 1 && idle.CPUShare >= 0 && idle.CPUShare < 0.5) {
		t.Errorf("busy share %.2f, sleeping share %.2f: want busy above sleeping, sleeping under 0.5", st.CPUShare, idle.CPUShare)
	}
}

// TestCombineTakesTheLowerLevelOfTheKernels: the decode kernel figures are
// combined to their lower level (lower quartile once busy moments under
// half the median are dropped), the prompt kernel's to their median, the
// range from their quartiles; a probe without kernels (older, or no AVX2)
// counts for the bandwidth only.
func TestCombineTakesTheLowerLevelOfTheKernels(t *testing.T) {
	cpu := CPU{Model: "AMD EPYC", LogicalCores: 2}
	probe := func(kernel, lo, hi, gops float64, ago time.Duration) Result {
		r := Result{Complete: true, Started: time.Now().Add(-ago), Steady: &Steadiness{SustainedGBps: 30, LowGBps: 29, HighGBps: 31}, KernelISA: "AVX2"}
		if kernel > 0 {
			r.DecodeKernel = &Steadiness{MedianGBps: kernel, LowGBps: lo, HighGBps: hi}
			r.PromptKernelGOPS = &Stat{Median: gops}
		}
		r.Compute.CPU = cpu
		return r
	}
	// A busy moment (1.0 GB/s: the thread team's barrier waited for a
	// thread the OS had taken away) among quiet ones.
	cur := probe(1.0, 1.0, 1.2, 5, 0)
	earlier := []Result{probe(24, 23, 25, 60, time.Hour), probe(25, 24, 26, 62, 2*time.Hour), probe(0, 0, 0, 0, 3*time.Hour), probe(26, 25, 27, 58, 4*time.Hour)}
	c := Combine(cur, earlier)
	if c.Probes != 5 || c.KernelProbes != 4 || c.DecodeKernelGBps != 24.5 || c.DecodeKernelLowGBps != 1.0 || c.DecodeKernelHighGBps != 27 || c.PromptKernelGOPS != 59 {
		t.Errorf("combined %+v, want 4 kernel probes, 24.5 GB/s in 1.0–27, 59 GOPS", c)
	}
	// Two levels that each last a while (the development VM with two
	// threads): the combined figure is the lower one, though the newest
	// probe caught the higher.
	levels := []Result{probe(30, 29, 31, 60, time.Hour), probe(38, 37, 39, 60, 2*time.Hour), probe(31, 30, 32, 60, 3*time.Hour), probe(30, 29, 31, 60, 4*time.Hour)}
	if c := Combine(probe(37, 36, 38, 60, 0), levels); c.DecodeKernelGBps != 30 {
		t.Errorf("two levels combined to %.2f GB/s, want the lower level 30", c.DecodeKernelGBps)
	}
	if alone := Combine(probe(0, 0, 0, 0, 0), nil); alone.KernelProbes != 0 || alone.DecodeKernelGBps != 0 || alone.PromptKernelGOPS != 0 {
		t.Errorf("without kernels %+v", alone)
	}
}

// TestCombineTakesTheLowerLevelOfTheKQuantKernel: the K-quant kernel is
// combined like the decode kernel (lower level, range from the quartiles)
// over the probes that ran it; older probes without it count for the
// other figures only, and none of them leaves it at 0.
func TestCombineTakesTheLowerLevelOfTheKQuantKernel(t *testing.T) {
	cpu := CPU{Model: "AMD EPYC", LogicalCores: 2}
	probe := func(kquant float64, ago time.Duration) Result {
		r := Result{Complete: true, Started: time.Now().Add(-ago), Steady: &Steadiness{SustainedGBps: 30, LowGBps: 29, HighGBps: 31}, KernelISA: "AVX2",
			DecodeKernel: &Steadiness{MedianGBps: 45, LowGBps: 44, HighGBps: 46}, PromptKernelGOPS: &Stat{Median: 140}}
		if kquant > 0 {
			r.KQuantKernel = &Steadiness{MedianGBps: kquant, LowGBps: kquant - 1, HighGBps: kquant + 1}
		}
		r.Compute.CPU = cpu
		return r
	}
	c := Combine(probe(40, 0), []Result{probe(34, time.Hour), probe(0, 2*time.Hour), probe(35, 3*time.Hour), probe(36, 4*time.Hour)})
	if c.KQuantProbes != 4 || c.KernelProbes != 5 || c.KQuantKernelGBps != 34.75 || c.KQuantKernelLowGBps != 33 || c.KQuantKernelHighGBps != 41 {
		t.Errorf("combined %+v, want 4 K-quant probes, 34.75 GB/s in 33–41", c)
	}
	if old := Combine(probe(0, 0), []Result{probe(0, time.Hour)}); old.KQuantProbes != 0 || old.KQuantKernelGBps != 0 || old.DecodeKernelGBps != 45 {
		t.Errorf("without the K-quant kernel %+v", old)
	}
}
