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
	register(&command{name: "bench", summary: "measure a local AI model with test prompts (speed and answer checks); list and compare runs", run: runBenchCmd})
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
	{name: "compare", summary: "compare stored runs side by side (kicheck bench compare ID ID...)", run: runBenchCompareCmd},
	{name: "bundles", summary: "list the test bundles", run: func(_ context.Context, e *env, args []string) error { return runBenchBundlesCmd(e, args) }},
}}

func runBenchCmd(ctx context.Context, e *env, args []string) error {
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
		return usageError("unexpected argument %q (subcommands: compare, bundles)", fs.Arg(0))
	}
	switch opts.Protocol {
	case "auto", bench.ProtocolOpenAI, bench.ProtocolOllama:
	default:
		return usageError("--protocol %q: use auto, openai or ollama", opts.Protocol)
	}
	if opts.Repeat < 1 || opts.Repeat > 100 {
		return usageError("--repeat %d: use 1 to 100", opts.Repeat)
	}
	if opts.Warmup < 0 || opts.Warmup > 10 {
		return usageError("--warmup %d: use 0 to 10", opts.Warmup)
	}
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
		return usageError("--model is required (kicheck runtimes lists the models)")
	}
	return runBench(ctx, db, e.lang, opts, e.stdout, e.stderr)
}

// runBench measures and prints the stored run. A run that ends early is
// printed too (marked incomplete) before its error is returned.
func runBench(ctx context.Context, db *store.DB, lang string, opts benchOptions, w, progress io.Writer) error {
	cat, err := bench.LoadCatalogue(opts.DataDir)
	if err != nil {
		return err
	}
	for _, p := range cat.Problems {
		fmt.Fprintf(progress, "warning: %v\n", p)
	}
	b, err := cat.Get(opts.Bundle)
	if err != nil {
		return err
	}
	rt, err := findRuntime(ctx, lang, opts.Endpoint)
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

// warmupOpt maps the flag (0 = none) to bench.Options (0 = default 1).
func warmupOpt(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// findRuntime identifies the runtime at endpoint, or the first one found on
// this PC when endpoint is empty.
func findRuntime(ctx context.Context, lang, endpoint string) (runtime.Runtime, error) {
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
		why := i18n.T(lang, "benchcli.nothing_answers")
		if len(res.Probes) > 0 && res.Probes[0].Error != "" {
			why = res.Probes[0].Error
		}
		where := endpoint
		if where == "" {
			where = i18n.T(lang, "benchcli.usual_ports")
		}
		return runtime.Runtime{}, &bench.RunError{Kind: bench.KindUnreachable, Err: errors.New(i18n.T(lang, "benchcli.no_runtime", map[string]any{"Where": where, "Why": why}))}
	}
	return res.Runtimes[0], nil
}

func printBenchRun(r *bench.Result, lang string, asJSON bool, w io.Writer) error {
	if asJSON {
		return writeJSON(w, bench.NewReport(r))
	}
	return bench.WriteText(w, lang, r)
}

// benchRunError gives a run that ended early its hint in lang; other
// errors are returned as they are.
func benchRunError(lang string, err error) error {
	var re *bench.RunError
	if errors.As(err, &re) && re.Hint() != "" {
		return &hintError{err: err, hint: i18n.T(lang, "benchcli.hint."+re.Kind)}
	}
	return err
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

func runBenchCompareCmd(ctx context.Context, e *env, args []string) error {
	var opts benchCompareOptions
	fs := newFlagSet("bench compare", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/bench.md)")
	// Flags may come after the ids (kicheck bench compare 3 4 --json).
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ids := fs.Args()
	if len(ids) < 2 {
		return usageError("compare needs at least two run ids (kicheck bench --list shows them)")
	}
	for _, s := range ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return usageError("run id %q is not a positive number", s)
		}
		opts.RunIDs = append(opts.RunIDs, id)
	}
	db, err := e.openDB(ctx, bench.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	return runBenchCompare(ctx, db, e.lang, opts, e.stdout)
}

func runBenchCompare(ctx context.Context, db *store.DB, lang string, opts benchCompareOptions, w io.Writer) error {
	var runs []*bench.Result
	for _, id := range opts.RunIDs {
		r, err := bench.Load(ctx, db, id)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	c := bench.Compare(runs...).Localize(lang)
	if opts.JSON {
		return writeJSON(w, c)
	}
	return bench.WriteCompareText(w, lang, c)
}

func runBenchBundlesCmd(e *env, args []string) error {
	var asJSON bool
	fs := newFlagSet("bench bundles", e.stderr)
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
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
	if asJSON {
		return writeJSON(e.stdout, out)
	}
	for _, b := range out.Bundles {
		fmt.Fprintf(e.stdout, "%s %s  %s\n  %s\n", b.ID, b.Version, b.Title, strings.Join(b.Prompts, ", "))
	}
	for _, p := range out.Problems {
		fmt.Fprintf(e.stderr, "warning: %s\n", p)
	}
	return nil
}
