package probe

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkBandwidthVsStream compares the Go bandwidth probe with the C
// reference bench/stream.c (gcc -O3 -march=native -fopenmp, all cores),
// alternating the two in one run so that both see the same machine state.
// It reports the medians and their ratio (goal: go/stream >= 0.90).
//
//	bench/bandwidth.sh            (builds the C program, runs this)
//	KICHECK_STREAM=/path/to/stream go test -run '^$' -bench BandwidthVsStream -benchtime 1x ./internal/probe
//
// Without KICHECK_STREAM the benchmark builds bench/stream.c itself and
// skips when gcc or OpenMP is missing. KICHECK_STREAM_ROUNDS sets the
// number of alternations (default 7).
func BenchmarkBandwidthVsStream(b *testing.B) {
	bin := os.Getenv("KICHECK_STREAM")
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "stream")
		src, _ := filepath.Abs("../../bench/stream.c")
		out, err := exec.Command("gcc", "-O3", "-march=native", "-fopenmp", src, "-o", bin).CombinedOutput()
		if err != nil {
			b.Skipf("cannot build the C reference (gcc with OpenMP needed): %v\n%s", err, out)
		}
	}
	rounds := 7
	if s := os.Getenv("KICHECK_STREAM_ROUNDS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			rounds = n
		}
	}
	const mib = 512
	const passes = 15
	var cRes, goRes []float64
	for b.Loop() {
		for range rounds {
			cmd := exec.Command(bin, strconv.Itoa(mib), strconv.Itoa(passes))
			cmd.Env = append(os.Environ(), "OMP_NUM_THREADS="+strconv.Itoa(runtime.NumCPU()))
			out, err := cmd.Output()
			if err != nil {
				b.Fatalf("%s: %v", bin, err)
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
			if err != nil {
				b.Fatalf("%s printed %q", bin, out)
			}
			cRes = append(cRes, v)

			r, err := Run(context.Background(), Options{BufferBytes: mib << 20, Repetitions: passes, SkipCompute: true, CPU: CPU{LogicalCores: runtime.NumCPU(), PhysicalCores: runtime.NumCPU()}}, nil)
			if err != nil {
				b.Fatal(err)
			}
			goRes = append(goRes, r.MemoryReadGBps.Median)
			runtime.GC() // give the 512 MiB back before the C program runs
		}
	}
	cm, gm := median(cRes), median(goRes)
	b.ReportMetric(cm, "stream_GB/s")
	b.ReportMetric(gm, "go_GB/s")
	b.ReportMetric(gm/cm, "go/stream")
	b.Logf("%d rounds alternating; C STREAM read %v GB/s; Go probe %v GB/s; median ratio %.3f", rounds, round2(cRes), round2(goRes), gm/cm)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return quantile(s, 0.5)
}

func round2(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(int(x*100+0.5)) / 100
	}
	return out
}
