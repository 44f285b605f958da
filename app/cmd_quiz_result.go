package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// ---- result

type resultOptions struct {
	Pseudonym string
	Session   string
	JSON      bool
}

func runQuizResultCmd(ctx context.Context, e *env, args []string) error {
	var o resultOptions
	fs := newFlagSet("quiz result", e.stderr)
	fs.StringVar(&o.Session, "session", "", "only this session (default: every session of the pseudonym)")
	fs.BoolVar(&o.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage("cli.usage.quiz.result.args", nil)
	}
	o.Pseudonym = fs.Arg(0)
	return runQuizResult(ctx, o, e)
}

// runQuizResult prints the results of o.Pseudonym with the learning path.
func runQuizResult(ctx context.Context, o resultOptions, e *env) error {
	content, err := learning.Load(e.dataDir)
	if err != nil {
		return err
	}
	warnAll(e, content.Warnings)
	db, err := e.openDB(ctx, quiz.Schema, offers.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	// The courses chosen for the modules (kicheck training offers assign
	// --module) go with the learning path.
	if err := offers.Apply(ctx, db, content.Catalogue); err != nil {
		return err
	}
	rs, err := quizsession.Results(ctx, db, content, o.Pseudonym, o.Session)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(e.stdout, rs)
	}
	for i, r := range rs {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		writeResultText(e.stdout, e.lang, content, r)
	}
	return nil
}

// writeResultText prints a participant's result: per-area scores, levels,
// self-rating gap and the learning path.
func writeResultText(w io.Writer, lang string, c *learning.Content, r *quizsession.Result) {
	ev := r.Evaluation
	t := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	fmt.Fprintln(w, t("quizcli.result_head", map[string]any{"Pseudonym": r.Pseudonym, "Title": r.Title, "Session": r.Session,
		"Date": i18n.DateTime(lang, r.Finished.Local())}))
	pct := 0.0
	if r.MaxScore > 0 {
		pct = 100 * r.Score / r.MaxScore
	}
	fmt.Fprintln(w, t("quizcli.result_total", map[string]any{"Score": i18n.Short(lang, r.Score), "Max": i18n.Short(lang, r.MaxScore), "Pct": fmt.Sprintf("%.0f", pct), "Role": c.Framework.RoleLabel(ev.Role, lang)}))
	if r.CBMMark != nil {
		fmt.Fprintln(w, t("quizcli.cbm_total", map[string]any{"Mark": i18n.Short(lang, *r.CBMMark), "Max": i18n.Short(lang, 3*r.MaxScore)}))
	}
	if r.TimedOut {
		fmt.Fprintln(w, t("quizcli.time_up"))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, t("quizcli.areas_head"))
	for _, a := range ev.Areas {
		if a.Items == 0 {
			continue
		}
		level := t("quiz.below_grundlage")
		if a.Level != "" {
			level = c.Framework.LevelLabel(a.Level, lang)
		}
		mark := "✓"
		if !a.MeetsTarget {
			mark = "✗"
		}
		bar := strings.Repeat("█", int(a.Score*10+0.5)) + strings.Repeat("░", 10-int(a.Score*10+0.5))
		fmt.Fprintf(w, "  %-3s %-44s %s %3.0f %%  %-16s %s %s %s\n", a.Area, c.Framework.AreaLabel(a.Area, lang), bar, 100*a.Score, level, mark,
			t("quizcli.target"), c.Framework.LevelLabel(a.Target, lang))
		if gap, ok := a.GapMsg(); ok {
			fmt.Fprintf(w, "      %s\n", gap.Text(lang))
		}
	}
	if len(ev.Untested) > 0 {
		fmt.Fprintln(w, "  "+t("quizcli.untested", map[string]any{"Areas": strings.Join(ev.Untested, ", ")}))
	}
	fmt.Fprintln(w)
	if len(ev.Recommendations) == 0 {
		fmt.Fprintln(w, t("quizcli.path_none", map[string]any{"Role": c.Framework.RoleLabel(ev.Role, lang)}))
		return
	}
	fmt.Fprintln(w, t("quizcli.path_head", map[string]any{"Role": c.Framework.RoleLabel(ev.Role, lang)}))
	for i, rec := range ev.Recommendations {
		m := rec.Module
		fmt.Fprintf(w, "  %d. %s\n     %s, %s, %s · %s\n", i+1, m.Title, i18n.Minutes(lang, m.DurationMinutes), learning.FormatTitle(m.Format),
			c.Framework.LevelLabel(m.Level, lang), t("quizcli.closes", map[string]any{"Areas": strings.Join(rec.Closes, ", ")}))
		provider, link := m.Provider, m.Link
		if learning.IsPlaceholder(provider) {
			provider = t("quizcli.placeholder")
		}
		if learning.IsPlaceholder(link) {
			link = t("quizcli.placeholder")
		}
		if len(m.Offers) > 0 {
			writeCourses(w, lang, "     ", m.Offers)
			continue
		}
		fmt.Fprintf(w, "     %s: %s · %s: %s\n", t("quiz.provider"), provider, t("quizcli.link"), link)
	}
}
