package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

func init() {
	register(&command{name: "probe", summary: "measure memory bandwidth and compute for AI models, with the hardware inventory (--json: docs/probe.md)", run: runProbeCmd})
}

type probeOptions struct {
	JSON    bool
	Quick   bool // smaller buffer, fewer repetitions (about 2 s)
	DataDir string
	Lang    string
}

func runProbeCmd(ctx context.Context, e *env, args []string) error {
	opts := probeOptions{DataDir: e.dataDir, Lang: e.lang}
	fs := newFlagSet("probe", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/probe.md)")
	fs.BoolVar(&opts.Quick, "quick", false, "measure with a smaller buffer and fewer repetitions (less exact)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("probe takes no arguments, got %q", fs.Arg(0))
	}
	db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	out, runErr := runProbe(ctx, opts, db, e.stdout, e.stderr)
	if _, err := probe.Save(ctx, db, out.Probe, runErr); err != nil {
		return fmt.Errorf("store probe result: %w", err)
	}
	return runErr
}

// probeJSON is the stable output of `kicheck probe --json` (docs/probe.md).
type probeJSON struct {
	SchemaVersion int `json:"schema_version"`
	// Complete is false when the probe was cancelled or failed.
	Complete bool `json:"complete"`
	// MemoryReadGBps is the median read bandwidth in GB/s.
	MemoryReadGBps float64            `json:"memory_read_gbps"`
	Probe          probe.Result       `json:"probe"`
	Inventory      hardware.Inventory `json:"inventory"`
	// Machine is what the fit uses: inventory and probe combined.
	Machine fit.Machine `json:"machine"`
}

// runProbe collects the inventory, runs the probe and prints the result
// (also when cancelled, marked incomplete). Progress goes to progressW.
// The machine combines the bandwidth with db's earlier probes of this PC
// (db may be nil).
func runProbe(ctx context.Context, opts probeOptions, db *store.DB, w, progressW io.Writer) (probeJSON, error) {
	inv := hardware.Collect(ctx, hardware.Options{DataDir: opts.DataDir})
	po := probe.Options{}
	if inv.CPU.Status == hardware.StatusOK {
		po.CPU = fit.CPUFromInventory(inv.CPU.Value, probe.DetectCPU(ctx))
	}
	if opts.Quick {
		po.BufferBytes, po.Repetitions = 128<<20, 5
	}
	last := ""
	progress := func(step string, done float64) {
		if opts.JSON || step == last {
			return
		}
		last = step
		fmt.Fprintln(progressW, i18n.T(opts.Lang, "fitsteady.probe.progress", map[string]string{
			"Percent": fmt.Sprintf("%3.0f", done*100), "Step": i18n.T(opts.Lang, "fitsteady.probe.step."+step)}))
	}
	res, err := probe.Run(ctx, po, progress)
	mc := fit.MachineFrom(inv, res)
	if res.Complete && db != nil {
		if hist, herr := probe.History(ctx, db, probe.MaxAge, probe.MaxCombined); herr == nil {
			mc = mc.WithHistory(res, hist)
		}
	}
	out := probeJSON{SchemaVersion: 1, Complete: res.Complete, MemoryReadGBps: res.ReadGBps(), Probe: res, Inventory: inv, Machine: mc}
	if opts.JSON {
		if e := writeJSON(w, out); e != nil {
			return out, e
		}
		return out, err
	}
	printProbe(w, out)
	return out, err
}

func printProbe(w io.Writer, out probeJSON) {
	r := out.Probe
	if !r.Complete {
		fmt.Fprintf(w, "INCOMPLETE: %s\n", r.Incomplete)
	}
	stat := func(name, unit string, s *probe.Stat) {
		if s == nil {
			fmt.Fprintf(w, "%-28s not measured\n", name)
			return
		}
		fmt.Fprintf(w, "%-28s %7.1f %s  (min %.1f, max %.1f, IQR %.1f–%.1f, %d runs)\n", name, s.Median, unit, s.Min, s.Max, s.Q1, s.Q3, len(s.Samples))
	}
	fmt.Fprintf(w, "Threads %d, buffer %d MiB, %.1f s\n", r.Threads, r.BufferBytes>>20, r.Seconds)
	stat("Memory read bandwidth", "GB/s", r.MemoryReadGBps)
	if st := r.Steady; st != nil {
		state := "stable"
		if !st.Stable {
			state = "NOT stable (time limit)"
		}
		fmt.Fprintf(w, "%-28s %s: spread %.1f %% (target %.0f %%) over the last %d of %d samples in %.1f s; sustained %.1f GB/s; the probe got %.0f %% of the processor\n",
			"", state, st.SpreadPercent, st.TargetPercent, st.Window, st.Samples, st.Seconds, st.SustainedGBps, 100*st.CPUShare)
	}
	if m := out.Machine; m.MemoryReadGBps > 0 {
		fmt.Fprintf(w, "%-28s %7.1f GB/s  (range %.1f–%.1f; probes of this PC combined: %d)\n", "Bandwidth for the fit", m.MemoryReadGBps, m.MemoryReadLowGBps, m.MemoryReadHighGBps, m.ProbesCombined)
	}
	if r.KernelISA != "" {
		stat("Decode kernel ("+r.KernelISA+")", "GB/s", r.DecodeKernelGBps)
		if st := r.DecodeKernel; st != nil {
			state := "stable"
			if !st.Stable {
				state = "NOT stable (time limit)"
			}
			fmt.Fprintf(w, "%-28s %s: spread %.1f %% over the last %d of %d samples in %.1f s; their median %.1f GB/s of weights is this probe's figure\n",
				"", state, st.SpreadPercent, st.Window, st.Samples, st.Seconds, st.MedianGBps)
		}
		stat("Prompt kernel ("+r.KernelISA+")", "GOPS", r.PromptKernelGOPS)
		if m := out.Machine; m.DecodeKernelGBps > 0 {
			fmt.Fprintf(w, "%-28s %7.1f GB/s decode kernel (range %.1f–%.1f), %.1f GOPS prompt kernel\n", "Kernels for the fit", m.DecodeKernelGBps, m.DecodeKernelLowGBps, m.DecodeKernelHighGBps, m.PromptKernelGOPS)
		}
	}
	if r.MatVecInt8GOPS != nil || r.KernelISA == "" {
		stat("Int8 matrix × vector (Go)", "GOPS", r.MatVecInt8GOPS)
		stat("4-bit matrix × vector (Go)", "GOPS", r.MatVecQ4GOPS)
		stat("Int8 matrix × matrix (Go)", "GOPS", r.MatMulInt8GOPS)
	}
	c := out.Machine.Compute
	label := "Compute estimate (llama.cpp)"
	if r.KernelISA != "" {
		label = "Compute estimate (fallback)"
	}
	fmt.Fprintf(w, "%-28s %7.0f GOPS  (%s)\n", label, c.GOPS, c.Basis)
	if c.Assumed != "" {
		fmt.Fprintf(w, "%-28s %s\n", "", c.Assumed)
	}
	m := out.Machine
	fmt.Fprintf(w, "%-28s %.1f GB total, %.1f GB available\n", "RAM", float64(m.RAMTotalBytes)/1e9, float64(m.RAMAvailableBytes)/1e9)
	for _, g := range m.GPUs {
		kind := "integrated"
		if g.Discrete {
			kind = "discrete"
		}
		fmt.Fprintf(w, "%-28s %s, %s, %.1f GB VRAM\n", "GPU", g.Name, kind, float64(g.VRAMBytes)/1e9)
	}
}
