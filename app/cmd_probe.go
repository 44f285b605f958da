package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

func init() {
	register(&command{name: "probe", summary: "cli.help.probe", run: probeCmd})
}

// probeOptions are the flags of `kicheck probe`.
type probeOptions struct {
	JSON    bool
	Quick   bool // smaller buffer, fewer repetitions (about 2 s)
	DataDir string
	Lang    string
}

// probeCmd parses the flags of `kicheck probe` and runs runProbe.
func probeCmd(ctx context.Context, e *env, args []string) error {
	opts := probeOptions{DataDir: e.dataDir, Lang: e.lang}
	fs := newFlagSet("probe", e)
	fs.BoolVar(&opts.JSON, "json", false, "cli.flag.probe.json")
	fs.BoolVar(&opts.Quick, "quick", false, "cli.flag.probe.quick")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "probe", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runProbe(ctx, opts, e)
}

// runProbe runs the probe (probeAndPrint), prints it and stores the result
// (also an incomplete one).
func runProbe(ctx context.Context, opts probeOptions, e *env) error {
	db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	out, runErr := probeAndPrint(ctx, opts, db, e.stdout, e.stderr)
	if _, err := probe.Save(ctx, db, out.Probe, runErr); err != nil {
		return i18n.NewError("cli.probe.store", "", map[string]any{"Detail": errText{err}}, err)
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

// probeAndPrint collects the inventory, runs the probe and prints the result
// (also when cancelled, marked incomplete). Progress goes to progressW.
// The machine combines the bandwidth with db's earlier probes of this PC
// (db may be nil).
func probeAndPrint(ctx context.Context, opts probeOptions, db *store.DB, w, progressW io.Writer) (probeJSON, error) {
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
	printProbe(w, out, opts.Lang)
	return out, err
}

// printProbe writes the probe's figures as a two-column table in lang.
func printProbe(w io.Writer, out probeJSON, lang string) {
	t := func(id string, data ...map[string]any) string {
		if len(data) == 0 {
			return i18n.T(lang, "cli.probe."+id)
		}
		return i18n.T(lang, "cli.probe."+id, data[0])
	}
	d := func(v float64, prec int) string { return i18n.Decimal(lang, v, prec) }
	var rows [][2]string // label, value; a label "" continues the row above
	stat := func(label, unit string, s *probe.Stat) {
		if s == nil {
			rows = append(rows, [2]string{label, t("not_measured")})
			return
		}
		rows = append(rows, [2]string{label, t("stat", map[string]any{"Median": d(s.Median, 1), "Unit": unit, "Min": d(s.Min, 1), "Max": d(s.Max, 1),
			"Q1": d(s.Q1, 1), "Q3": d(s.Q3, 1), "N": len(s.Samples)})})
	}
	state := func(stable bool) string {
		if stable {
			return t("stable")
		}
		return t("not_stable")
	}
	r := out.Probe
	if !r.Complete {
		fmt.Fprintln(w, t("incomplete", map[string]any{"Reason": i18n.Escape(r.Incomplete)}))
	}
	fmt.Fprintln(w, t("head", map[string]any{"Threads": r.Threads, "MiB": r.BufferBytes >> 20, "Seconds": d(r.Seconds, 1)}))
	stat(t("label.read"), "GB/s", r.MemoryReadGBps)
	if st := r.Steady; st != nil {
		rows = append(rows, [2]string{"", t("steady", map[string]any{"State": state(st.Stable), "Spread": d(st.SpreadPercent, 1), "Target": d(st.TargetPercent, 0),
			"Window": st.Window, "Samples": st.Samples, "Seconds": d(st.Seconds, 1), "Sustained": d(st.SustainedGBps, 1), "Share": d(100*st.CPUShare, 0)})})
	}
	m := out.Machine
	if m.MemoryReadGBps > 0 {
		rows = append(rows, [2]string{t("label.fit_bandwidth"), t("fit_bandwidth", map[string]any{"GBps": d(m.MemoryReadGBps, 1),
			"Low": d(m.MemoryReadLowGBps, 1), "High": d(m.MemoryReadHighGBps, 1), "N": m.ProbesCombined})})
	}
	if r.KernelISA != "" {
		isa := map[string]any{"ISA": r.KernelISA}
		stat(t("label.decode", isa), "GB/s", r.DecodeKernelGBps)
		if st := r.DecodeKernel; st != nil {
			rows = append(rows, [2]string{"", t("decode_steady", map[string]any{"State": state(st.Stable), "Spread": d(st.SpreadPercent, 1),
				"Window": st.Window, "Samples": st.Samples, "Seconds": d(st.Seconds, 1), "Median": d(st.MedianGBps, 1)})})
		}
		if st := r.KQuantKernel; st != nil {
			rows = append(rows, [2]string{t("label.kquant", isa), t("kquant", map[string]any{"Median": d(st.MedianGBps, 1), "State": state(st.Stable),
				"Spread": d(st.SpreadPercent, 1), "Window": st.Window, "Samples": st.Samples, "Seconds": d(st.Seconds, 1)})})
		}
		if st := r.DecodeKernelOneThread; st != nil {
			rows = append(rows, [2]string{t("label.decode_one", isa), t("decode_one", map[string]any{"Median": d(st.MedianGBps, 1), "State": state(st.Stable),
				"Spread": d(st.SpreadPercent, 1), "Window": st.Window, "Samples": st.Samples, "Seconds": d(st.Seconds, 1)})})
		}
		stat(t("label.prompt", isa), "GOPS", r.PromptKernelGOPS)
		if m.DecodeKernelGBps > 0 {
			kernels := map[string]any{"Decode": d(m.DecodeKernelGBps, 1), "Low": d(m.DecodeKernelLowGBps, 1), "High": d(m.DecodeKernelHighGBps, 1),
				"Prompt": d(m.PromptKernelGOPS, 1), "KQuant": ""}
			if m.KQuantKernelGBps > 0 {
				kernels["KQuant"], kernels["KLow"], kernels["KHigh"] = d(m.KQuantKernelGBps, 1), d(m.KQuantKernelLowGBps, 1), d(m.KQuantKernelHighGBps, 1)
			}
			rows = append(rows, [2]string{t("label.fit_kernels"), t("fit_kernels", kernels)})
		}
	}
	if r.MatVecInt8GOPS != nil || r.KernelISA == "" {
		stat(t("label.int8_matvec"), "GOPS", r.MatVecInt8GOPS)
		stat(t("label.q4_matvec"), "GOPS", r.MatVecQ4GOPS)
		stat(t("label.int8_matmul"), "GOPS", r.MatMulInt8GOPS)
	}
	c := m.Compute
	label := t("label.compute_llama")
	if r.KernelISA != "" {
		label = t("label.compute_fallback")
	}
	rows = append(rows, [2]string{label, t("compute", map[string]any{"GOPS": d(c.GOPS, 0), "Basis": fit.ComputeEstimateBasis(c).Text(lang)})})
	if c.Assumed != "" {
		rows = append(rows, [2]string{"", fit.ComputeAssumed(c, lang)})
	}
	rows = append(rows, [2]string{"RAM", t("ram", map[string]any{"Total": d(float64(m.RAMTotalBytes)/1e9, 1), "Available": d(float64(m.RAMAvailableBytes)/1e9, 1)})})
	for _, g := range m.GPUs {
		kind := t("gpu.integrated")
		if g.Discrete {
			kind = t("gpu.discrete")
		}
		rows = append(rows, [2]string{"GPU", t("gpu", map[string]any{"Name": i18n.Escape(g.Name), "Kind": kind, "VRAM": d(float64(g.VRAMBytes)/1e9, 1)})})
	}
	width := 0
	for _, row := range rows {
		width = max(width, len([]rune(row[0])))
	}
	for _, row := range rows {
		fmt.Fprintf(w, "%s%s  %s\n", row[0], strings.Repeat(" ", width-len([]rune(row[0]))), row[1])
	}
}
