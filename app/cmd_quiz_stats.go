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
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (o.JSON && o.CSV) {
		return usage("cli.usage.quiz.stats.args", nil)
	}
	o.Session = fs.Arg(0)
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
	fmt.Fprintf(w, "\n%-8s %-4s %-36s %9s %7s %9s %9s  %s\n", t("cli.quiz.stats.col_item"), t("quizcli.col_area"), t("quizcli.col_title"), "F %", "SD %", "DI %", "DE %", "")
	p := func(f *float64) string {
		if f == nil {
			return "–"
		}
		return i18n.Decimal(lang, 100**f, 1)
	}
	for _, it := range r.Items {
		title := []rune(it.Title)
		if len(title) > 36 {
			title = append(title[:35], '…')
		}
		fmt.Fprintf(w, "%-8s %-4s %-36s %9s %7s %9s %9s  %s\n", it.ID, it.Area, string(title), i18n.Decimal(lang, 100*it.Facility, 1), i18n.Decimal(lang, 100*it.SD, 1),
			p(it.Discrimination), p(it.Efficiency), quizstats.FlagsText(lang, it.Flags))
		for _, d := range it.Distractors {
			if d.Flag != "" {
				fmt.Fprintf(w, "%8s   → %q: %s\n", "", d.Text, quizstats.FlagText(lang, d.Flag))
			}
		}
	}
	fmt.Fprintln(w, "\n"+t("quizcli.areas_avg"))
	for _, a := range r.Areas {
		fmt.Fprintln(w, t("cli.quiz.stats.area_line", map[string]any{"Area": fmt.Sprintf("%-4s", a.Area), "Items": fmt.Sprintf("%3d", a.Items),
			"Facility": i18n.Decimal(lang, 100*a.Facility, 1)}))
	}
}
