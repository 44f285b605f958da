package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/loadprofile"
)

func init() {
	register(&command{name: "loadprofile", summary: "Lastprofil-Test: real decode speed of a model's size in the local Ollama, without downloading it", run: loadprofileCmd})
}

// loadprofileOptions are the flags of `kicheck loadprofile`.
type loadprofileOptions struct {
	Endpoint string
	Model    string
	Quant    string
	Shape    gguf.Shape
	Tokens   int
	Runs     int
	Dir      string
	Seed     uint64
	JSON     bool
	Lang     string
	DataDir  string    // the municipality's own model catalogue entries
	Progress io.Writer // human progress lines; nil for none
}

// loadprofileCmd parses the flags of `kicheck loadprofile` and runs
// runLoadprofile.
func loadprofileCmd(ctx context.Context, e *env, args []string) error {
	opts := loadprofileOptions{Lang: e.lang, DataDir: e.dataDir, Progress: e.stderr}
	fs := newFlagSet("loadprofile", e.stderr)
	fs.StringVar(&opts.Endpoint, "endpoint", "http://127.0.0.1:11434", "Ollama address")
	fs.StringVar(&opts.Model, "model", "", "catalogue model id (e.g. llama3.1-8b); or give the shape with the flags below")
	fs.StringVar(&opts.Quant, "quant", "Q4_K_M", "quantization: F32, F16, Q8_0, Q4_0, Q4_K_M, Q5_K_M")
	fs.IntVar(&opts.Shape.Layers, "layers", 0, "shape: transformer layers")
	fs.IntVar(&opts.Shape.Hidden, "hidden", 0, "shape: hidden (embedding) size")
	fs.IntVar(&opts.Shape.Heads, "heads", 0, "shape: attention heads")
	fs.IntVar(&opts.Shape.KVHeads, "kv-heads", 0, "shape: key/value heads (default: heads)")
	fs.IntVar(&opts.Shape.HeadDim, "head-dim", 0, "shape: size of one head (default hidden/heads)")
	fs.IntVar(&opts.Shape.FFN, "ffn", 0, "shape: feed-forward size")
	fs.IntVar(&opts.Shape.Vocab, "vocab", 32000, "shape: vocabulary size")
	fs.IntVar(&opts.Shape.Context, "context", 4096, "shape: trained context length (metadata only)")
	fs.BoolVar(&opts.Shape.TiedEmbeddings, "tied", false, "shape: output head shares the token embedding")
	fs.IntVar(&opts.Tokens, "tokens", 64, "tokens generated per measured answer")
	fs.IntVar(&opts.Runs, "runs", 3, "measured answers after one warm-up")
	fs.StringVar(&opts.Dir, "dir", "", "folder for the temporary model file (default: system temp folder)")
	fs.Uint64Var(&opts.Seed, "seed", 1, "seed of the random weights")
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/loadprofile.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "loadprofile", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runLoadprofile(ctx, opts, e)
}

// loadprofileTarget turns the flags into what to imitate.
func loadprofileTarget(opts loadprofileOptions) (gguf.Target, error) {
	q, err := gguf.ParseQuant(opts.Quant)
	if err != nil {
		return gguf.Target{}, usage("cli.usage.loadprofile.quant", map[string]any{"Quant": i18n.Escape(opts.Quant), "Detail": errText{err}})
	}
	shapeGiven := opts.Shape.Layers != 0 || opts.Shape.Hidden != 0 || opts.Shape.Heads != 0 || opts.Shape.FFN != 0
	switch {
	case opts.Model != "" && shapeGiven:
		return gguf.Target{}, usage("cli.usage.loadprofile.model_and_shape", nil)
	case opts.Model != "":
		cat, err := fit.LoadCatalogue(opts.DataDir)
		if err != nil {
			return gguf.Target{}, err
		}
		t, err := loadprofile.TargetFor(cat.LoadProfileModels(), opts.Model, q)
		var ue *loadprofile.UnknownModelError
		if errors.As(err, &ue) {
			known := slices.Sorted(slices.Values(ue.Known))
			return t, i18n.NewError("cli.loadprofile.unknown_model", "cli.loadprofile.unknown_model.hint",
				map[string]any{"Model": i18n.Escape(ue.ID), "Known": strings.Join(known, ", ")}, err)
		}
		return t, err
	case !shapeGiven:
		return gguf.Target{}, usage("cli.usage.loadprofile.model_or_shape", nil)
	}
	s := opts.Shape
	if s.KVHeads == 0 {
		s.KVHeads = s.Heads
	}
	if err := s.Validate(); err != nil {
		return gguf.Target{}, usage("cli.usage.loadprofile.shape", map[string]any{"Detail": errText{err}})
	}
	return gguf.Target{Name: "custom", Shape: s, Quant: q}, nil
}

// loadprofileJSON is the stable output of `kicheck loadprofile --json`.
type loadprofileJSON = loadprofile.Record

// runLoadprofile imitates the model's size in Ollama, measures it and
// prints the result; the run is recorded even when it fails.
func runLoadprofile(ctx context.Context, opts loadprofileOptions, e *env) error {
	w := e.stdout
	target, err := loadprofileTarget(opts)
	if err != nil {
		return err
	}
	db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	lastStage, lastPct := "", -1
	out, runErr := loadprofile.RunRecorded(ctx, db, loadprofile.Options{
		Endpoint: opts.Endpoint, Target: target, Dir: opts.Dir, Tokens: opts.Tokens, Runs: opts.Runs, Seed: opts.Seed,
		Progress: func(p loadprofile.Progress) {
			if opts.Progress == nil {
				return
			}
			pct := -1
			if p.Total > 0 && (p.Stage == loadprofile.StageWrite || p.Stage == loadprofile.StageUpload) {
				pct = int(100 * p.Done / p.Total)
				if pct/10 == lastPct/10 && p.Stage == lastStage {
					return // one line per 10 %
				}
			} else if p.Stage == lastStage {
				return
			}
			lastStage, lastPct = p.Stage, pct
			line := i18n.T(opts.Lang, "loadprofile.stage."+p.Stage)
			if pct >= 0 {
				line = fmt.Sprintf("%s %d %%", line, pct)
			}
			fmt.Fprintln(opts.Progress, line)
		},
	})
	if out.RunID == 0 {
		return runErr // not even recorded (the database refused)
	}
	if opts.JSON {
		if err := writeJSON(w, out); err != nil {
			return err
		}
	} else if out.FileBytes > 0 {
		printLoadprofile(w, opts.Lang, out)
	}
	return runErr
}

func printLoadprofile(w io.Writer, lang string, r loadprofileJSON) {
	fmt.Fprintln(w, i18n.T(lang, "loadprofile.model", map[string]any{
		"Model": i18n.Escape(r.Model), "Quant": r.Quant, "GB": i18n.Decimal(lang, float64(r.FileBytes)/1e9, 2),
		"Layers": r.Shape.Layers, "Hidden": r.Shape.Hidden}))
	if len(r.Samples) > 0 {
		fmt.Fprintln(w, i18n.T(lang, "loadprofile.speed", map[string]any{
			"Decode": i18n.Decimal(lang, r.DecodeTPS, 1), "Prompt": i18n.Decimal(lang, r.PromptTPS, 1),
			"Load": i18n.Decimal(lang, r.LoadMS/1000, 1), "N": len(r.Samples), "Runtime": "Ollama " + r.RuntimeVersion}))
	}
	if !r.Complete {
		fmt.Fprintln(w, i18n.T(lang, "loadprofile.incomplete"))
	}
	if r.CleanupError != "" {
		fmt.Fprintln(w, i18n.T(lang, "loadprofile.cleanup_failed", map[string]any{"Detail": i18n.Escape(r.CleanupError)}))
	}
}
