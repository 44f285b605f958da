package main

import (
	"context"
	"io"

	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/compare"
	"github.com/ki-reise/kicheck/internal/store"
)

func init() {
	register(&command{name: "compare", summary: "compare a local and a cloud run of the same test bundle side by side", run: runCompareCmd})
}

type compareOptions struct {
	LocalRun, CloudRun int64
	JSON               bool
}

func runCompareCmd(ctx context.Context, e *env, args []string) error {
	var opts compareOptions
	fs := newFlagSet("compare", e.stderr)
	fs.Int64Var(&opts.LocalRun, "local", 0, "`ID` of the local run (kicheck bench --list)")
	fs.Int64Var(&opts.CloudRun, "cloud", 0, "`ID` of the cloud run")
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (docs/cloud.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if opts.LocalRun <= 0 || opts.CloudRun <= 0 || fs.NArg() > 0 {
		return usageError("give --local RUN_ID and --cloud RUN_ID (kicheck bench --list shows the runs)")
	}
	db, err := e.openDB(ctx, cloudrun.Schemas...)
	if err != nil {
		return err
	}
	defer db.Close()
	return runCompare(ctx, db, e.lang, opts, e.stdout)
}

func runCompare(ctx context.Context, db *store.DB, lang string, opts compareOptions, w io.Writer) error {
	c, err := compare.Load(ctx, db, opts.LocalRun, opts.CloudRun)
	if err != nil {
		return err // bench.Load's errors say it in lang, with the hint
	}
	if opts.JSON {
		return writeJSON(w, c.Localize(lang))
	}
	return compare.WriteText(w, lang, c)
}
