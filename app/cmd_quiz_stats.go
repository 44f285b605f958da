package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/quizstats"
)

// ---- stats

type statsOptions struct {
	Session   string
	JSON, CSV bool
}

func runQuizStatsCmd(ctx context.Context, e *env, args []string) error {
	var o statsOptions
	fs := newFlagSet("quiz stats", e.stderr)
	fs.BoolVar(&o.JSON, "json", false, "print JSON")
	fs.BoolVar(&o.CSV, "csv", false, "print CSV (docs/quiz-sessions.md)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (o.JSON && o.CSV) {
		return usageError("usage: kicheck quiz stats SESSION [--json | --csv]")
	}
	o.Session = pos[0]
	return runQuizStats(ctx, o, e)
}

// runQuizStats prints the item analysis of session o.Session.
func runQuizStats(ctx context.Context, o statsOptions, e *env) error {
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := quizsession.Stats(ctx, db, o.Session)
	if err != nil {
		return err
	}
	switch {
	case o.JSON:
		return writeJSON(e.stdout, rep)
	case o.CSV:
		return quizstats.WriteCSV(e.stdout, rep)
	}
	writeStatsText(e.stdout, e.lang, rep)
	return nil
}

func writeStatsText(w io.Writer, lang string, r *quizstats.Report) {
	t := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	alpha := "–"
	if r.Alpha != nil {
		alpha = i18n.Short(lang, *r.Alpha)
	}
	fmt.Fprintln(w, t("quizcli.stats_head", map[string]any{"N": r.N, "Mean": i18n.Short(lang, r.MeanTotal), "Max": i18n.Short(lang, r.MaxTotal), "Alpha": alpha}))
	for _, warn := range r.Warnings {
		fmt.Fprintln(w, "! "+warn.Msg().Text(lang))
	}
	fmt.Fprintf(w, "\n%-8s %-4s %-36s %9s %7s %9s %9s  %s\n", "item", t("quizcli.col_area"), t("quizcli.col_title"), "F %", "SD %", "DI %", "DE %", "")
	p := func(f *float64) string {
		if f == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f", 100**f)
	}
	for _, it := range r.Items {
		title := []rune(it.Title)
		if len(title) > 36 {
			title = append(title[:35], '…')
		}
		fmt.Fprintf(w, "%-8s %-4s %-36s %9.1f %7.1f %9s %9s  %s\n", it.ID, it.Area, string(title), 100*it.Facility, 100*it.SD, p(it.Discrimination), p(it.Efficiency), quizstats.FlagsText(lang, it.Flags))
		for _, d := range it.Distractors {
			if d.Flag != "" {
				fmt.Fprintf(w, "%8s   → %q: %s\n", "", d.Text, quizstats.FlagText(lang, d.Flag))
			}
		}
	}
	fmt.Fprintln(w, "\n"+t("quizcli.areas_avg"))
	for _, a := range r.Areas {
		fmt.Fprintf(w, "  %-4s %3d items  F %.1f %%\n", a.Area, a.Items, 100*a.Facility)
	}
}
