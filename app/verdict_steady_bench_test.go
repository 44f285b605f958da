package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
)

// BenchmarkVerdictSteadyOverProbes runs `kicheck probe` ten times in a row
// (KICHECK_STEADY_RUNS) in one data folder and after each run reads the
// verdicts of the packaged catalogue's use cases with `kicheck models
// --json`, as a clerk would see them. Goal (issue 22): no verdict changes
// between the runs. For comparison it also judges each probe alone by its
// median bandwidth, as the fit did before (the verdict flips this
// benchmark is about). It logs every run with the load average.
//
//	go test -run '^$' -bench VerdictSteadyOverProbes -benchtime 1x -v ./app
func BenchmarkVerdictSteadyOverProbes(b *testing.B) {
	runs := 10
	if n, err := strconv.Atoi(os.Getenv("KICHECK_STEADY_RUNS")); err == nil && n > 1 {
		runs = n
	}
	ctx := context.Background()
	cat, err := fit.LoadCatalogue(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	inv := hardware.Collect(ctx, hardware.Options{DataDir: b.TempDir()})
	var changes, oldChanges, knappChanges, aloneChanges int
	for b.Loop() {
		dataDir := b.TempDir()
		var prev, prevOld, prevKnapp, prevAlone string
		for i := range runs {
			var out, errb bytes.Buffer
			if code := Main(ctx, []string{"--data-dir", dataDir, "probe", "--json"}, &out, &errb); code != 0 {
				b.Fatalf("probe run %d: exit %d: %s", i+1, code, errb.String())
			}
			var pj struct {
				Probe   probe.Result `json:"probe"`
				Machine fit.Machine  `json:"machine"`
			}
			if err := json.Unmarshal(out.Bytes(), &pj); err != nil {
				b.Fatal(err)
			}
			out.Reset()
			if code := Main(ctx, []string{"--data-dir", dataDir, "models", "--json"}, &out, &errb); code != 0 {
				b.Fatalf("models run %d: exit %d: %s", i+1, code, errb.String())
			}
			var mj struct {
				Machine  fit.Machine `json:"machine"`
				UseCases []struct {
					UseCase struct{ ID string } `json:"usecase"`
					Verdict string              `json:"verdict"`
					Close   *fit.Closeness      `json:"close"`
				} `json:"usecases"`
			}
			if err := json.Unmarshal(out.Bytes(), &mj); err != nil {
				b.Fatal(err)
			}
			var v, knapp []string
			for _, u := range mj.UseCases {
				v = append(v, u.UseCase.ID+"="+u.Verdict)
				if u.Close != nil {
					knapp = append(knapp, u.UseCase.ID)
				}
			}
			// The old way: this probe alone, its median read bandwidth
			// (without the kernels, as the fit before issue 22).
			old := fit.MachineFrom(inv, pj.Probe)
			old.MemoryReadGBps, old.MemoryReadLowGBps, old.MemoryReadHighGBps = pj.Probe.ReadGBps(), 0, 0
			old.DecodeKernelGBps, old.PromptKernelGOPS = 0, 0
			var ov, av []string
			for _, a := range fit.Assess(old, cat) {
				ov = append(ov, a.UseCase.ID+"="+string(a.Verdict))
			}
			// This probe alone with the kernel model (not combined).
			for _, a := range fit.Assess(fit.MachineFrom(inv, pj.Probe), cat) {
				av = append(av, a.UseCase.ID+"="+string(a.Verdict))
			}
			curAlone := strings.Join(av, " ")
			if i > 0 && curAlone != prevAlone {
				aloneChanges++
			}
			prevAlone = curAlone
			cur, curOld, curKnapp := strings.Join(v, " "), strings.Join(ov, " "), strings.Join(knapp, " ")
			if i > 0 && cur != prev {
				changes++
			}
			if i > 0 && curOld != prevOld {
				oldChanges++
			}
			if i > 0 && curKnapp != prevKnapp {
				knappChanges++
			}
			prev, prevOld, prevKnapp = cur, curOld, curKnapp
			st := pj.Probe.Steady
			b.Logf("run %2d, load %s: probe median %.1f GB/s, sustained %.1f (spread %.1f %%, stable %v, CPU share %.2f); decode kernel %.1f GB/s, K-quant kernel %.1f GB/s, prompt kernel %.1f GOPS; fit uses %.1f GB/s (%.1f–%.1f, %d probes), decode kernel %.1f GB/s (%.1f–%.1f), K-quant kernel %.1f GB/s (%.1f–%.1f), prompt kernel %.1f GOPS; verdicts %s; knapp [%s]; this probe alone (kernel model): %s; this probe alone by its read median (before issue 22): %s",
				i+1, loadAvg(), pj.Probe.ReadGBps(), st.SustainedGBps, st.SpreadPercent, st.Stable, st.CPUShare, pj.Probe.DecodeKernelSustained(), pj.Probe.KQuantKernelSustained(), pj.Probe.PromptKernel(),
				mj.Machine.MemoryReadGBps, mj.Machine.MemoryReadLowGBps, mj.Machine.MemoryReadHighGBps, mj.Machine.ProbesCombined,
				mj.Machine.DecodeKernelGBps, mj.Machine.DecodeKernelLowGBps, mj.Machine.DecodeKernelHighGBps,
				mj.Machine.KQuantKernelGBps, mj.Machine.KQuantKernelLowGBps, mj.Machine.KQuantKernelHighGBps, mj.Machine.PromptKernelGOPS, cur, curKnapp, curAlone, curOld)
		}
	}
	b.ReportMetric(float64(changes), "verdict_changes")
	b.ReportMetric(float64(knappChanges), "knapp_changes")
	b.ReportMetric(float64(oldChanges), "single_probe_median_changes")
	b.ReportMetric(float64(aloneChanges), "single_probe_kernel_changes")
	b.Logf("%d runs: the verdicts changed %d times (knapp marks %d times); judged by each probe alone with the kernel model they would have changed %d times, by each probe's read median alone (before issue 22) %d times",
		runs, changes, knappChanges, aloneChanges, oldChanges)
}

// loadAvg is /proc/loadavg's three load averages ("" where there is none).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], "/")
}
