package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/runtime"
	"github.com/ki-reise/kicheck/internal/store"
)

func init() {
	register(&command{name: "bench", summary: "measure a local AI model with test prompts (speed and answer checks); list and compare runs", run: benchCmd})
}

// benchOptions are the flags of `kicheck bench`.
type benchOptions struct {
	Endpoint    string
	Model       string
	Bundle      string
	Repeat      int
	Warmup      int
	Protocol    string
	SamePrompts bool
	NoLoad      bool
	Timeout     time.Duration
	JSON        bool
	List        bool
	Show        int64
	DataDir     string
	Cloud       benchCloudOptions // cloud endpoint flags (cmd_bench_cloud.go)
}

// benchCmds are the subcommands of kicheck bench; without one, bench
// measures.
var benchCmds = &subcommands{parent: "bench", list: []*command{
	{name: "compare", summary: "compare stored runs side by side (kicheck bench compare ID ID...)", run: benchCompareCmd},
	{name: "bundles", summary: "list the test bundles", run: benchBundlesCmd},
}}

// benchCmd parses the flags of `kicheck bench` (or hands a subcommand its
// arguments) and runs runBench.
func benchCmd(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		if c := benchCmds.find(args[0]); c != nil {
			return c.run(ctx, e, args[1:])
		}
	}
	opts := benchOptions{DataDir: e.dataDir}
	fs := newFlagSet("bench", e.stderr)
	fs.StringVar(&opts.Endpoint, "endpoint", "", "runtime address, e.g. http://127.0.0.1:11434 (default: the first runtime found on this PC)")
	fs.StringVar(&opts.Model, "model", "", "model name as the runtime lists it (kicheck runtimes)")
	fs.StringVar(&opts.Bundle, "bundle", bench.DefaultBundle, "test bundle id (kicheck bench bundles)")
	fs.IntVar(&opts.Repeat, "repeat", 5, "measured repetitions per prompt")
	fs.IntVar(&opts.Warmup, "warmup", 1, "unmeasured warm-up answers per prompt")
	fs.StringVar(&opts.Protocol, "protocol", "auto", "auto, openai (/v1 through go-openai) or ollama (Ollama's /api/chat)")
	fs.BoolVar(&opts.SamePrompts, "same-prompts", false, "send identical prompts each repetition (lets a prompt cache work; default varies them)")
	fs.BoolVar(&opts.NoLoad, "no-load", false, "do not unload and reload the model to time its load (Ollama)")
	fs.DurationVar(&opts.Timeout, "first-token-timeout", 5*time.Minute, "longest wait for the first token of an answer")
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/bench.md)")
	fs.BoolVar(&opts.List, "list", false, "list stored runs instead of measuring")
	fs.Int64Var(&opts.Show, "show", 0, "print stored run `ID` instead of measuring")
	addBenchCloudFlags(fs, &opts.Cloud)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.bench.args", map[string]any{"Arg": i18n.Escape(fs.Arg(0))})
	}
	switch opts.Protocol {
	case "auto", bench.ProtocolOpenAI, bench.ProtocolOllama:
	default:
		return usage("cli.usage.bench.protocol", map[string]any{"Protocol": i18n.Escape(opts.Protocol)})
	}
	if opts.Repeat < 1 || opts.Repeat > 100 {
		return usage("cli.usage.bench.repeat", map[string]any{"N": opts.Repeat})
	}
	if opts.Warmup < 0 || opts.Warmup > 10 {
		return usage("cli.usage.bench.warmup", map[string]any{"N": opts.Warmup})
	}
	return runBench(ctx, opts, e)
}

// runBench does the work of `kicheck bench`: list or show stored runs, or
// measure (locally or, with the cloud flags, at a cloud endpoint).
func runBench(ctx context.Context, opts benchOptions, e *env) error {
	db, err := e.openDB(ctx, bench.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case opts.List:
		return runBenchList(ctx, db, e.lang, opts, e.stdout)
	case opts.Show > 0:
		r, err := bench.Load(ctx, db, opts.Show)
		if err != nil {
			return err
		}
		return printBenchRun(r, e.lang, opts.JSON, e.stdout)
	}
	if opts.Cloud.wanted(opts.Endpoint) {
		return runBenchCloud(ctx, e, opts, e.stdout, e.stderr)
	}
	if opts.Model == "" {
		return usage("cli.usage.bench.model", nil)
	}
	return measureBench(ctx, db, e.lang, opts, e.stdout, e.stderr)
}

// measureBench measures and prints the stored run. A run that ends early is
// printed too (marked incomplete) before its error is returned.
func measureBench(ctx context.Context, db *store.DB, lang string, opts benchOptions, w, progress io.Writer) error {
	cat, err := bench.LoadCatalogue(opts.DataDir)
	if err != nil {
		return err
	}
	for _, p := range cat.Problems {
		warn(progress, lang, p)
	}
	b, err := testBundle(cat, opts.Bundle)
	if err != nil {
		return err
	}
	rt, err := findRuntime(ctx, opts.Endpoint)
	if err != nil {
		return err
	}
	ep, model, err := bench.FromRuntime(rt, opts.Model)
	if err != nil {
		return err
	}
	proto := opts.Protocol
	if proto == "auto" {
		proto = ""
	}
	fmt.Fprintln(progress, i18n.T(lang, "benchcli.start", map[string]any{"Runtime": rt.Name, "Version": rt.Version, "URL": rt.URL,
		"Model": model.Name, "Bundle": b.ID, "BundleVersion": b.Version}))
	res, runErr := bench.Execute(ctx, db, bench.Options{
		Endpoint: ep, Model: model, Bundle: b, Protocol: proto, Repeat: opts.Repeat, Warmup: warmupOpt(opts.Warmup),
		SameEachTime: opts.SamePrompts, MeasureLoad: !opts.NoLoad, FirstTokenTimeout: opts.Timeout,
		OnProgress: func(p bench.Progress) { printBenchProgress(progress, lang, p) },
	})
	if res == nil {
		return runErr
	}
	if err := printBenchRun(res, lang, opts.JSON, w); err != nil {
		return err
	}
	return runErr
}

// printBenchProgress writes one progress line of a bench run in lang.
func printBenchProgress(w io.Writer, lang string, p bench.Progress) {
	data := map[string]any{"N": p.PromptIndex + 1, "Of": p.PromptCount, "Prompt": p.PromptID, "Rep": p.Rep + 1, "Reps": p.Reps}
	switch p.Phase {
	case "load", "calibrate", "warmup", "measure":
		fmt.Fprintln(w, i18n.T(lang, "benchcli.progress."+p.Phase, data))
	}
}

// testBundle is the catalogue's bundle id; one that is not there is an
// error in the user's language naming the bundles there are.
func testBundle(cat *bench.Catalogue, id string) (*bench.Bundle, error) {
	b, err := cat.Get(id)
	if errors.Is(err, bench.ErrBundleNotFound) {
		ids := make([]string, len(cat.Bundles))
		for i, b := range cat.Bundles {
			ids[i] = b.ID
		}
		return nil, i18n.NewError("cli.bench.no_bundle", "cli.bench.no_bundle.hint", map[string]any{"ID": i18n.Escape(id), "Known": strings.Join(ids, ", ")}, err)
	}
	return b, err
}

// warmupOpt maps the flag (0 = none) to bench.Options (0 = default 1).
func warmupOpt(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// findRuntime identifies the runtime at endpoint, or the first one found on
// this PC when endpoint is empty.
func findRuntime(ctx context.Context, endpoint string) (runtime.Runtime, error) {
	o := runtime.Options{Timeout: 2 * time.Second}
	if endpoint != "" {
		u, err := runtime.NormalizeEndpoint(endpoint)
		if err != nil {
			return runtime.Runtime{}, err
		}
		o.Endpoints, o.NoDefaults = []string{u}, true
	}
	res, err := runtime.Discover(ctx, o)
	if err != nil {
		return runtime.Runtime{}, err
	}
	if len(res.Runtimes) == 0 {
		var why, where any = i18n.Msg{ID: "benchcli.nothing_answers"}, i18n.Msg{ID: "benchcli.usual_ports"}
		if len(res.Probes) > 0 && res.Probes[0].Error != "" {
			why = probeFailures(res.Probes[:1]).why()
		}
		if endpoint != "" {
			where = i18n.Escape(endpoint)
		}
		return runtime.Runtime{}, &bench.RunError{Kind: bench.KindUnreachable, Err: i18n.NewError("benchcli.no_runtime", "", map[string]any{"Where": where, "Why": why}, nil)}
	}
	return res.Runtimes[0], nil
}

func printBenchRun(r *bench.Result, lang string, asJSON bool, w io.Writer) error {
	if asJSON {
		return writeJSON(w, bench.NewReport(r))
	}
	return bench.WriteText(w, lang, r)
}

func runBenchList(ctx context.Context, db *store.DB, lang string, opts benchOptions, w io.Writer) error {
	runs, err := bench.ListRuns(ctx, db, opts.Model, 200)
	if err != nil {
		return err
	}
	if opts.JSON {
		if runs == nil {
			runs = []bench.RunListing{}
		}
		return writeJSON(w, struct {
			Runs []bench.RunListing `json:"runs"`
		}{runs})
	}
	if len(runs) == 0 {
		_, err := fmt.Fprintln(w, i18n.T(lang, "benchcli.no_runs"))
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T(lang, "benchcli.list_head"))
	for _, r := range runs {
		score := "–"
		if r.Score != nil {
			score = i18n.Decimal(lang, *r.Score, 1)
		}
		status := r.Status
		if !r.Complete && status == store.StatusDone {
			status = i18n.T(lang, "benchcli.incomplete")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s %s\t%s %s\t%s %s\t%s\n", r.RunID, r.Started.Local().Format("2006-01-02 15:04"),
			status, r.Runtime, r.RuntimeVersion, r.Model, r.Quantization, r.Bundle, r.BundleVersion, score)
	}
	return tw.Flush()
}

type benchCompareOptions struct {
	RunIDs []int64
	JSON   bool
}

// benchCompareCmd parses `kicheck bench compare ID ID... [--json]`.
func benchCompareCmd(ctx context.Context, e *env, args []string) error {
	var opts benchCompareOptions
	fs := newFlagSet("bench compare", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/bench.md)")
	// Flags may come after the ids (kicheck bench compare 3 4 --json).
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ids := fs.Args()
	if len(ids) < 2 {
		return usage("cli.usage.bench.compare_ids", nil)
	}
	for _, s := range ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return usage("cli.usage.bench.run_id", map[string]any{"ID": i18n.Escape(s)})
		}
		opts.RunIDs = append(opts.RunIDs, id)
	}
	return runBenchCompare(ctx, opts, e)
}

// runBenchCompare prints the stored runs side by side.
func runBenchCompare(ctx context.Context, opts benchCompareOptions, e *env) error {
	db, err := e.openDB(ctx, bench.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	var runs []*bench.Result
	for _, id := range opts.RunIDs {
		r, err := bench.Load(ctx, db, id)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	c := bench.Compare(runs...).Localize(e.lang)
	if opts.JSON {
		return writeJSON(e.stdout, c)
	}
	return bench.WriteCompareText(e.stdout, e.lang, c)
}

// benchBundlesOptions are the flags of `kicheck bench bundles`.
type benchBundlesOptions struct{ JSON bool }

// benchBundlesCmd parses `kicheck bench bundles [--json]`.
func benchBundlesCmd(ctx context.Context, e *env, args []string) error {
	var opts benchBundlesOptions
	fs := newFlagSet("bench bundles", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "bench bundles", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runBenchBundles(ctx, opts, e)
}

// runBenchBundles lists the test bundles and the problems of the ones
// that could not be read.
func runBenchBundles(_ context.Context, opts benchBundlesOptions, e *env) error {
	cat, err := bench.LoadCatalogue(e.dataDir)
	if err != nil {
		return err
	}
	type bundleJSON struct {
		ID           string   `json:"id"`
		Version      string   `json:"version"`
		Title        string   `json:"title"`
		CloudAllowed bool     `json:"cloud_allowed"`
		SHA256       string   `json:"sha256"`
		Source       string   `json:"source"`
		Prompts      []string `json:"prompts"`
	}
	out := struct {
		Bundles  []bundleJSON `json:"bundles"`
		Problems []string     `json:"problems"`
	}{Bundles: []bundleJSON{}, Problems: []string{}}
	for _, b := range cat.Bundles {
		bj := bundleJSON{ID: b.ID, Version: b.Version, Title: b.Title, CloudAllowed: b.AllowsCloud(), SHA256: b.SHA256, Source: b.Source}
		for _, p := range b.Prompts {
			bj.Prompts = append(bj.Prompts, p.ID)
		}
		out.Bundles = append(out.Bundles, bj)
	}
	for _, p := range cat.Problems {
		out.Problems = append(out.Problems, p.Error())
	}
	if opts.JSON {
		return writeJSON(e.stdout, out)
	}
	for _, b := range out.Bundles {
		fmt.Fprintf(e.stdout, "%s %s  %s\n  %s\n", b.ID, b.Version, b.Title, strings.Join(b.Prompts, ", "))
	}
	for _, p := range cat.Problems {
		warn(e.stderr, e.lang, p)
	}
	return nil
}
