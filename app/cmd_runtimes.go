package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/runtime"
)

func init() {
	register(&command{name: "runtimes", summary: "find local AI runtimes (Ollama, llama.cpp, LM Studio, …) and their models", run: runtimesCmd})
}

// runtimesOptions are the flags of `kicheck runtimes`.
type runtimesOptions struct {
	Endpoints  []string
	NoDefaults bool
	Timeout    time.Duration
	JSON       bool
	Lang       string
}

// runtimesCmd parses the flags of `kicheck runtimes` and runs runRuntimes.
func runtimesCmd(ctx context.Context, e *env, args []string) error {
	opts := runtimesOptions{Lang: e.lang}
	fs := newFlagSet("runtimes", e.stderr)
	var eps stringList
	fs.Var(&eps, "endpoint", "also try this address (http://host:port); repeatable. Only addresses you enter leave this PC")
	fs.BoolVar(&opts.NoDefaults, "only-endpoint", false, "try only the --endpoint addresses, not the default local ports")
	fs.DurationVar(&opts.Timeout, "timeout", 400*time.Millisecond, "time limit per request")
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/runtimes.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.runtimes.args", map[string]any{"Arg": i18n.Escape(fs.Arg(0))})
	}
	opts.Endpoints = eps
	if opts.NoDefaults && len(opts.Endpoints) == 0 {
		return usage("cli.usage.runtimes.only_endpoint", nil)
	}
	return runRuntimes(ctx, opts, e)
}

// runtimesJSON is the stable output of `kicheck runtimes --json`.
type runtimesJSON struct {
	Runtimes   []runtime.Runtime `json:"runtimes"`
	Probes     []runtime.Probe   `json:"probes"`
	DurationMS int64             `json:"duration_ms"`
}

// runRuntimes finds the runtimes and prints them; an address the user
// entered without a runtime is an error.
func runRuntimes(ctx context.Context, opts runtimesOptions, e *env) error {
	w := e.stdout
	res, err := runtime.Discover(ctx, runtime.Options{Endpoints: opts.Endpoints, NoDefaults: opts.NoDefaults, Timeout: opts.Timeout})
	if err != nil {
		return err
	}
	if opts.JSON {
		if res.Runtimes == nil {
			res.Runtimes = []runtime.Runtime{}
		}
		if err := writeJSON(w, runtimesJSON{Runtimes: res.Runtimes, Probes: res.Probes, DurationMS: res.Duration.Milliseconds()}); err != nil {
			return err
		}
	} else if err := printRuntimes(w, opts.Lang, res); err != nil {
		return err
	}
	// An address the user typed that has no runtime is an error they can fix.
	var missing probeFailures
	for _, p := range res.Probes {
		if p.UserEntered && p.Found == "" {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return i18n.NewError("cli.runtimes.not_found", "cli.runtimes.not_found.hint", map[string]any{"Where": missing}, nil)
	}
	return nil
}

// probeFailures are the addresses where no runtime answered, each with
// why, rendered in the reader's language (an i18n.Texter).
type probeFailures []runtime.Probe

func (f probeFailures) Text(lang string) string {
	parts := make([]string, len(f))
	for i, p := range f {
		parts[i] = i18n.Escape(p.URL) + ": " + p.ErrorText(lang)
	}
	return strings.Join(parts, "; ")
}

func printRuntimes(w io.Writer, lang string, res runtime.Result) error {
	if len(res.Runtimes) == 0 {
		_, err := fmt.Fprintln(w, i18n.T(lang, "runtimes.none"))
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for i, rt := range res.Runtimes {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		version := rt.Version
		if version == "" {
			version = "?"
		}
		fmt.Fprintf(tw, "%s %s  %s\n", rt.Name, version, rt.URL)
		if rt.IdentifiedBy == "port" {
			fmt.Fprintf(tw, "  %s\n", i18n.T(lang, "runtimes.by_port"))
		}
		if len(rt.Models) == 0 {
			fmt.Fprintf(tw, "  %s\n", i18n.T(lang, "runtimes.no_models"))
			continue
		}
		for _, m := range rt.Models {
			var parts []string
			for _, p := range []string{m.ParameterSize, m.Quantization, m.Family} {
				if p != "" {
					parts = append(parts, p)
				}
			}
			if m.SizeBytes > 0 {
				parts = append(parts, fmt.Sprintf("%.1f GB", float64(m.SizeBytes)/1e9))
			}
			state := ""
			if m.Loaded != nil && *m.Loaded {
				state = i18n.T(lang, "runtimes.loaded")
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", m.ID, strings.Join(parts, ", "), state)
		}
	}
	return tw.Flush()
}

// why is the first probe's reason alone, rendered in the reader's language.
func (f probeFailures) why() i18n.Texter { return probeWhy(f[0]) }

type probeWhy runtime.Probe

func (p probeWhy) Text(lang string) string { return runtime.Probe(p).ErrorText(lang) }
