package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/strategy"
)

func init() {
	register(&command{name: "strategy", summary: "the AI strategy (KI-Strategie) from this municipality's data: render as ODT/PDF/Markdown, or list its figures with their sources", run: strategyCmds.run})
}

// strategyCmds are the subcommands of kicheck strategy; they share their
// data flags.
var strategyCmds = &subcommands{parent: "strategy", list: []*command{
	{name: "render", summary: "write the strategy as ODT, PDF or Markdown, signed (--out FILE)", run: strategySubCmd("render")},
	{name: "figures", summary: "list the strategy's figures with their sources", run: strategySubCmd("figures")},
}}

// strategyOptions are the flags of `kicheck strategy render|figures`.
type strategyOptions struct {
	Sub        string
	Format     string
	Out        string
	FleetDB    string // a Sammelstelle database; else this PC's fit
	Kommune    string
	PolicyFile string
	JSON       bool
	Now        time.Time // tests
}

// strategySubCmd parses the flags of one strategy subcommand into
// strategyOptions.
func strategySubCmd(sub string) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		opts := strategyOptions{Sub: sub}
		fs := newFlagSet("strategy "+sub, e.stderr)
		fs.StringVar(&opts.FleetDB, "db", "", "a Sammelstelle database (kicheck collect --db) for the fleet's readiness; default: this PC's fit")
		fs.StringVar(&opts.Kommune, "kommune", "", "the municipality's name (default: from the AI policy)")
		fs.StringVar(&opts.PolicyFile, "policy", "", "IT's central policy file, which names the AI policy in force")
		switch sub {
		case "render":
			fs.StringVar(&opts.Format, "format", "odt", "odt, pdf or md")
			fs.StringVar(&opts.Out, "out", "", "file to write (required); FILE.sig gets its signature")
		case "figures":
			fs.BoolVar(&opts.JSON, "json", false, "print JSON")
		}
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usage("cli.usage.strategy.no_args", map[string]any{"Sub": sub, "Arg": i18n.Escape(fs.Arg(0))})
		}
		return runStrategy(ctx, opts, e)
	}
}

// strategyInputs gathers the municipality's data with the same functions
// the app's own commands use: kicheck cost, kicheck hotspot score,
// kicheck fleet, the quiz sessions and the AI policy in force.
func strategyInputs(ctx context.Context, e *env, opts strategyOptions) (strategy.Inputs, error) {
	in := strategy.Inputs{Kommune: opts.Kommune, Now: opts.Now, Creator: "KI-Check " + buildinfo.Get().Version}
	l, err := loadAIPolicy(e, opts.PolicyFile)
	if err != nil {
		return in, err
	}
	for _, p := range l.Problems {
		printPolicyProblem(e, p)
	}
	in.Policy = l.Policy

	// Cost: exactly what `kicheck cost --json` prints.
	var buf bytes.Buffer
	costEnv := *e
	costEnv.stdout = &buf
	if err := runCost(ctx, costOptions{JSON: true, Bundle: bench.DefaultBundle}, &costEnv); err != nil {
		return in, err
	}
	var cj costJSON
	if err := json.Unmarshal(buf.Bytes(), &cj); err != nil {
		return in, fmt.Errorf("cost figures: %w", err)
	}
	in.Cost, in.CostParams, in.CostSource = &cj.Result, cj.Params, cj.ParamsFrom

	db, err := e.openDB(ctx, quiz.Schema, hotspot.Schema, hotspot.TrialSchema)
	if err != nil {
		return in, err
	}
	defer db.Close()

	// Readiness: the Sammelstelle's fleet, else this PC's fit.
	if opts.FleetDB != "" {
		cdb, err := collect.OpenExisting(ctx, opts.FleetDB) // a file or postgres://
		if err != nil {
			return in, err
		}
		f, err := collect.ComputeFleet(ctx, cdb, collect.FleetOptions{})
		cdb.Close()
		if err != nil {
			return in, err
		}
		in.Fleet, in.FleetSource = f, opts.FleetDB
	} else {
		measured, _ := check.MeasuredRuns(ctx, db) // a read error leaves the verdict uncalibrated
		sv, ok, err := fit.LatestVerdict(ctx, db, e.dataDir, probe.MaxAge, measured)
		if err != nil {
			return in, err
		}
		if ok {
			in.PC = &sv
		}
	}

	// Hotspots: what `kicheck hotspot score` ranks.
	pf, _, err := hotspotPortfolio(ctx, hotspotScoreOptions{Rate: -1, FleetDB: opts.FleetDB}, db, e)
	if err != nil {
		return in, err
	}
	if len(pf.Hotspots) > 0 {
		pf.Localize(e.lang)
		in.Hotspots = &pf
	}

	content, err := learning.Load(e.dataDir)
	if err != nil {
		return in, err
	}
	if in.Qualification, err = strategy.Qualify(ctx, db, content, in.Policy); err != nil {
		return in, err
	}
	return in, nil
}

// runStrategy does the work of `kicheck strategy SUB`.
func runStrategy(ctx context.Context, opts strategyOptions, e *env) error {
	w := e.stdout
	if opts.Sub == "render" && opts.Out == "" {
		return usage("cli.usage.strategy.render.out", nil)
	}
	var format document.Format
	if opts.Sub == "render" {
		var err error
		if format, err = parseDocumentFormat(opts.Format); err != nil {
			return err
		}
	}
	in, err := strategyInputs(ctx, e, opts)
	if err != nil {
		return err
	}
	figs, doc := strategy.Build(in, e.lang)
	if opts.Sub == "figures" {
		if opts.JSON {
			return writeJSON(w, figs)
		}
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for _, f := range figs {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", policy.Printable(f.ID), policy.Printable(f.Text), policy.Printable(f.Source))
		}
		return tw.Flush()
	}
	return exportDocument(e, doc, format, opts.Out, w)
}
