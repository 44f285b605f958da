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
)

func init() {
	register(&command{name: "models", summary: "which catalogue models fit this PC and how fast they answer, per use case (--json: docs/fit.md)", run: modelsCmd})
}

// modelsOptions are the flags of `kicheck models`.
type modelsOptions struct {
	JSON    bool
	UseCase string // only this use case
	Fresh   bool   // probe again even if a recent probe is stored
	DataDir string
	Lang    string
}

// modelsCmd parses the flags of `kicheck models` and runs runModels.
func modelsCmd(ctx context.Context, e *env, args []string) error {
	opts := modelsOptions{DataDir: e.dataDir, Lang: e.lang}
	fs := newFlagSet("models", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/fit.md)")
	fs.StringVar(&opts.UseCase, "usecase", "", "only this use case (id, e.g. bescheid-zusammenfassen)")
	fs.BoolVar(&opts.Fresh, "probe", false, "measure again instead of using the last stored probe")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "models", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runModels(ctx, opts, e)
}

// modelsJSON is the stable output of `kicheck models --json` (docs/fit.md).
type modelsJSON struct {
	SchemaVersion int                `json:"schema_version"`
	Machine       fit.Machine        `json:"machine"`
	ProbeStarted  time.Time          `json:"probe_started"`
	UseCases      []fit.Assessment   `json:"usecases"`
	Problems      []*fit.BundleError `json:"catalogue_problems,omitempty"`
}

// runModels assesses the catalogue's models for this PC (probing first
// when no recent probe is stored) and prints the result.
func runModels(ctx context.Context, opts modelsOptions, e *env) error {
	w, errW := e.stdout, e.stderr
	// bench.Schema: the measured figures come from the bench tables.
	db, err := e.openDB(ctx, bench.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := fit.LoadCatalogue(opts.DataDir)
	if err != nil {
		return err
	}
	for _, p := range cat.Problems {
		warn(errW, opts.Lang, p)
	}
	var uses []fit.UseCase
	if opts.UseCase != "" {
		u, ok := cat.UseCase(opts.UseCase)
		if !ok {
			ids := make([]string, len(cat.UseCases))
			for i, u := range cat.UseCases {
				ids[i] = u.ID
			}
			return usage("cli.usage.models.usecase", map[string]any{"UseCase": i18n.Escape(opts.UseCase), "IDs": strings.Join(ids, ", ")})
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
			return i18n.NewError("cli.probe.store", "", map[string]any{"Detail": errText{err}}, err)
		}
		if runErr != nil {
			return i18n.NewError("cli.probe.failed", "", map[string]any{"Detail": errText{runErr}}, runErr)
		}
	}
	inv := hardware.Collect(ctx, hardware.Options{DataDir: opts.DataDir})
	pf := check.ThisPC(ctx, db, cat, inv, pr, uses, opts.Lang)
	if pf.MachineErr != nil {
		warn(errW, opts.Lang, i18n.WithHint(pf.MachineErr, "cli.models.uncalibrated.hint", nil))
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

// printModels writes the machine's figures and, per use case, the table
// of models in lang.
func printModels(w io.Writer, mc fit.Machine, pr probe.Result, as []fit.Assessment, lang string) {
	d := func(v float64, prec int) string { return i18n.Decimal(lang, v, prec) }
	fmt.Fprintln(w, i18n.T(lang, "cli.models.machine", map[string]any{"RAM": d(float64(mc.RAMTotalBytes)/1e9, 1), "Free": d(float64(mc.RAMAvailableBytes)/1e9, 1),
		"GBps": d(mc.MemoryReadGBps, 1), "Low": d(mc.MemoryReadLowGBps, 1), "High": d(mc.MemoryReadHighGBps, 1), "N": mc.ProbesCombined,
		"When": i18n.DateTime(lang, pr.Started.Local()), "GOPS": d(mc.Compute.GOPS, 0), "ISA": mc.Compute.ISA}))
	fmt.Fprintln(w, mc.Calibration.Text(lang))
	for _, a := range as {
		fmt.Fprintf(w, "\n%s: %s\n  %s\n", a.UseCase.Title(lang), strings.ToUpper(a.VerdictLabel), a.SummaryText)
		if a.CloseText != "" {
			fmt.Fprintf(w, "  %s\n", a.CloseText)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  "+i18n.T(lang, "cli.models.table_head")+"\t")
		for _, c := range a.Cells {
			p := c.Prediction
			mark := ""
			if c.ModelID == a.Best {
				mark = " *"
			}
			fmt.Fprintf(tw, "  %s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.ModelID, mark, p.Quant, placementLabel(p.Placement, lang),
				d(float64(p.Memory.TotalBytes)/1e9, 1), figure(lang, p.DecodeTPS, p.RealtimeFactor), measuredFigure(lang, c.MeasuredDecodeTPS, c.MeasuredRunID),
				ratioFigure(lang, c.RatioPredictedToMeasured), figure(lang, p.FirstTokenS, nil), c.VerdictLabel)
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\n"+i18n.T(lang, "cli.models.footer"))
}

func placementLabel(p fit.Placement, lang string) string {
	return fit.Reason{ID: "fit.placement." + string(p)}.Text(lang)
}

func figure(lang string, f, rtf *fit.Figure) string {
	d := func(v float64, prec int) string { return i18n.Decimal(lang, v, prec) }
	switch {
	case f != nil && f.Interval():
		return d(f.Value, 1) + " (" + d(f.Low, 1) + "–" + d(f.High, 1) + ")"
	case f != nil:
		return d(f.Value, 1)
	case rtf != nil && rtf.Interval():
		return "RTF " + d(rtf.Value, 2) + " (" + d(rtf.Low, 2) + "–" + d(rtf.High, 2) + ")"
	case rtf != nil:
		return "RTF " + d(rtf.Value, 2)
	}
	return "–"
}

func measuredFigure(lang string, tps *float64, runID *int64) string {
	if tps == nil || runID == nil {
		return "–"
	}
	return i18n.T(lang, "cli.models.measured", map[string]any{"TPS": i18n.Decimal(lang, *tps, 1), "ID": *runID})
}

func ratioFigure(lang string, r *float64) string {
	if r == nil {
		return "–"
	}
	return i18n.Decimal(lang, *r, 2)
}
