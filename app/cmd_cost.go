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
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/compare"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/load"
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
	// Ops are the four operating models' figures (issue 14); LoadRun takes
	// the clerks per server from a stored `kicheck load` run.
	Ops     cost.Operating
	LoadRun int64
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
	fs.IntVar(&opts.Ops.PCs, "pcs", 0, "operating models: PCs of the staff")
	fs.IntVar(&opts.Ops.PCsNotReady, "pcs-not-ready", 0, "operating models: PCs that need an upgrade to run a model (fleet figure)")
	price := func(name, usage string, pr *cost.Price) {
		fs.Func(name+"-eur", usage+" in euro (von der Kommune einzutragen)", func(s string) error {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 {
				return fmt.Errorf("want a number ≥ 0, got %q", s)
			}
			pr.EUR = &v
			return nil
		})
		fs.Func(name+"-date", "date of that price (YYYY-MM-DD)", func(s string) error {
			if _, err := time.Parse("2006-01-02", s); err != nil {
				return fmt.Errorf("want YYYY-MM-DD, got %q", s)
			}
			pr.Date = s
			return nil
		})
	}
	price("upgrade-per-pc", "operating models: upgrade price of one PC", &opts.Ops.UpgradePerPC)
	price("server", "operating models: price of one central AI server", &opts.Ops.Server)
	fs.IntVar(&opts.Ops.ClerksPerServer, "clerks-per-server", 0, "operating models: clerks one server serves (from kicheck load)")
	fs.Int64Var(&opts.LoadRun, "load-run", 0, "operating models: take the clerks per server from this stored kicheck load run `ID`")
	fs.Float64Var(&opts.Ops.ServerWatts, "server-watts", 0, "operating models: average power draw of one server in watts")
	fs.Float64Var(&opts.Ops.ServerAdminHours, "server-admin-hours", 8, "operating models: admin hours per month for the servers")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("cost takes no arguments, got %q", fs.Args())
	}
	if (opts.Ops.UpgradePerPC.EUR != nil && opts.Ops.UpgradePerPC.Date == "") || (opts.Ops.Server.EUR != nil && opts.Ops.Server.Date == "") {
		return usageError("a price needs its date: give --upgrade-per-pc-date / --server-date YYYY-MM-DD with the price")
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
	Operating       cost.Operating   `json:"operating"`
	OperatingModels []cost.ModelCost `json:"operating_models"`
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
		measured, _ := check.MeasuredRuns(ctx, db) // a read error leaves the verdict uncalibrated
		sv, ok, err := fit.LatestVerdict(ctx, db, e.dataDir, probeMaxAge, measured)
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
	if opts.LoadRun > 0 {
		n, err := clerksFromLoadRun(ctx, e, opts.LoadRun)
		if err != nil {
			return err
		}
		opts.Ops.ClerksPerServer = n
	}
	models := cost.OperatingModels(p, opts.Ops, res)
	if opts.JSON {
		return writeJSON(w, costJSON{ParamsFrom: from, VerdictFrom: verdictFrom, VerdictProbe: probeStarted, Measured: measured, FromBundle: fromBundle, Params: p, Result: res,
			Operating: opts.Ops, OperatingModels: models})
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
	fmt.Fprintln(w)
	writeOperatingModels(w, e.lang, p, opts.Ops, models)
	return nil
}

// writeOperatingModels prints the four operating models; a model whose
// figures are missing says which ones the municipality has to enter.
func writeOperatingModels(w io.Writer, lang string, p cost.Params, o cost.Operating, ms []cost.ModelCost) {
	T := func(id string, data ...any) string { return i18n.T(lang, "operating."+id, data...) }
	fmt.Fprintln(w, T("head", map[string]any{"Users": p.Usage.Users}))
	for _, m := range ms {
		name := T("model." + m.Model)
		if len(m.Open) > 0 {
			var open []string
			for _, k := range m.Open {
				open = append(open, T("open."+k))
			}
			fmt.Fprintf(w, "  %s: %s\n", name, T("open", map[string]any{"What": strings.Join(open, ", ")}))
			continue
		}
		line := fmt.Sprintf("  %s: %s", name, T("monthly", map[string]any{"EUR": i18n.Grouped(lang, m.Monthly, 0)}))
		if m.Servers > 0 {
			line += " · " + T("servers", map[string]any{"N": m.Servers, "Per": o.ClerksPerServer})
		}
		fmt.Fprintln(w, line)
	}
	for _, pr := range []struct {
		id string
		p  cost.Price
	}{{"price.server", o.Server}, {"price.upgrade", o.UpgradePerPC}} {
		if pr.p.Known() {
			fmt.Fprintln(w, "  "+T(pr.id, map[string]any{"EUR": i18n.Grouped(lang, *pr.p.EUR, 0), "Date": pr.p.Date}))
		}
	}
	// Break-even in users between each pair of models with all figures.
	comp := func(q cost.Params) cost.Result { return cost.Compute(q, time.Now()) }
	for i := range ms {
		for j := i + 1; j < len(ms); j++ {
			a, b := ms[i], ms[j]
			if len(a.Open) > 0 || len(b.Open) > 0 {
				continue
			}
			if n := cost.BreakEvenUsers(p, o, a.Model, b.Model, 100000, comp); n > 0 {
				fmt.Fprintln(w, "  "+T("break_even", map[string]any{"A": T("model." + a.Model), "B": T("model." + b.Model), "N": i18n.Int(n)}))
			} else {
				fmt.Fprintln(w, "  "+T("no_break_even", map[string]any{"A": T("model." + a.Model), "B": T("model." + b.Model)}))
			}
		}
	}
	choice := cost.RecommendOperating(p, ms)
	if choice.Model != "" {
		fmt.Fprintln(w, T("recommend", map[string]any{"Model": T("model." + choice.Model)}))
	} else {
		fmt.Fprintln(w, T("recommend_none"))
	}
	for _, r := range choice.Reasons {
		fmt.Fprintln(w, "  – "+r.Text(lang))
	}
	fmt.Fprintln(w, "  "+T("note"))
}

// clerksFromLoadRun reads the clerk's answer of a stored load run.
func clerksFromLoadRun(ctx context.Context, e *env, id int64) (int, error) {
	db, err := e.openDB(ctx, load.Schema)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	run, err := db.GetRun(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("load run %d: %w", id, err)
	}
	var s load.Summary
	if run.Kind != load.RunKind || json.Unmarshal(run.Summary, &s) != nil || s.Answer == nil || !s.Answer.Reached {
		return 0, usageError("run %d is not a kicheck load run with an answer (kicheck load stores one)", id)
	}
	return s.Answer.Clerks, nil
}
