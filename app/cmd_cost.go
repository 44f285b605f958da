package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/compare"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/probe"
)

func init() {
	register(&command{name: "cost", summary: "cli.help.cost", run: costCmd})
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
	// Ops are the four operating models' figures (issue 14): the
	// parameters' operating section with the flags in opsSet over it;
	// LoadRun takes the clerks per server from a stored `kicheck load` run.
	Ops     cost.Operating
	opsSet  []func(*cost.Operating)
	LoadRun int64
	// FleetDB is the Sammelstelle's central database (SQLite file) whose
	// fleet gives the PCs and those needing an upgrade.
	FleetDB string
}

// costCmd parses the flags of `kicheck cost` and runs runCost.
func costCmd(ctx context.Context, e *env, args []string) error {
	var opts costOptions
	fs := newFlagSet("cost", e)
	fs.StringVar(&opts.ParamsFile, "params", "", "cli.flag.cost.params")
	fs.BoolVar(&opts.JSON, "json", false, "cli.flag.json")
	fs.Int64Var(&opts.LocalRun, "local", 0, "cli.flag.cost.local")
	fs.Int64Var(&opts.CloudRun, "cloud", 0, "cli.flag.cost.cloud")
	fs.StringVar(&opts.Bundle, "bundle", bench.DefaultBundle, "cli.flag.cost.bundle")
	var bad badValue
	num := func(name, usage string, apply func(*cost.Params, float64)) {
		fs.Func(name, usage, func(s string) error {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 {
				return bad.keep("cli.usage.value.number", flagData(name, s))
			}
			opts.set = append(opts.set, func(p *cost.Params) { apply(p, v) })
			return nil
		})
	}
	boolean := func(name, usage string, apply func(*cost.Params, bool)) {
		fs.BoolFunc(name, usage, func(s string) error {
			v, err := strconv.ParseBool(s)
			if err != nil {
				return bad.keep("cli.usage.value.bool", flagData(name, s))
			}
			opts.set = append(opts.set, func(p *cost.Params) { apply(p, v) })
			return nil
		})
	}
	num("users", "cli.flag.cost.users", func(p *cost.Params, v float64) { p.Usage.Users = int(v) })
	num("requests-per-day", "cli.flag.cost.requests_per_day", func(p *cost.Params, v float64) { p.Usage.RequestsPerUserPerDay = v })
	num("tokens-in", "cli.flag.cost.tokens_in", func(p *cost.Params, v float64) { p.Usage.TokensInPerRequest = v })
	num("tokens-out", "cli.flag.cost.tokens_out", func(p *cost.Params, v float64) { p.Usage.TokensOutPerRequest = v })
	num("price-in", "cli.flag.cost.price_in", func(p *cost.Params, v float64) { p.Cloud.PriceInputPerMillion = v })
	num("price-out", "cli.flag.cost.price_out", func(p *cost.Params, v float64) { p.Cloud.PriceOutputPerMillion = v })
	fs.Func("price-date", "cli.flag.cost.price_date", func(s string) error {
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return bad.keep("cli.usage.value.date", flagData("price-date", s))
		}
		opts.set = append(opts.set, func(p *cost.Params) { p.Cloud.PriceDate = s })
		return nil
	})
	fs.Func("verdict", "cli.flag.cost.verdict", func(s string) error {
		if s != cost.VerdictReady && s != cost.VerdictLimited && s != cost.VerdictNotReady {
			return bad.keep("cli.usage.value.verdict", flagData("verdict", s))
		}
		opts.VerdictByHand = true
		opts.set = append(opts.set, func(p *cost.Params) { p.Local.HardwareVerdict = s; p.Local.HardwareEUR = nil })
		return nil
	})
	num("hardware-eur", "cli.flag.cost.hardware_eur", func(p *cost.Params, v float64) { p.Local.HardwareEUR = &v })
	num("depreciation-years", "cli.flag.cost.depreciation_years", func(p *cost.Params, v float64) { p.Local.DepreciationYears = v })
	num("power-watts", "cli.flag.cost.power_watts", func(p *cost.Params, v float64) { p.Local.PowerWatts = v })
	num("seconds-per-request", "cli.flag.cost.seconds_per_request", func(p *cost.Params, v float64) { p.Local.SecondsPerRequest = v })
	num("kwh-price", "cli.flag.cost.kwh_price", func(p *cost.Params, v float64) { p.Local.ElectricityEURPerKWh = v })
	num("cloud-share", "cli.flag.cost.cloud_share", func(p *cost.Params, v float64) { p.Hybrid.CloudShare = min(v, 1) })
	boolean("personal-data", "cli.flag.cost.personal_data", func(p *cost.Params, v bool) { p.Criteria.PersonalData = v })
	boolean("avv", "cli.flag.cost.avv", func(p *cost.Params, v bool) { p.Cloud.AVVAvailable = v })
	boolean("offline", "cli.flag.cost.offline", func(p *cost.Params, v bool) { p.Criteria.NeedsOffline = v })
	// The operating models' flags override the parameters' operating
	// section (bundles/cost, or the municipality's file).
	opsNum := func(name, usage string, apply func(*cost.Operating, float64)) {
		fs.Func(name, usage, func(s string) error {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 {
				return bad.keep("cli.usage.value.number", flagData(name, s))
			}
			opts.opsSet = append(opts.opsSet, func(o *cost.Operating) { apply(o, v) })
			return nil
		})
	}
	opsNum("pcs", "cli.flag.cost.pcs", func(o *cost.Operating, v float64) { o.PCs = int(v) })
	opsNum("pcs-not-ready", "cli.flag.cost.pcs_not_ready", func(o *cost.Operating, v float64) { o.PCsNotReady = int(v) })
	price := func(name, usage string, pr func(*cost.Operating) *cost.Price) {
		opsNum(name+"-eur", usage, func(o *cost.Operating, v float64) { pr(o).EUR = &v })
		fs.Func(name+"-date", "cli.flag.cost.price_date_each", func(s string) error {
			if _, err := time.Parse("2006-01-02", s); err != nil {
				return bad.keep("cli.usage.value.date", flagData(name+"-date", s))
			}
			opts.opsSet = append(opts.opsSet, func(o *cost.Operating) { pr(o).Date = s })
			return nil
		})
	}
	price("upgrade-per-pc", "cli.flag.cost.upgrade_per_pc_eur", func(o *cost.Operating) *cost.Price { return &o.UpgradePerPC })
	price("server", "cli.flag.cost.server_eur", func(o *cost.Operating) *cost.Price { return &o.Server })
	opsNum("clerks-per-server", "cli.flag.cost.clerks_per_server", func(o *cost.Operating, v float64) { o.ClerksPerServer = int(v) })
	fs.StringVar(&opts.FleetDB, "fleet-db", "", "cli.flag.cost.fleet_db")
	fs.Int64Var(&opts.LoadRun, "load-run", 0, "cli.flag.cost.load_run")
	opsNum("server-watts", "cli.flag.cost.server_watts", func(o *cost.Operating, v float64) { o.ServerWatts = v })
	opsNum("server-admin-hours", "cli.flag.cost.server_admin_hours", func(o *cost.Operating, v float64) { o.ServerAdminHours = v })
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if bad.err != nil {
		return bad.err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "cost", "Arg": i18n.Escape(fs.Arg(0))})
	}
	if (opts.LocalRun > 0) != (opts.CloudRun > 0) {
		return usage("cli.usage.cost.runs", nil)
	}
	return runCost(ctx, opts, e)
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

// runCost computes the cost comparison and the operating models and
// prints them to e's stdout (kicheck strategy reads its --json output
// from a buffer: it passes a copy of its env whose stdout is the buffer).
func runCost(ctx context.Context, opts costOptions, e *env) error {
	w := e.stdout
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
	var layers cost.Layers
	if opts.LocalRun > 0 {
		layers.Measured = func(p *cost.Params) ([]string, error) {
			db, err := e.openDB(ctx, cloudrun.Schemas...)
			if err != nil {
				return nil, err
			}
			c, err := compare.Load(ctx, db, opts.LocalRun, opts.CloudRun)
			db.Close()
			if err != nil {
				return nil, err
			}
			return compare.ApplyToCost(c, p), nil
		}
	}
	layers.Estimated = func(p *cost.Params) ([]string, error) {
		cat, err := bench.LoadCatalogue(e.dataDir)
		if err != nil {
			return nil, err
		}
		b, err := testBundle(cat, opts.Bundle)
		if err != nil {
			return nil, err
		}
		return compare.ApplyBundle(b, p), nil
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
		sv, ok, err := fit.LatestVerdict(ctx, db, e.dataDir, probe.MaxAge, measured)
		db.Close()
		if err != nil {
			return err
		}
		if ok {
			layers.FitVerdict = string(sv.Verdict)
			verdictFrom, probeStarted = "fit", &sv.ProbeStarted
		}
	}
	layers.Entered = func(p *cost.Params) {
		for _, f := range opts.set {
			f(p)
		}
	}
	applied, err := cost.Apply(&p, layers)
	if err != nil {
		return err
	}
	measured, fromBundle := nonNil(applied.Measured), nonNil(applied.Estimated)
	res := cost.Compute(p, time.Now()).Localize(e.lang)
	opts.Ops = p.Operating
	capacityFrom := int64(0)
	if opts.LoadRun > 0 {
		n, err := clerksFromLoadRun(ctx, e, opts.LoadRun)
		if err != nil {
			return err
		}
		opts.Ops.ClerksPerServer, capacityFrom = n, opts.LoadRun
	} else if opts.Ops.ClerksPerServer == 0 {
		// The newest stored load test sizes the server, when there is one.
		db, err := e.openDB(ctx, load.Schema)
		if err != nil {
			return err
		}
		c, ok, err := load.LatestCapacity(ctx, db)
		db.Close()
		if err != nil {
			return err
		}
		if ok {
			opts.Ops.ClerksPerServer, capacityFrom = c.Clerks, c.RunID
		}
	}
	fleetFrom := ""
	if opts.FleetDB != "" {
		n, up, err := fleetPCs(ctx, opts.FleetDB)
		if err != nil {
			return err
		}
		opts.Ops.PCs, opts.Ops.PCsNotReady, fleetFrom = n, up, opts.FleetDB
	}
	for _, f := range opts.opsSet {
		f(&opts.Ops)
	}
	if (opts.Ops.UpgradePerPC.EUR != nil && opts.Ops.UpgradePerPC.Date == "") || (opts.Ops.Server.EUR != nil && opts.Ops.Server.Date == "") {
		return usage("cli.usage.cost.price_date", nil)
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
		fmt.Fprintln(w, t("params_from", map[string]any{"From": i18n.Escape(from)}))
	}
	verdict := fmt.Sprintf("%q", p.Local.HardwareVerdict)
	switch verdictFrom {
	case "fit":
		fmt.Fprintln(w, t("verdict_fit", map[string]any{"Verdict": verdict, "When": i18n.DateTime(e.lang, probeStarted.Local())}))
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
	if fleetFrom != "" {
		fmt.Fprintln(w, i18n.T(e.lang, "operating.fleet_from", map[string]any{"Path": i18n.Escape(fleetFrom), "N": opts.Ops.PCs, "Up": opts.Ops.PCsNotReady}))
	}
	if capacityFrom > 0 && opts.Ops.ClerksPerServer > 0 {
		fmt.Fprintln(w, i18n.T(e.lang, "operating.capacity_from", map[string]any{"ID": capacityFrom, "N": opts.Ops.ClerksPerServer}))
	}
	cost.WriteOperating(w, e.lang, p, opts.Ops, models)
	return nil
}

// fleetPCs reads the devices and those needing an upgrade from the
// Sammelstelle's SQLite file (never created here).
func fleetPCs(ctx context.Context, path string) (int, int, error) {
	if collect.IsPostgres(path) {
		return 0, 0, usage("cli.usage.cost.fleet_db_postgres", nil)
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return 0, 0, usage("cli.usage.cost.fleet_db_missing", map[string]any{"Path": i18n.Escape(path)})
	}
	db, err := collect.OpenSQLite(ctx, path)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	f, err := db.Fleet(ctx, collect.FleetOptions{})
	if err != nil {
		return 0, 0, err
	}
	return f.Overall.Total(), f.Overall.NeedUpgrade(), nil
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
		return 0, loadRunError(id, err)
	}
	var s load.Summary
	if run.Kind != load.RunKind || json.Unmarshal(run.Summary, &s) != nil || s.Answer == nil || !s.Answer.Reached {
		return 0, usage("cli.usage.cost.load_run", map[string]any{"ID": id})
	}
	return s.Answer.Clerks, nil
}

// nonNil is s, or an empty list for JSON's [] instead of null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
