package main

import (
	"context"

	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/compare"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "compare", summary: "compare a local and a cloud run of the same test bundle side by side", run: compareCmd})
}

// compareOptions are the flags of `kicheck compare`.
type compareOptions struct {
	LocalRun, CloudRun int64
	JSON               bool
}

// compareCmd parses the flags of `kicheck compare` and runs runCompare.
func compareCmd(ctx context.Context, e *env, args []string) error {
	var opts compareOptions
	fs := newFlagSet("compare", e.stderr)
	fs.Int64Var(&opts.LocalRun, "local", 0, "`ID` of the local run (kicheck bench --list)")
	fs.Int64Var(&opts.CloudRun, "cloud", 0, "`ID` of the cloud run")
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (docs/cloud.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "compare", "Arg": i18n.Escape(fs.Arg(0))})
	}
	if opts.LocalRun <= 0 || opts.CloudRun <= 0 {
		return usage("cli.usage.compare.runs", nil)
	}
	return runCompare(ctx, opts, e)
}

// runCompare prints a local and a cloud run side by side.
func runCompare(ctx context.Context, opts compareOptions, e *env) error {
	lang, w := e.lang, e.stdout
	db, err := e.openDB(ctx, cloudrun.Schemas...)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := compare.Load(ctx, db, opts.LocalRun, opts.CloudRun)
	if err != nil {
		return err // bench.Load's errors say it in lang, with the hint
	}
	if opts.JSON {
		return writeJSON(w, c.Localize(lang))
	}
	return compare.WriteText(w, lang, c)
}
