package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/compare"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "cost", summary: "compare the cost of running AI locally, in the cloud and hybrid", run: runCostCmd})
}

// costOptions: parameters come from --params FILE (or the data dir's
// bundles/cost/default.yaml, or the built-in defaults); each flag that is
// given overrides one value.
type costOptions struct {
	ParamsFile string
	JSON       bool
	// LocalRun and CloudRun, when given, supply the measured tokens per
	// request, local compute time and latencies (compare.ApplyToCost).
	LocalRun, CloudRun int64
	// Bundle supplies tokens per request where the parameters leave them 0.
	Bundle string
	// VerdictByHand: --verdict was given; otherwise the overall verdict of
	// the newest stored probe (internal/fit) decides the upgrade cost.
	VerdictByHand bool
	set           []func(*cost.Params) // overrides in flag order
}

func runCostCmd(ctx context.Context, e *env, args []string) error {
	var opts costOptions
	fs := newFlagSet("cost", e.stderr)
	fs.StringVar(&opts.ParamsFile, "params", "", "YAML file with the cost parameters (format: docs/cost.md); default: the data dir's bundles/cost/default.yaml or the built-in one")
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	fs.Int64Var(&opts.LocalRun, "local", 0, "local bench run `ID`: take tokens per request, compute time and latency from it (with --cloud)")
	fs.Int64Var(&opts.CloudRun, "cloud", 0, "cloud bench run `ID` (with --local)")
	fs.StringVar(&opts.Bundle, "bundle", bench.DefaultBundle, "test bundle whose prompts give tokens per request where the parameters leave them 0")
	num := func(name, usage string, apply func(*cost.Params, float64)) {
		fs.Func(name, usage, func(s string) error {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 {
				return fmt.Errorf("want a number ≥ 0, got %q", s)
			}
			opts.set = append(opts.set, func(p *cost.Params) { apply(p, v) })
			return nil
		})
	}
	boolean := func(name, usage string, apply func(*cost.Params, bool)) {
		fs.BoolFunc(name, usage, func(s string) error {
			v, err := strconv.ParseBool(s)
			if err != nil {
				return err
			}
			opts.set = append(opts.set, func(p *cost.Params) { apply(p, v) })
			return nil
		})
	}
	num("users", "people who use AI", func(p *cost.Params, v float64) { p.Usage.Users = int(v) })
	num("requests-per-day", "requests per person per working day", func(p *cost.Params, v float64) { p.Usage.RequestsPerUserPerDay = v })
	num("tokens-in", "input tokens per request", func(p *cost.Params, v float64) { p.Usage.TokensInPerRequest = v })
	num("tokens-out", "output tokens per request", func(p *cost.Params, v float64) { p.Usage.TokensOutPerRequest = v })
	num("price-in", "cloud price in euro per million input tokens", func(p *cost.Params, v float64) { p.Cloud.PriceInputPerMillion = v })
	num("price-out", "cloud price in euro per million output tokens", func(p *cost.Params, v float64) { p.Cloud.PriceOutputPerMillion = v })
	fs.Func("price-date", "date of the cloud price (YYYY-MM-DD)", func(s string) error {
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return fmt.Errorf("want YYYY-MM-DD, got %q", s)
		}
		opts.set = append(opts.set, func(p *cost.Params) { p.Cloud.PriceDate = s })
		return nil
	})
	fs.Func("verdict", "hardware verdict: ready, limited or not_ready (decides the upgrade cost; default: the verdict of this PC's last stored probe)", func(s string) error {
		if s != cost.VerdictReady && s != cost.VerdictLimited && s != cost.VerdictNotReady {
			return fmt.Errorf("want ready, limited or not_ready, got %q", s)
		}
		opts.VerdictByHand = true
		opts.set = append(opts.set, func(p *cost.Params) { p.Local.HardwareVerdict = s; p.Local.HardwareEUR = nil })
		return nil
	})
	num("hardware-eur", "one-off hardware investment in euro (overrides --verdict)", func(p *cost.Params, v float64) { p.Local.HardwareEUR = &v })
	num("depreciation-years", "depreciation period of the hardware", func(p *cost.Params, v float64) { p.Local.DepreciationYears = v })
	num("power-watts", "extra power draw while answering", func(p *cost.Params, v float64) { p.Local.PowerWatts = v })
	num("seconds-per-request", "local compute time per request", func(p *cost.Params, v float64) { p.Local.SecondsPerRequest = v })
	num("kwh-price", "electricity price in euro per kWh", func(p *cost.Params, v float64) { p.Local.ElectricityEURPerKWh = v })
	num("cloud-share", "hybrid: share of requests sent to the cloud (0–1)", func(p *cost.Params, v float64) { p.Hybrid.CloudShare = min(v, 1) })
	boolean("personal-data", "personal data are processed (true/false)", func(p *cost.Params, v bool) { p.Criteria.PersonalData = v })
	boolean("avv", "a data-processing agreement (AVV, Art. 28 DSGVO) with the cloud provider exists", func(p *cost.Params, v bool) { p.Cloud.AVVAvailable = v })
	boolean("offline", "work must go on without internet", func(p *cost.Params, v bool) { p.Criteria.NeedsOffline = v })
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("cost takes no arguments, got %q", fs.Args())
	}
	if (opts.LocalRun > 0) != (opts.CloudRun > 0) {
		return usageError("give both --local RUN_ID and --cloud RUN_ID, or neither")
	}
	return runCost(ctx, e, opts, e.stdout)
}

// costJSON is the stable output of `kicheck cost --json` (docs/cost.md).
type costJSON struct {
	ParamsFrom string `json:"params_from"`
	// VerdictFrom: "fit" (the stored probe's overall verdict, of
	// VerdictProbe), "manual" (--verdict) or "params" (file or defaults).
	VerdictFrom  string      `json:"verdict_from"`
	VerdictProbe *time.Time  `json:"verdict_probe_started,omitempty"`
	Measured     []string    `json:"measured_params"`     // parameters taken from the runs
	FromBundle   []string    `json:"derived_from_bundle"` // parameters estimated from the bundle
	Params       cost.Params `json:"params"`
	cost.Result
}

func runCost(ctx context.Context, e *env, opts costOptions, w io.Writer) error {
	var p cost.Params
	var from string
	var err error
	if opts.ParamsFile != "" {
		p, err = cost.LoadFile(opts.ParamsFile)
		from = opts.ParamsFile
	} else {
		p, from, err = cost.Load(e.dataDir)
	}
	if err != nil {
		return err
	}
	measured := []string{}
	if opts.LocalRun > 0 {
		db, err := e.openDB(ctx, cloudrun.Schemas...)
		if err != nil {
			return err
		}
		c, err := compare.Load(ctx, db, opts.LocalRun, opts.CloudRun)
		db.Close()
		if err != nil {
			return err
		}
		measured = compare.ApplyToCost(c, &p)
	}
	// The bundle estimates only what neither the file nor the runs gave.
	fromBundle := []string{}
	if p.Usage.TokensInPerRequest == 0 || p.Usage.TokensOutPerRequest == 0 {
		cat, err := bench.LoadCatalogue(e.dataDir)
		if err != nil {
			return err
		}
		b, err := cat.Get(opts.Bundle)
		if err != nil {
			return err
		}
		fromBundle = compare.ApplyBundle(b, &p)
	}
	verdictFrom, probeStarted := "params", (*time.Time)(nil)
	if opts.VerdictByHand {
		verdictFrom = "manual"
	} else {
		db, err := e.openDB(ctx)
		if err != nil {
			return err
		}
		sv, ok, err := fit.LatestVerdict(ctx, db, e.dataDir, probeMaxAge)
		db.Close()
		if err != nil {
			return err
		}
		if ok {
			p.Local.HardwareVerdict = string(sv.Verdict)
			verdictFrom, probeStarted = "fit", &sv.ProbeStarted
		}
	}
	// Flags win over file and measurements.
	for _, f := range opts.set {
		f(&p)
	}
	res := cost.Compute(p, time.Now()).Localize(e.lang)
	if opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(costJSON{ParamsFrom: from, VerdictFrom: verdictFrom, VerdictProbe: probeStarted, Measured: measured, FromBundle: fromBundle, Params: p, Result: res})
	}
	t := func(id string, data map[string]any) string { return i18n.T(e.lang, "costcli."+id, data) }
	cost.WriteText(w, e.lang, p, res)
	fmt.Fprintln(w)
	if from == cost.BuiltinSource {
		fmt.Fprintln(w, t("params_builtin", map[string]any{"File": "bundles/cost/" + cost.DefaultFile}))
	} else {
		fmt.Fprintln(w, t("params_from", map[string]any{"From": from}))
	}
	verdict := fmt.Sprintf("%q", p.Local.HardwareVerdict)
	switch verdictFrom {
	case "fit":
		when := probeStarted.Local().Format("02.01.2006 15:04")
		if e.lang == "en" {
			when = probeStarted.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintln(w, t("verdict_fit", map[string]any{"Verdict": verdict, "When": when}))
	case "manual":
		fmt.Fprintln(w, t("verdict_manual", map[string]any{"Verdict": verdict}))
	default:
		fmt.Fprintln(w, t("verdict_params", map[string]any{"Verdict": verdict}))
	}
	if len(fromBundle) > 0 {
		fmt.Fprintln(w, t("from_bundle", map[string]any{"Bundle": opts.Bundle, "Params": strings.Join(fromBundle, ", ")}))
	}
	if len(measured) > 0 {
		fmt.Fprintln(w, t("measured", map[string]any{"Local": opts.LocalRun, "Cloud": opts.CloudRun, "Params": strings.Join(measured, ", ")}))
	}
	return nil
}
