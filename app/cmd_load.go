package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/runtime"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

func init() {
	register(&command{name: "load", summary: "load test of a central AI server: concurrency sweep, Poisson rate or a clerks' working day", run: loadCmd})
}

// loadOptions are the flags of `kicheck load`.
type loadOptions struct {
	URL, Protocol, Model, APIKeyEnv string
	Shape                           string
	MaxConc, PerLevel               int
	Full                            bool
	Rate                            float64
	Clerks                          int
	Think                           time.Duration
	MaxDuration, RequestTimeout     time.Duration
	MaxRequests, MaxTokens          int
	NumThread                       int
	Size                            bool
	Cand                            load.Candidate
	CatModel, Quant, UseCase        string
	Bundle, Mix                     string
	AllowCloud                      bool
	JSON                            bool
	HTML, PDF, Export               string
	Label                           string
	DataDir, Lang                   string
	Progress                        io.Writer
	// Compare runs the same load against each runtime found (Endpoints
	// given: only those, each URL[=LABEL]); CompareRuns puts stored runs
	// side by side.
	Compare     bool
	Endpoints   []string
	CompareRuns string
}

// loadCmd parses the flags of `kicheck load` and runs runLoad.
func loadCmd(ctx context.Context, e *env, args []string) error {
	o := loadOptions{Lang: e.lang, DataDir: e.dataDir, Progress: e.stderr}
	fs := newFlagSet("load", e.stderr)
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:11434", "server address (Ollama, or an OpenAI-compatible server)")
	fs.StringVar(&o.Protocol, "protocol", load.ProtocolOllama, "ollama (/api/chat) or openai (/v1/chat/completions)")
	fs.StringVar(&o.Model, "model", "", "model name on the server")
	fs.StringVar(&o.APIKeyEnv, "api-key-env", "", "environment variable holding a bearer token, if the server needs one")
	fs.StringVar(&o.Shape, "shape", load.ShapeSweep, "sweep, poisson or day")
	fs.IntVar(&o.MaxConc, "max-concurrency", 64, "sweep: highest concurrency (1…1024); poisson: most requests in flight")
	fs.IntVar(&o.PerLevel, "requests-per-level", 0, "sweep: requests per level (default 2×level, at least 8)")
	fs.BoolVar(&o.Full, "full", false, "sweep: go on past saturation up to --max-concurrency")
	fs.Float64Var(&o.Rate, "rate", 1, "poisson: requests per second")
	fs.IntVar(&o.Clerks, "clerks", 10, "day: clerks working at the same time (1…1024)")
	fs.DurationVar(&o.Think, "think", 30*time.Second, "day: mean think time between an answer and the next request")
	fs.DurationVar(&o.MaxDuration, "max-duration", 10*time.Minute, "the whole run at most (a day or poisson run ends here)")
	fs.DurationVar(&o.RequestTimeout, "request-timeout", 5*time.Minute, "one request at most")
	fs.IntVar(&o.MaxRequests, "max-requests", 10000, "requests in the whole run at most")
	fs.IntVar(&o.MaxTokens, "max-tokens", 0, "cap every answer at this many tokens (default: the prompt bundle's)")
	fs.IntVar(&o.NumThread, "num-thread", 0, "Ollama: CPU threads per request (num_thread); default: the server's choice")
	fs.StringVar(&o.Label, "label", "", "name of the runtime or setting measured (shown in comparisons)")
	fs.StringVar(&o.Bundle, "bundle", "kommune-basis", "prompt bundle of the use-case mix")
	fs.StringVar(&o.Mix, "mix", "", "weights of the bundle's prompts, e.g. antwort-entwerfen=3,email-zuordnen=1 (default: equal)")
	fs.BoolVar(&o.AllowCloud, "allow-cloud", false, "consent, for this run, to send the bundle's test prompts to a server that is not on this PC")
	fs.BoolVar(&o.JSON, "json", false, "print the result as JSON (docs/schema/load-export.schema.json)")
	fs.StringVar(&o.HTML, "html", "", "also write the result as an HTML page with charts to this file")
	fs.StringVar(&o.PDF, "pdf", "", "also write the result as a PDF with charts to this file (the HTML page is the accessible version)")
	fs.StringVar(&o.Export, "export", "", "also write the signed JSON export (for the Sammelstelle) to this file, with FILE.sig")
	fs.BoolVar(&o.Compare, "compare", false, "framework comparison: the same load against each AI runtime found on this PC (Ollama, llama.cpp server, vLLM, …) that has --model; with --endpoint only those")
	fs.Func("endpoint", "--compare: a server `URL[=LABEL]` to compare (repeatable; e.g. two Ollama with different settings)", func(v string) error {
		o.Endpoints = append(o.Endpoints, v)
		return nil
	})
	fs.StringVar(&o.CompareRuns, "compare-runs", "", "put stored load runs side by side, e.g. 3,5 (no new measurement)")
	fs.BoolVar(&o.Size, "size", false, "no server to measure: predict one clerk's speed on a planned server from typed-in figures")
	fs.Float64Var(&o.Cand.RAMGB, "ram-gb", 0, "--size: the planned server's memory in GB")
	fs.Float64Var(&o.Cand.BandwidthGBps, "bandwidth-gbps", 0, "--size: its memory read bandwidth in GB/s")
	fs.Float64Var(&o.Cand.GPUMemoryGB, "gpu-gb", 0, "--size: its graphics card memory in GB (0 = none)")
	fs.Float64Var(&o.Cand.GPUBandwidthGBps, "gpu-bandwidth-gbps", 0, "--size: the card's memory bandwidth in GB/s")
	fs.Float64Var(&o.Cand.GOPS, "gops", 0, "--size: compute estimate in GOPS (0 = not known)")
	fs.StringVar(&o.CatModel, "catalogue-model", "llama3.1-8b", "--size: model id of the catalogue")
	fs.StringVar(&o.Quant, "quant", "Q4_K_M", "--size: quantization")
	fs.StringVar(&o.UseCase, "use-case", "antwort-entwurf", "--size: use case")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "load", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runLoad(ctx, o, e)
}

// runLoad does the work of `kicheck load`: a sizing without a server, a
// comparison of stored runs or of the runtimes found, or one load test.
func runLoad(ctx context.Context, o loadOptions, e *env) error {
	if o.Size {
		return runLoadSize(o, e.stdout)
	}
	db, err := e.openDB(ctx, load.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case o.CompareRuns != "":
		return runLoadCompareRuns(ctx, db, o, e.stdout)
	case o.Compare:
		return runLoadCompare(ctx, db, o, e.stdout)
	}
	_, err = measureLoad(ctx, db, o, e.stdout)
	return err
}

// runLoadCompare is `kicheck load --compare`: find the runtimes, run the
// same load against each that has the model, store every run, print them
// side by side. Only loopback servers are compared unless --allow-cloud.
func runLoadCompare(ctx context.Context, db *store.DB, o loadOptions, w io.Writer) error {
	T := func(id string, data ...any) string { return i18n.T(o.Lang, id, data...) }
	// With --json, stdout carries only the JSON; the steps go to stderr.
	steps := w
	if o.JSON {
		steps = io.Discard
		if o.Progress != nil {
			steps = o.Progress
		}
	}
	labels := map[string]string{}
	var eps []string
	for _, e := range o.Endpoints {
		u, label, _ := strings.Cut(e, "=")
		norm, err := runtime.NormalizeEndpoint(u)
		if err != nil {
			return usage("cli.usage.load.endpoint", map[string]any{"Endpoint": i18n.Escape(e), "Detail": errText{err}})
		}
		eps = append(eps, norm)
		if label != "" {
			labels[norm] = label
		}
	}
	found, err := runtime.Discover(ctx, runtime.Options{Endpoints: eps, NoDefaults: len(eps) > 0})
	if err != nil {
		return err
	}
	ts, skipped := load.RuntimeTargets(found.Runtimes, o.Model)
	for i := range ts {
		if l, ok := labels[strings.TrimRight(ts[i].URL, "/")]; ok {
			ts[i].Label = l + " (" + ts[i].Label + ")"
		}
	}
	for _, s := range skipped {
		fmt.Fprintln(steps, T("load.cmp.skipped", map[string]any{"Runtime": i18n.Escape(s), "Model": i18n.Escape(o.Model)}))
	}
	if len(ts) == 0 {
		return usage("load.cmp.none", map[string]any{"Model": i18n.Escape(o.Model)})
	}
	var rs []*load.Result
	for _, t := range ts {
		q := o
		q.URL, q.Protocol, q.JSON, q.HTML, q.PDF, q.Export = t.URL, t.Protocol, false, "", "", ""
		q.Label = t.Label
		fmt.Fprintln(steps, T("load.cmp.running", map[string]any{"Label": i18n.Escape(t.Label)}))
		id, err := measureLoad(ctx, db, q, io.Discard)
		if err != nil {
			fmt.Fprintln(steps, "  "+localized(err, o.Lang))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		r, err := load.LoadResult(context.WithoutCancel(ctx), db, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(steps, "  "+T("load.cmp.stored", map[string]any{"ID": id}))
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return usage("load.cmp.none", map[string]any{"Model": i18n.Escape(o.Model)})
	}
	if o.JSON {
		return writeCompareJSON(w, o, rs)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, T("load.cmp.heading"))
	if load.OnlyOllama(ts) {
		fmt.Fprintln(w, T("load.cmp.only_ollama"))
	}
	fmt.Fprintln(w, load.CompareTable(rs, o.Lang))
	return writeCompareHTML(o, rs)
}

// writeCompareHTML writes the comparison page when --html was given.
func writeCompareHTML(o loadOptions, rs []*load.Result) error {
	if o.HTML == "" {
		return nil
	}
	page, err := load.CompareHTML(rs, o.Lang)
	if err != nil {
		return err
	}
	_, err = document.Export(o.HTML, page, nil)
	return err
}

// writeCompareJSON prints the compared runs as export documents
// (docs/schema/load-export.schema.json), one array.
func writeCompareJSON(w io.Writer, o loadOptions, rs []*load.Result) error {
	docs := make([]load.Document, len(rs))
	for i, r := range rs {
		docs[i] = load.NewDocument(r, time.Now())
	}
	if err := writeJSON(w, docs); err != nil {
		return err
	}
	return writeCompareHTML(o, rs)
}

// runLoadCompareRuns prints stored runs side by side.
func runLoadCompareRuns(ctx context.Context, db *store.DB, o loadOptions, w io.Writer) error {
	var ids []int64
	for _, f := range strings.Split(o.CompareRuns, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || id <= 0 {
			return usage("cli.usage.load.compare_runs_id", map[string]any{"ID": i18n.Escape(f)})
		}
		ids = append(ids, id)
	}
	if len(ids) < 2 {
		return usage("cli.usage.load.compare_runs", nil)
	}
	var rs []*load.Result
	for _, id := range ids {
		r, err := load.LoadResult(ctx, db, id)
		if err != nil {
			return loadRunError(id, err)
		}
		if r.Label == "" {
			r.Label = "#" + strconv.FormatInt(id, 10)
		}
		rs = append(rs, r)
	}
	if o.JSON {
		return writeCompareJSON(w, o, rs)
	}
	fmt.Fprintln(w, load.CompareTable(rs, o.Lang))
	return writeCompareHTML(o, rs)
}

// loadRunError says what is wrong with stored load run id: there is none,
// it is not a load run, or it cannot be read.
func loadRunError(id int64, err error) error {
	data := map[string]any{"ID": id, "Detail": errText{err}}
	switch {
	case errors.Is(err, store.ErrRunNotFound):
		return i18n.NewError("cli.load.no_run", "cli.load.no_run.hint", data, err)
	case errors.Is(err, load.ErrNotLoadRun):
		return i18n.NewError("cli.load.not_load_run", "cli.load.no_run.hint", data, err)
	}
	return i18n.NewError("cli.load.run", "", data, err)
}

// loadRunOptions turns the flags into the package's options.
func loadRunOptions(o loadOptions) (load.Options, error) {
	cat, err := bench.LoadCatalogue(o.DataDir)
	if err != nil {
		return load.Options{}, err
	}
	b, err := testBundle(cat, o.Bundle)
	if err != nil {
		return load.Options{}, err
	}
	uc, err := fit.LoadCatalogue(o.DataDir)
	if err != nil {
		return load.Options{}, err
	}
	weights, err := load.ParseWeights(o.Mix)
	if err != nil {
		return load.Options{}, usage("cli.usage.load.mix", map[string]any{"Detail": errText{err}})
	}
	mix, err := load.MixFrom(b, uc, weights, o.MaxTokens)
	if err != nil {
		return load.Options{}, usage("cli.usage.load.bundle_mix", map[string]any{"Detail": errText{err}})
	}
	lo := load.Options{Label: o.Label, URL: o.URL, Protocol: o.Protocol, Model: o.Model, Shape: o.Shape, Mix: mix, Bundle: b.ID, CloudAllowed: b.AllowsCloud(),
		MaxConc: o.MaxConc, RequestsPerLevel: o.PerLevel, FullSweep: o.Full, Rate: o.Rate, Clerks: o.Clerks, ThinkTime: o.Think,
		MaxDuration: o.MaxDuration, MaxRequests: o.MaxRequests, RequestTimeout: o.RequestTimeout}
	if o.Shape != load.ShapeSweep {
		lo.MaxConc = 0
		if o.Shape == load.ShapePoisson {
			lo.MaxConc = o.MaxConc
		}
	}
	if o.NumThread > 0 {
		lo.OllamaOptions = map[string]any{"num_thread": o.NumThread}
	}
	if o.APIKeyEnv != "" {
		lo.APIKey = os.Getenv(o.APIKeyEnv)
	}
	return lo, nil
}

// measureLoad runs the load test, stores it, prints it and writes the
// files asked for; it returns the stored run's id.
func measureLoad(ctx context.Context, db *store.DB, o loadOptions, w io.Writer) (int64, error) {
	lo, err := loadRunOptions(o)
	if err != nil {
		return 0, err
	}
	if err := lo.Validate(); err != nil {
		return 0, err
	}
	if lo.IsRemote() {
		plan := lo.Plan()
		if err := cloud.Authorize(plan, plan.Grant("check")); err != nil {
			return 0, cloud.Localized(err, o.Lang)
		}
		if o.Progress != nil {
			fmt.Fprintln(o.Progress, plan.ConsentTextIn(o.Lang))
		}
		if !o.AllowCloud {
			return 0, cloud.Localized(cloud.ErrCLIConsentMissing(plan.Endpoint.Host()), o.Lang)
		}
		lo.Consent = plan.Grant("cli")
		client, err := cloud.HTTPClient(cloud.Endpoint{BaseURL: o.URL}, cloud.ClientOptions{Lang: o.Lang, Timeout: o.RequestTimeout})
		if err != nil {
			return 0, err
		}
		lo.HTTPClient = client
	}
	if o.Progress != nil {
		last := time.Time{}
		lo.Progress = func(p load.Progress) {
			if !p.LevelEnd && time.Since(last) < 500*time.Millisecond {
				return
			}
			last = time.Now()
			fmt.Fprintf(o.Progress, "\r%s", i18n.T(o.Lang, "load.progress", map[string]any{
				"Shape": i18n.T(o.Lang, "load.shape."+p.Shape), "Level": p.Level, "Done": p.Done, "Errors": p.Errors,
				"TokS": i18n.Decimal(o.Lang, p.TokPerS, 0), "S": i18n.Decimal(o.Lang, p.Elapsed, 0)}))
			if p.LevelEnd {
				fmt.Fprintln(o.Progress)
			}
		}
	}
	res, err := load.Run(ctx, lo)
	if o.Progress != nil {
		fmt.Fprintln(o.Progress)
	}
	if err != nil {
		return 0, err
	}
	// What was measured is kept even when the user cancelled.
	id, err := load.Save(context.WithoutCancel(ctx), db, res)
	if err != nil {
		return id, err
	}
	if o.Export != "" {
		if err := writeLoadExport(o, res); err != nil {
			return id, err
		}
	}
	if o.HTML != "" {
		page, err := load.HTML(res, o.Lang)
		if err != nil {
			return id, err
		}
		if _, err := document.Export(o.HTML, page, nil); err != nil {
			return id, err
		}
	}
	if o.PDF != "" {
		b, err := load.PDF(res, o.Lang, time.Now())
		if err != nil {
			return id, err
		}
		if _, err := document.Export(o.PDF, b, nil); err != nil {
			return id, err
		}
	}
	if o.JSON {
		b, err := load.NewDocument(res, time.Now()).JSON()
		if err != nil {
			return id, err
		}
		_, err = w.Write(b)
		return id, err
	}
	return id, printLoad(w, o.Lang, res)
}

func writeLoadExport(o loadOptions, res *load.Result) error {
	key, err := signing.Load(o.DataDir)
	if err != nil {
		return err
	}
	b, err := load.NewDocument(res, time.Now()).JSON()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(o.Export)
	if err != nil {
		return err
	}
	_, err = document.Export(abs, b, key)
	return err
}

func printLoad(w io.Writer, lang string, r *load.Result) error {
	T := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	fmt.Fprintln(w, T("load.head", map[string]any{"Model": i18n.Escape(r.Model), "URL": i18n.Escape(r.URL), "Shape": T("load.shape." + r.Shape)}))
	if !r.Complete {
		fmt.Fprintln(w, T("load.incomplete."+r.Incomplete))
	}
	fmt.Fprintln(w, load.Table(r, lang))
	if r.Saturation > 0 {
		fmt.Fprintln(w, T("load.saturation", map[string]any{"N": r.Saturation}))
	}
	if r.Slots != nil && r.Shape == load.ShapeSweep {
		fmt.Fprintln(w, r.Slots.Msg().Text(lang))
	}
	for _, l := range r.Levels {
		if l.Reloads > 0 {
			fmt.Fprintln(w, T("load.reloads", map[string]any{"Level": l.Level, "N": l.Reloads}))
		}
	}
	if r.Answer != nil {
		fmt.Fprintln(w, r.Answer.Msg.Text(lang))
		fmt.Fprintln(w, r.Answer.Note.Text(lang))
	}
	return nil
}

// runLoadSize is `kicheck load --size`: the single-stream prediction for a
// server that cannot be measured yet.
func runLoadSize(o loadOptions, w io.Writer) error {
	cat, err := fit.LoadCatalogue(o.DataDir)
	if err != nil {
		return err
	}
	s, err := load.SizeWithoutServer(cat, o.Cand, o.CatModel, o.Quant, o.UseCase)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(w, s)
	}
	_, err = fmt.Fprintln(w, s.Text(o.Lang))
	return err
}
