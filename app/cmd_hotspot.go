package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// `kicheck hotspot SUBCOMMAND`: the process survey and the hotspot
// portfolio (internal/hotspot, docs/hotspots.md).

// exitConflicts: `kicheck hotspot import` stored what it could, and some
// process ids have different figures in two places (nothing of them was
// stored).
var exitConflicts = newExitCode(8, "kicheck hotspot import: conflicts left (same id, different figures); the rest was stored")

// hotspotCmds are the subcommands of kicheck hotspot, in the order of the work.
var hotspotCmds = &subcommands{parent: "hotspot", footer: "Sheet format and scoring: docs/hotspots.md.", list: []*command{
	{name: "template", summary: "write an empty survey sheet (CSV) and its explanations (--examples: the process catalogue's example rows)", run: runHotspotTemplateCmd},
	{name: "import", summary: "read survey sheets (CSV) of one or more departments, or another municipality's signed export (.json); conflicts are shown, not overwritten", run: runHotspotImportCmd},
	{name: "list", summary: "list the surveyed processes (--examples: other municipalities' examples)", run: runHotspotListCmd},
	{name: "score", summary: "score and rank the processes: benefit, feasibility, legal class, quadrant", run: runHotspotScoreCmd},
	{name: "show", summary: "show the Steckbrief of one process: kicheck hotspot show ID", run: runHotspotShowCmd},
	{name: "export", summary: "write the portfolio as json, csv, html, pdf or algoritmeregister, signed", run: runHotspotExportCmd},
}}

func init() {
	register(&command{name: "hotspot", summary: "where AI brings the most: process survey, scoring, Steckbriefe ('kicheck hotspot help')", run: hotspotCmds.run})
}

// hotspotCatalogues loads the fit catalogue (use cases) and the hotspot
// catalogue (task types, processes); broken own files are warnings.
func hotspotCatalogues(e *env) (*fit.Catalogue, *hotspot.Catalogue, error) {
	fc, err := fit.LoadCatalogue(e.dataDir)
	if err != nil {
		return nil, nil, err
	}
	hc, err := hotspot.LoadCatalogue(e.dataDir, hotspot.UseCaseIDs(fc))
	if err != nil {
		return nil, nil, err
	}
	for _, p := range hc.Problems {
		warn(e.stderr, e.lang, p)
	}
	return fc, hc, nil
}

// --- template ---

type hotspotTemplateOptions struct {
	Out      string
	Examples bool
	Force    bool
}

// noHotspotArgs is the usage error of a hotspot subcommand that takes no
// arguments but got some.
func noHotspotArgs(sub string, fs *flag.FlagSet) error {
	if fs.NArg() == 0 {
		return nil
	}
	return usage("cli.usage.hotspot.no_args", map[string]any{"Sub": sub, "Arg": i18n.Escape(fs.Arg(0))})
}

func runHotspotTemplateCmd(ctx context.Context, e *env, args []string) error {
	var opts hotspotTemplateOptions
	fs := newFlagSet("hotspot template", e.stderr)
	fs.StringVar(&opts.Out, "out", ".", "folder to write "+hotspot.TemplateSheet+" and "+hotspot.TemplateReadme+" into")
	fs.BoolVar(&opts.Examples, "examples", false, "fill the sheet with the process catalogue's processes and their example values")
	fs.BoolVar(&opts.Force, "force", false, "replace an existing sheet (a filled-in sheet is otherwise never overwritten)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noHotspotArgs("template", fs); err != nil {
		return err
	}
	return runHotspotTemplate(ctx, opts, e)
}

// runHotspotTemplate writes the empty sheet and its explanations into
// opts.Out and prints their paths.
func runHotspotTemplate(ctx context.Context, opts hotspotTemplateOptions, e *env) error {
	_, hc, err := hotspotCatalogues(e)
	if err != nil {
		return err
	}
	sheet := filepath.Join(opts.Out, hotspot.TemplateSheet)
	if _, err := os.Stat(sheet); err == nil && !opts.Force {
		return i18n.NewError("cli.hotspot.template_exists", "cli.hotspot.template_exists_hint", map[string]any{"File": i18n.Escape(sheet)}, nil)
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return writeHotspotError(&hotspot.ExportError{Dir: opts.Out, Err: err})
	}
	readme := filepath.Join(opts.Out, hotspot.TemplateReadme)
	for _, f := range []struct {
		path string
		data []byte
	}{{sheet, hotspot.Template(hc, opts.Examples)}, {readme, hotspot.Readme(hc, e.lang)}} {
		if err := atomicfile.Write(f.path, f.data, 0o644); err != nil {
			return writeHotspotError(&hotspot.ExportError{Dir: opts.Out, Err: err})
		}
	}
	fmt.Fprintln(e.stdout, sheet)
	fmt.Fprintln(e.stdout, readme)
	return nil
}

// --- import ---

type hotspotImportOptions struct {
	Files          []string
	Prefer         string
	Replace        bool
	JSON           bool
	AllowedSigners string
}

func runHotspotImportCmd(ctx context.Context, e *env, args []string) error {
	var opts hotspotImportOptions
	fs := newFlagSet("hotspot import", e.stderr)
	fs.StringVar(&opts.Prefer, "prefer", "", "on a conflict, take the figures of this `FILE` (one of the files given)")
	fs.BoolVar(&opts.Replace, "replace", false, "let the sheets' figures replace stored processes with the same id")
	fs.BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	fs.StringVar(&opts.AllowedSigners, "allowed-signers", "", "for a signed export (.json): accept only keys listed in this allowed_signers `FILE`")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: kicheck hotspot import FILE... [--prefer FILE] [--replace] [--json]\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opts.Files = fs.Args()
	if len(opts.Files) == 0 {
		return usage("cli.usage.hotspot.import.files", nil)
	}
	return runHotspotImport(ctx, opts, e)
}

type hotspotImportJSON struct {
	hotspot.ImportResult
	Examples []*hotspot.ExampleResult `json:"examples"`
	Problems hotspot.Problems         `json:"problems"`
}

// runHotspotImport reads the sheets and signed exports of opts.Files and
// stores them; nothing is stored when a sheet has problems.
func runHotspotImport(ctx context.Context, opts hotspotImportOptions, e *env) error {
	w, lang := e.stdout, e.lang
	_, hc, err := hotspotCatalogues(e)
	if err != nil {
		return err
	}
	var sheets, exports []string
	for _, f := range opts.Files {
		if strings.EqualFold(filepath.Ext(f), ".json") {
			exports = append(exports, f)
		} else {
			sheets = append(sheets, f)
		}
	}
	if opts.Prefer != "" && !containsPath(sheets, opts.Prefer) {
		return usage("cli.usage.hotspot.import.prefer", map[string]any{"File": i18n.Escape(opts.Prefer)})
	}
	db, err := e.openDB(ctx, hotspot.Schema, hotspot.TrialSchema)
	if err != nil {
		return err
	}
	defer db.Close()
	out := hotspotImportJSON{Examples: []*hotspot.ExampleResult{}, Problems: hotspot.Problems{}}
	// Everything is read and checked before anything is stored.
	read, problems := hotspot.ReadFiles(sheets, hc.TaskIDs())
	if problems != nil {
		return importProblems(problems, opts, e)
	}
	var allowed *signing.AllowedSigners
	if opts.AllowedSigners != "" {
		if allowed, err = signing.ReadAllowedSigners(opts.AllowedSigners); err != nil {
			return err
		}
	}
	type example struct {
		res *hotspot.ExampleResult
		ps  []hotspot.Process
	}
	var examples []example
	for _, f := range exports {
		res, ps, err := hotspot.ReadExample(f, hc.TaskIDs(), allowed)
		if err != nil {
			return err
		}
		examples = append(examples, example{res, ps})
	}
	for _, ex := range examples {
		if err := hotspot.ImportExample(ctx, db, ex.res, ex.ps); err != nil {
			return err
		}
		out.Examples = append(out.Examples, ex.res)
	}
	if len(read) > 0 {
		out.ImportResult, err = hotspot.Import(ctx, db, read, hotspot.ImportOptions{Prefer: opts.Prefer, Replace: opts.Replace})
		if err != nil {
			return err
		}
	}
	if opts.JSON {
		if err := writeJSON(w, out); err != nil {
			return err
		}
	} else {
		printImport(w, out, lang)
	}
	if len(out.Conflicts) > 0 {
		return &exitError{code: exitConflicts, err: nil}
	}
	return nil
}

func containsPath(paths []string, p string) bool {
	ap, err := filepath.Abs(p)
	for _, q := range paths {
		if aq, err2 := filepath.Abs(q); q == p || err == nil && err2 == nil && aq == ap {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func importProblems(ps hotspot.Problems, opts hotspotImportOptions, e *env) error {
	lang := e.lang
	if opts.JSON {
		ps.Localize(lang)
		_ = writeJSON(e.stdout, hotspotImportJSON{Problems: ps, Examples: []*hotspot.ExampleResult{}})
	}
	for _, p := range ps {
		fmt.Fprintf(e.stderr, "%s: %s\n", p.Where(lang), p.Msg.Text(lang))
		if p.Hint.ID != "" {
			fmt.Fprintf(e.stderr, "  → %s\n", p.Hint.Text(lang))
		}
	}
	return i18n.NewError("hotspot.cli.problems", "hotspot.cli.problems_hint", map[string]any{"N": len(ps)}, nil)
}

func printImport(w io.Writer, r hotspotImportJSON, lang string) {
	T := func(id string, kv map[string]any) string { return i18n.T(lang, "hotspot.cli."+id, kv) }
	for _, s := range r.Sheets {
		fmt.Fprintln(w, T("sheet", map[string]any{"File": s.File, "Rows": s.Rows, "Encoding": s.Encoding}))
		if len(s.Ignored) > 0 {
			fmt.Fprintln(w, "  "+T("ignored", map[string]any{"Columns": strings.Join(s.Ignored, ", ")}))
		}
	}
	for _, ex := range r.Examples {
		fmt.Fprintln(w, T("example", map[string]any{"File": ex.File, "Kommune": ex.Kommune, "N": len(ex.Processes), "Signer": ex.Signer}))
	}
	if len(r.Sheets) > 0 {
		fmt.Fprintln(w, T("summary", map[string]any{"Added": len(r.Added), "Updated": len(r.Updated), "Unchanged": len(r.Unchanged), "Conflicts": len(r.Conflicts)}))
	}
	for _, c := range r.Conflicts {
		a := c.A.Source.File
		if c.Stored {
			a = T("stored", map[string]any{"File": c.A.Source.File})
		}
		fmt.Fprintln(w, "\n"+T("conflict", map[string]any{"ID": c.ID, "A": a, "ALine": c.A.Source.Line, "B": c.B.Source.File, "BLine": c.B.Source.Line}))
		for _, d := range c.Diffs {
			fmt.Fprintf(w, "  %-22s %q ≠ %q\n", d.Column, d.A, d.B)
		}
	}
	if len(r.Conflicts) > 0 {
		fmt.Fprintln(w, "\n"+T("conflict_hint", nil))
	}
}

// --- list ---

type hotspotListOptions struct {
	JSON, Examples bool
}

func runHotspotListCmd(ctx context.Context, e *env, args []string) error {
	var opts hotspotListOptions
	fs := newFlagSet("hotspot list", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (the stored rows, column names of the sheet)")
	fs.BoolVar(&opts.Examples, "examples", false, "list other municipalities' examples instead of the own processes")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noHotspotArgs("list", fs); err != nil {
		return err
	}
	return runHotspotList(ctx, opts, e)
}

// runHotspotList prints the stored processes (or the examples).
func runHotspotList(ctx context.Context, opts hotspotListOptions, e *env) error {
	db, err := e.openDB(ctx, hotspot.Schema, hotspot.TrialSchema)
	if err != nil {
		return err
	}
	defer db.Close()
	w, lang := e.stdout, e.lang
	list := hotspot.List
	if opts.Examples {
		list = hotspot.Examples
	}
	ps, err := list(ctx, db)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(w, ps)
	}
	if len(ps) == 0 {
		fmt.Fprintln(w, i18n.T(lang, "hotspot.cli.none"))
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T(lang, "hotspot.cli.list_header"))
	kommune := ""
	for _, p := range ps {
		if opts.Examples && p.Source.Kommune != kommune {
			kommune = p.Source.Kommune
			fmt.Fprintln(tw, i18n.T(lang, "hotspot.cli.examples_from", map[string]any{"Kommune": kommune})+"\t\t\t\t\t\t\t\t")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", p.ID, clip(p.Name, 48), clip(p.Unit, 20), p.Task, i18n.Grouped(lang, float64(p.CasesPerYear), 0),
			i18n.Grouped(lang, p.MinutesPerCase, -1), i18n.Grouped(lang, p.TextSharePercent, -1), p.DataClass)
	}
	return tw.Flush()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// --- score, show, export: the portfolio ---

type hotspotScoreOptions struct {
	JSON       bool
	ParamsFile string  // cost parameters (staff rate, AVV)
	Rate       float64 // --rate: staff-cost rate per hour, overrides the parameters (<0: not given)
	FleetDB    string  // a Sammelstelle database: share of ready PCs per unit
	Measure    bool    // probe now if no stored probe
	Land       string  // the municipality's Land (aiact.Lands)
}

func scoreFlags(fs *flag.FlagSet, o *hotspotScoreOptions) {
	fs.StringVar(&o.ParamsFile, "params", "", "cost parameter `FILE` (staff_eur_per_hour, cloud.avv_available); default: the data dir's bundles/cost/default.yaml or the built-in one")
	fs.Float64Var(&o.Rate, "rate", -1, "staff-cost rate in `EUR` per hour (overrides staff_eur_per_hour)")
	fs.StringVar(&o.FleetDB, "fleet-db", "", "a Sammelstelle database (kicheck collect --db): adds each unit's share of ready PCs to the readiness")
	fs.BoolVar(&o.Measure, "probe", false, "measure this PC now (about 5 s) when no probe is stored")
	fs.StringVar(&o.Land, "land", "", "the municipality's Land (e.g. ST): § 35a VwVfG then names the Land's provision")
}

// hotspotPortfolio scores the stored processes with the cost parameters,
// this PC's stored probe and, if given, the Sammelstelle's fleet.
func hotspotPortfolio(ctx context.Context, opts hotspotScoreOptions, db *store.DB, e *env) (hotspot.Portfolio, *hotspot.Catalogue, error) {
	fc, hc, err := hotspotCatalogues(e)
	if err != nil {
		return hotspot.Portfolio{}, nil, err
	}
	var p cost.Params
	source := ""
	if opts.ParamsFile != "" {
		p, err = cost.LoadFile(opts.ParamsFile)
		source = opts.ParamsFile
	} else {
		p, source, err = cost.Load(e.dataDir)
	}
	if err != nil {
		return hotspot.Portfolio{}, nil, err
	}
	land, err := aiact.ParseLand(opts.Land)
	if err != nil {
		lands := make([]string, len(aiact.Lands))
		for i, l := range aiact.Lands {
			lands[i] = string(l)
		}
		return hotspot.Portfolio{}, nil, usage("cli.usage.hotspot.land", map[string]any{"Land": i18n.Escape(opts.Land), "Valid": strings.Join(lands, ", ")})
	}
	params := hotspot.Params{StaffEURPerHour: p.StaffEURPerHour, RateSource: source, AVV: p.Cloud.AVVAvailable, Land: land}
	if opts.Rate >= 0 {
		r := opts.Rate
		params.StaffEURPerHour, params.RateSource = &r, "--rate"
	}
	ps, err := hotspot.List(ctx, db)
	if err != nil {
		return hotspot.Portfolio{}, nil, err
	}
	readiness, err := pcReadiness(ctx, opts, db, fc, hc, e)
	if err != nil {
		return hotspot.Portfolio{}, nil, err
	}
	if opts.FleetDB != "" {
		share, err := hotspot.FleetReadyShare(ctx, opts.FleetDB)
		if err != nil {
			return hotspot.Portfolio{}, nil, err
		}
		readiness.UnitReadyShare = share
	}
	pf := hotspot.Score(ps, hotspot.Inputs{Catalogue: hc, Params: params, Readiness: readiness})
	// The Erprobung's newest results go on every Steckbrief, as in the GUI.
	trials, err := hotspot.LatestTrials(ctx, db)
	if err != nil {
		return hotspot.Portfolio{}, nil, err
	}
	hotspot.AttachTrials(&pf, trials)
	return pf, hc, nil
}

// pcReadiness is this PC's readiness from the newest stored probe; with
// --probe it measures when none is stored.
func pcReadiness(ctx context.Context, opts hotspotScoreOptions, db *store.DB, fc *fit.Catalogue, hc *hotspot.Catalogue, e *env) (hotspot.Readiness, error) {
	r, ok, err := hotspot.MeasuredReadiness(ctx, db, e.dataDir, fc, hc, probe.MaxAge)
	if err != nil || ok || !opts.Measure {
		return r, err
	}
	fmt.Fprintln(e.stderr, i18n.T(e.lang, "cli.hotspot.measuring"))
	pr, runErr := probe.Run(ctx, probe.Options{}, nil)
	if _, err := probe.Save(ctx, db, pr, runErr); err != nil {
		return r, fmt.Errorf("store probe result: %w", err)
	}
	if runErr != nil {
		return r, fmt.Errorf("probe: %w", runErr)
	}
	r, _, err = hotspot.MeasuredReadiness(ctx, db, e.dataDir, fc, hc, probe.MaxAge)
	return r, err
}

func runHotspotScoreCmd(ctx context.Context, e *env, args []string) error {
	var opts hotspotScoreOptions
	fs := newFlagSet("hotspot score", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print the scored portfolio as JSON (docs/schema/hotspot-export.schema.json)")
	scoreFlags(fs, &opts)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noHotspotArgs("score", fs); err != nil {
		return err
	}
	return runHotspotScore(ctx, opts, e)
}

// runHotspotScore prints the scored portfolio.
func runHotspotScore(ctx context.Context, opts hotspotScoreOptions, e *env) error {
	db, err := e.openDB(ctx, hotspot.Schema, hotspot.TrialSchema)
	if err != nil {
		return err
	}
	defer db.Close()
	pf, _, err := hotspotPortfolio(ctx, opts, db, e)
	if err != nil {
		return err
	}
	w, lang := e.stdout, e.lang
	if opts.JSON {
		b, err := hotspot.NewDocument(pf, hotspot.Meta{Created: time.Now(), Lang: lang}).JSON()
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	if len(pf.Hotspots) == 0 {
		fmt.Fprintln(w, i18n.T(lang, "hotspot.cli.none"))
		return nil
	}
	printPortfolio(w, pf, lang)
	return nil
}

func printPortfolio(w io.Writer, pf hotspot.Portfolio, lang string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T(lang, "hotspot.cli.score_header"))
	for _, h := range pf.Hotspots {
		eur := "–"
		if h.EUR != nil {
			eur = i18n.Grouped(lang, *h.EUR, 0)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", h.Rank, h.Process.ID, i18n.Grouped(lang, h.Hours, 1), eur,
			i18n.Grouped(lang, h.Feasibility, 0), i18n.T(lang, "hotspot.class."+string(h.Legal.Result.Class)), i18n.T(lang, "hotspot.quadrant."+h.Quadrant), clip(h.Process.Name, 44))
	}
	tw.Flush()
	fmt.Fprintln(w, "\n"+i18n.T(lang, "hotspot.portfolio.intro", map[string]any{"Threshold": i18n.Grouped(lang, pf.BenefitThreshold, 1),
		"FThreshold": i18n.Grouped(lang, pf.FeasibilityThreshold, 0), "Stand": pf.LegalStand}))
	if pf.Params.StaffEURPerHour == nil {
		fmt.Fprintln(w, i18n.T(lang, "hotspot.trace.eur_missing"))
	}
	if len(pf.Readiness.UseCases) == 0 {
		fmt.Fprintln(w, i18n.T(lang, "hotspot.cli.no_probe"))
	}
}

type hotspotShowOptions struct {
	hotspotScoreOptions
	ID      string
	Kommune string
}

func runHotspotShowCmd(ctx context.Context, e *env, args []string) error {
	var opts hotspotShowOptions
	fs := newFlagSet("hotspot show", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print the hotspot as JSON")
	fs.StringVar(&opts.Kommune, "kommune", "", "name of the municipality for the footer")
	scoreFlags(fs, &opts.hotspotScoreOptions)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage("cli.usage.hotspot.show.id", nil)
	}
	opts.ID = fs.Arg(0)
	return runHotspotShow(ctx, opts, e)
}

// runHotspotShow prints the Steckbrief of process opts.ID.
func runHotspotShow(ctx context.Context, opts hotspotShowOptions, e *env) error {
	db, err := e.openDB(ctx, hotspot.Schema, hotspot.TrialSchema)
	if err != nil {
		return err
	}
	defer db.Close()
	pf, hc, err := hotspotPortfolio(ctx, opts.hotspotScoreOptions, db, e)
	if err != nil {
		return err
	}
	if _, ok := pf.Get(opts.ID); !ok {
		return i18n.NewError("hotspot.cli.unknown_id", "hotspot.cli.unknown_id_hint", map[string]any{"ID": i18n.Escape(opts.ID)}, nil)
	}
	w := e.stdout
	m := hotspot.Meta{Kommune: opts.Kommune, Created: time.Now(), Lang: e.lang}
	if opts.JSON {
		d := hotspot.NewDocument(pf, m)
		for _, h := range d.Hotspots {
			if h.Process.ID == opts.ID {
				return writeJSON(w, h)
			}
		}
	}
	s, err := hotspot.SteckbriefText(&pf, opts.ID, hc, m)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, s)
	return err
}

type hotspotExportOptions struct {
	hotspotScoreOptions
	Format, Out, ID, Kommune, Contact string
	Now                               time.Time
}

func runHotspotExportCmd(ctx context.Context, e *env, args []string) error {
	var opts hotspotExportOptions
	fs := newFlagSet("hotspot export", e.stderr)
	fs.StringVar(&opts.Format, "format", hotspot.FormatJSON, "json, csv, html, pdf or algoritmeregister")
	fs.StringVar(&opts.Out, "out", ".", "folder to write into")
	fs.StringVar(&opts.ID, "id", "", "html, pdf: only the Steckbrief of this process `ID`")
	fs.StringVar(&opts.Kommune, "kommune", "", "name of the municipality (organization; other municipalities see their import as \"Beispiele aus NAME\")")
	fs.StringVar(&opts.Contact, "contact", "", "contact e-mail for the algorithm register")
	fs.BoolVar(&opts.JSON, "json", false, "print the written files as JSON")
	scoreFlags(fs, &opts.hotspotScoreOptions)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noHotspotArgs("export", fs); err != nil {
		return err
	}
	if !contains(hotspot.Formats, opts.Format) {
		return usage("cli.usage.format", map[string]any{"Format": i18n.Escape(opts.Format), "Valid": strings.Join(hotspot.Formats, ", ")})
	}
	return runHotspotExport(ctx, opts, e)
}

// runHotspotExport writes the signed portfolio in opts.Format and prints
// the files written.
func runHotspotExport(ctx context.Context, opts hotspotExportOptions, e *env) error {
	db, err := e.openDB(ctx, hotspot.Schema, hotspot.TrialSchema)
	if err != nil {
		return err
	}
	defer db.Close()
	paths, err := exportHotspots(ctx, opts, db, e)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(e.stdout, map[string][]string{"files": paths})
	}
	for _, p := range paths {
		fmt.Fprintln(e.stdout, p)
	}
	return nil
}

func exportHotspots(ctx context.Context, opts hotspotExportOptions, db *store.DB, e *env) ([]string, error) {
	pf, hc, err := hotspotPortfolio(ctx, opts.hotspotScoreOptions, db, e)
	if err != nil {
		return nil, err
	}
	if len(pf.Hotspots) == 0 {
		return nil, i18n.NewError("cli.hotspot.export_empty", "cli.hotspot.import_first", nil, nil)
	}
	if opts.ID != "" {
		if _, ok := pf.Get(opts.ID); !ok {
			return nil, i18n.NewError("hotspot.cli.unknown_id", "hotspot.cli.unknown_id_hint", map[string]any{"ID": i18n.Escape(opts.ID)}, nil)
		}
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	m := hotspot.Meta{Kommune: opts.Kommune, Contact: opts.Contact, Created: now, Lang: e.lang}
	key, err := signing.Load(e.dataDir)
	if err != nil {
		return nil, err
	}
	paths, err := hotspot.Export(key, opts.Out, &pf, hc, m, opts.Format, opts.ID)
	return paths, writeHotspotError(err)
}

// writeHotspotError says in the user's language that a folder could not
// be written (hotspot.ExportError, whose own text is English); any other
// error is returned as it is.
func writeHotspotError(err error) error {
	var ee *hotspot.ExportError
	if !errors.As(err, &ee) {
		return err
	}
	return i18n.NewError("cli.hotspot.write", "cli.hotspot.write_hint", map[string]any{"Dir": i18n.Escape(ee.Dir), "Detail": errText{ee.Err}}, err)
}
