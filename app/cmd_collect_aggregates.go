package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/signing"
)

// runCollectAggregates takes municipalities' summaries into a Land
// database: each verified against the Land's allowed_signers (the AGS as
// principal), all or nothing.
func runCollectAggregates(ctx context.Context, opts collectOptions, e *env) error {
	w := e.stdout
	allowed, err := signing.ReadAllowedSigners(opts.AllowedSigners)
	if err != nil {
		return signersError(opts.AllowedSigners, err)
	}
	files, err := aggregate.Files(opts.Paths)
	if err != nil {
		return err
	}
	ls, closeDB, err := openLandStore(ctx, opts.DB, opts.DBFlags, opts.Lang)
	if err != nil {
		return err
	}
	defer closeDB()
	sum, err := aggregate.Import(ctx, ls, files, allowed, time.Now())
	if err != nil {
		return err
	}
	sum = sum.Localize(opts.Lang)
	if opts.JSON {
		if err := writeJSON(w, sum); err != nil {
			return err
		}
	} else {
		for _, f := range sum.Files {
			fmt.Fprintf(w, "%s: %s: %s\n", i18n.Escape(f.File), i18n.T(opts.Lang, "aggregate.outcome."+f.Outcome), i18n.Escape(f.Message))
		}
		fmt.Fprintln(w, sum.Line(opts.Lang))
	}
	if sum.Refused > 0 {
		return &exitError{code: exitCollectRejected, err: i18n.NewError("aggregate.intake.files_refused", "",
			map[string]any{"Refused": sum.Refused, "Total": len(sum.Files)}, nil)}
	}
	return nil
}
