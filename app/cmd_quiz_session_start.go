package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// ---- start

type sessionStartOptions struct {
	Quiz      string
	ID        string
	Title     string
	Seed      int64
	PerCell   int
	Draw      string
	NoShuffle bool
	TimeLimit time.Duration
	CBM       bool
	NoSelf    bool
	JSON      bool

	perCell int                      // from --per-cell and --draw
	cells   map[quizsession.Cell]int // --draw read by quizsession.ParseDraw
}

func runSessionStartCmd(ctx context.Context, e *env, args []string) error {
	var o sessionStartOptions
	fs := newFlagSet("quiz session start", e.stderr)
	fs.StringVar(&o.Quiz, "quiz", "", "quiz id (kicheck quiz session list --quizzes) or path to a YAML bundle (required)")
	fs.StringVar(&o.ID, "id", "", "session id (default: generated); use the same id, --seed and drawing on every PC of a course")
	fs.StringVar(&o.Title, "title", "", "title shown to participants and in the evidence (default: the quiz title)")
	fs.Int64Var(&o.Seed, "seed", 0, "seed for drawing and answer order (default: random; printed)")
	fs.IntVar(&o.PerCell, "per-cell", 0, "draw this many items per competency area x level (default: all items)")
	fs.StringVar(&o.Draw, "draw", "", "draw per cell, e.g. A1/grundlage=2,A4/mittel=1 (only the named cells unless --per-cell is set)")
	fs.BoolVar(&o.NoShuffle, "no-shuffle", false, "keep the answers in the bundle's order")
	fs.DurationVar(&o.TimeLimit, "time-limit", 0, "time per participant, e.g. 20m (default 0: no limit)")
	fs.BoolVar(&o.CBM, "cbm", false, "confidence-based marking: participants give a certainty 1-3 for each answer")
	fs.BoolVar(&o.NoSelf, "no-self-rating", false, "leave out the quiz's self-rating statements")
	fs.BoolVar(&o.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.Quiz == "" {
		return usage("cli.usage.quiz.session.start.quiz", nil)
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.quiz.no_args", map[string]any{"Sub": "session start", "Arg": i18n.Escape(fs.Arg(0))})
	}
	perCell, cells, err := quizsession.ParseDraw(o.Draw)
	if err != nil {
		return usage("cli.usage.quiz.session.start.draw", map[string]any{"Draw": i18n.Escape(o.Draw)})
	}
	if o.PerCell > 0 {
		perCell = o.PerCell
	}
	o.perCell, o.cells = perCell, cells
	return runSessionStart(ctx, o, e)
}

// runSessionStart starts the session o describes.
func runSessionStart(ctx context.Context, o sessionStartOptions, e *env) error {
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	lib, err := quizsession.LoadLibrary(e.dataDir)
	if err != nil {
		return err
	}
	warnAll(e, lib.Warnings)
	if err := lib.AddBank(ctx, db); err != nil {
		return err
	}
	b, self, err := lib.Resolve(o.Quiz)
	if err != nil {
		return err
	}
	if o.NoSelf {
		self = nil
	}
	s, warnings, err := quizsession.Start(ctx, db, b, self, quizsession.Options{ID: o.ID, Title: o.Title, Seed: o.Seed, PerCell: o.perCell, Draw: o.cells,
		NoShuffle: o.NoShuffle, TimeLimit: o.TimeLimit, CBM: o.CBM}, time.Now())
	warnAll(e, warnings)
	var pe *quizsession.PlanError
	if errors.As(err, &pe) {
		return &exitError{code: exitUsage, err: i18n.NewError("cli.usage.quiz.session.start.plan", "", map[string]any{"Detail": errText{pe.Err}}, err)}
	}
	if err != nil {
		return err
	}
	if err := printSessionStarted(e, s, o.JSON); err != nil {
		return err
	}
	if !o.JSON {
		if line := legalAsOfLine(e.lang, b); line != "" {
			fmt.Fprintln(e.stdout, line)
		}
	}
	return nil
}

// legalAsOfLine tells the trainer the "Rechtsstand" of a bundle, so that
// legal statements are re-checked before they are taught; "" when the
// bundle names none.
func legalAsOfLine(lang string, b *quiz.Bundle) string {
	if b == nil || b.LegalAsOf == "" {
		return ""
	}
	d, err := i18n.ParseDate(b.LegalAsOf)
	if err != nil {
		return ""
	}
	return i18n.Msg{ID: "quizcli.legal_as_of", Data: map[string]any{"Date": d, "Basis": b.LegalBasis}}.Text(lang)
}

func printSessionStarted(e *env, s *quizsession.Session, asJSON bool) error {
	if asJSON {
		return writeJSON(e.stdout, map[string]any{"id": s.ID, "title": s.Title, "bundle": s.BundleID + "@" + s.BundleVersion, "seed": s.Seed,
			"draw": s.Draw, "items": len(s.Knowledge()), "self_ratings": len(s.SelfRatings()), "cbm": s.CBM,
			"time_limit_s": int64(s.TimeLimit / time.Second), "content_hash": s.ContentHash})
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.started", map[string]any{"ID": s.ID, "Title": s.Title, "Items": len(s.Knowledge()),
		"Self": len(s.SelfRatings()), "Seed": s.Seed}))
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.started_next", map[string]any{"ID": s.ID}))
	return nil
}
