package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

func init() {
	register(&command{name: "models", summary: "which catalogue models fit this PC and how fast they answer, per use case (--json: docs/fit.md)", run: runModelsCmd})
}

type modelsOptions struct {
	JSON    bool
	UseCase string // only this use case
	Fresh   bool   // probe again even if a recent probe is stored
	DataDir string
	Lang    string
}

func runModelsCmd(ctx context.Context, e *env, args []string) error {
	opts := modelsOptions{DataDir: e.dataDir, Lang: e.lang}
	fs := newFlagSet("models", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/fit.md)")
	fs.StringVar(&opts.UseCase, "usecase", "", "only this use case (id, e.g. bescheid-zusammenfassen)")
	fs.BoolVar(&opts.Fresh, "probe", false, "measure again instead of using the last stored probe")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("models takes no arguments, got %q", fs.Arg(0))
	}
	// bench.Schema: the measured figures come from the bench tables.
	db, err := e.openDB(ctx, bench.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	return runModels(ctx, opts, db, e.stdout, e.stderr)
}

// modelsJSON is the stable output of `kicheck models --json` (docs/fit.md).
type modelsJSON struct {
	SchemaVersion int                `json:"schema_version"`
	Machine       fit.Machine        `json:"machine"`
	ProbeStarted  time.Time          `json:"probe_started"`
	UseCases      []fit.Assessment   `json:"usecases"`
	Problems      []*fit.BundleError `json:"catalogue_problems,omitempty"`
}

func runModels(ctx context.Context, opts modelsOptions, db *store.DB, w, errW io.Writer) error {
	cat, err := fit.LoadCatalogue(opts.DataDir)
	if err != nil {
		return err
	}
	for _, p := range cat.Problems {
		fmt.Fprintf(errW, "warning: %v\nhint: %s\n", p, p.Hint())
	}
	var uses []fit.UseCase
	if opts.UseCase != "" {
		u, ok := cat.UseCase(opts.UseCase)
		if !ok {
			ids := make([]string, len(cat.UseCases))
			for i, u := range cat.UseCases {
				ids[i] = u.ID
			}
			return usageError("--usecase %q: unknown; use one of %s", opts.UseCase, strings.Join(ids, ", "))
		}
		uses = []fit.UseCase{u}
	} else {
		uses = cat.UseCases
	}

	pr, ok, err := probe.Latest(ctx, db, probe.MaxAge)
	if err != nil {
		return err
	}
	if !ok || opts.Fresh {
		if !opts.JSON {
			fmt.Fprintln(errW, i18n.T(opts.Lang, "fitsteady.models.measuring"))
		}
		var runErr error
		pr, runErr = probe.Run(ctx, probe.Options{}, nil)
		if _, err := probe.Save(ctx, db, pr, runErr); err != nil {
			return fmt.Errorf("store probe result: %w", err)
		}
		if runErr != nil {
			return fmt.Errorf("probe: %w", runErr)
		}
	}
	inv := hardware.Collect(ctx, hardware.Options{DataDir: opts.DataDir})
	pf := check.ThisPC(ctx, db, cat, inv, pr, uses, opts.Lang)
	if pf.MachineErr != nil {
		fmt.Fprintf(errW, "warning: %v\nhint: the prediction uses this probe alone, uncalibrated\n", pf.MachineErr)
	}
	if pf.MeasuredErr != nil {
		return pf.MeasuredErr
	}
	mc, as := pf.Machine, pf.Assessments
	if opts.JSON {
		return writeJSON(w, modelsJSON{SchemaVersion: 1, Machine: mc, ProbeStarted: pr.Started, UseCases: as, Problems: cat.Problems})
	}
	printModels(w, mc, pr, as, opts.Lang)
	return nil
}

func printModels(w io.Writer, mc fit.Machine, pr probe.Result, as []fit.Assessment, lang string) {
	fmt.Fprintf(w, "RAM %.1f GB (%.1f GB free), read bandwidth %.1f GB/s (%.1f–%.1f; probes combined: %d, newest %s), compute estimate %.0f GOPS (%s)\n",
		float64(mc.RAMTotalBytes)/1e9, float64(mc.RAMAvailableBytes)/1e9, mc.MemoryReadGBps, mc.MemoryReadLowGBps, mc.MemoryReadHighGBps, mc.ProbesCombined,
		pr.Started.Local().Format("2006-01-02 15:04"), mc.Compute.GOPS, mc.Compute.ISA)
	fmt.Fprintln(w, mc.Calibration.Text(lang))
	for _, a := range as {
		fmt.Fprintf(w, "\n%s: %s\n  %s\n", a.UseCase.Title(lang), strings.ToUpper(a.VerdictLabel), a.SummaryText)
		if a.CloseText != "" {
			fmt.Fprintf(w, "  %s\n", a.CloseText)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  model\tquant\twhere\tmemory GB\tdecode tok/s\tmeasured tok/s\tpredicted/measured\tfirst token s\tverdict\t")
		for _, c := range a.Cells {
			p := c.Prediction
			mark := ""
			if c.ModelID == a.Best {
				mark = " *"
			}
			fmt.Fprintf(tw, "  %s%s\t%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t\n", c.ModelID, mark, p.Quant, placementLabel(p.Placement, lang),
				float64(p.Memory.TotalBytes)/1e9, figure(p.DecodeTPS, p.RealtimeFactor), measuredFigure(c.MeasuredDecodeTPS, c.MeasuredRunID),
				ratioFigure(c.RatioPredictedToMeasured), figure(p.FirstTokenS, nil), c.VerdictLabel)
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\n* = the use case's preferred model with the best verdict. Every figure's basis: kicheck models --json.")
	fmt.Fprintln(w, "(low–high) = the interval: the bandwidth's spread over the recent probes and the efficiency's uncertainty (narrower once calibrated).")
	fmt.Fprintln(w, "measured = median decode tok/s of the newest complete `kicheck bench` run of that model on this PC (run id in brackets).")
}

func placementLabel(p fit.Placement, lang string) string {
	return fit.Reason{ID: "fit.placement." + string(p)}.Text(lang)
}

func figure(f, rtf *fit.Figure) string {
	switch {
	case f != nil && f.Interval():
		return fmt.Sprintf("%.1f (%.1f–%.1f)", f.Value, f.Low, f.High)
	case f != nil:
		return fmt.Sprintf("%.1f", f.Value)
	case rtf != nil && rtf.Interval():
		return fmt.Sprintf("RTF %.2f (%.2f–%.2f)", rtf.Value, rtf.Low, rtf.High)
	case rtf != nil:
		return fmt.Sprintf("RTF %.2f", rtf.Value)
	}
	return "–"
}

func measuredFigure(tps *float64, runID *int64) string {
	if tps == nil || runID == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f (run %d)", *tps, *runID)
}

func ratioFigure(r *float64) string {
	if r == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f", *r)
}
