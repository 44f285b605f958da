package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/quizstats"
)

func init() {
	registerQuizSubcommand(&quizSubcommand{name: "session", summary: "start, answer, export, finish or list trainer sessions", run: runQuizSessionCmd})
	registerQuizSubcommand(&quizSubcommand{name: "result", summary: "a participant's per-area scores and learning path", run: runQuizResultCmd})
	registerQuizSubcommand(&quizSubcommand{name: "stats", summary: "item analysis of a session (--json, --csv)", run: runQuizStatsCmd})
	registerQuizSubcommand(&quizSubcommand{name: "evidence", summary: "Art. 4 evidence of a session, pseudonymised", run: runQuizEvidenceCmd})
	registerQuizSubcommand(&quizSubcommand{name: "merge", summary: "merge result files exported on other PCs", run: runQuizMergeCmd})
	registerQuizSubcommand(&quizSubcommand{name: "delete-participant", summary: "delete a participant's answers and results", run: runQuizDeleteCmd})
}

func runQuizSessionCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError("quiz session needs start, answer, export, finish or list")
	}
	switch args[0] {
	case "start":
		return runSessionStartCmd(ctx, e, args[1:])
	case "answer":
		return runSessionAnswerCmd(ctx, e, args[1:])
	case "export":
		return runSessionExportCmd(ctx, e, args[1:])
	case "finish":
		return runSessionFinishCmd(ctx, e, args[1:])
	case "list":
		return runSessionListCmd(ctx, e, args[1:])
	}
	return usageError("unknown quiz session subcommand %q: use start, answer, export, finish or list", args[0])
}

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
		return usageError("quiz session start needs --quiz")
	}
	if fs.NArg() > 0 {
		return usageError("quiz session start: unexpected argument %q", fs.Arg(0))
	}
	perCell, cells, err := quizsession.ParseDraw(o.Draw)
	if err != nil {
		return usageError("--draw: %v", err)
	}
	if o.PerCell > 0 {
		perCell = o.PerCell
	}
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
	s, warnings, err := quizsession.Start(ctx, db, b, self, quizsession.Options{ID: o.ID, Title: o.Title, Seed: o.Seed, PerCell: perCell, Draw: cells,
		NoShuffle: o.NoShuffle, TimeLimit: o.TimeLimit, CBM: o.CBM}, time.Now())
	warnAll(e, warnings)
	var pe *quizsession.PlanError
	if errors.As(err, &pe) {
		return usageError("%v", err)
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

// ---- answer

type sessionAnswerOptions struct {
	Session   string
	Pseudonym string
	Name      string
	Role      string
}

func runSessionAnswerCmd(ctx context.Context, e *env, args []string) error {
	var o sessionAnswerOptions
	fs := newFlagSet("quiz session answer", e.stderr)
	fs.StringVar(&o.Pseudonym, "pseudonym", "", "name the participant is known by in this session (required; no real name needed)")
	fs.StringVar(&o.Name, "name", "", "optional real name, shown in the evidence only with --with-names")
	fs.StringVar(&o.Role, "role", "anwender", "role profile: anwender, fachverantwortlich, fuehrungskraft or it")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || o.Pseudonym == "" {
		return usageError("usage: kicheck quiz session answer SESSION --pseudonym NAME [--role ROLE]")
	}
	o.Session = pos[0]
	if !validRole(o.Role) {
		return usageError("--role %q: use anwender, fachverantwortlich, fuehrungskraft or it", o.Role)
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := quizsession.Get(ctx, db, o.Session)
	if err != nil {
		return err
	}
	if err := quizsession.CanTakePart(ctx, db, s, o.Pseudonym); err != nil {
		return err
	}
	a, err := answerInteractively(ctx, e, s, o, e.stdin, time.Now)
	if err != nil {
		return err
	}
	if err := quizsession.SaveAttempt(ctx, db, s, a); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.saved", map[string]any{"Pseudonym": a.Pseudonym, "Score": fmtNum(e.lang, a.Score), "Max": fmtNum(e.lang, a.MaxScore)}))
	if a.CBMMark != nil {
		fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.cbm_total", map[string]any{"Mark": fmtNum(e.lang, *a.CBMMark), "Max": fmtNum(e.lang, 3*a.MaxScore)}))
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.saved_next", map[string]any{"Pseudonym": a.Pseudonym}))
	return nil
}

func validRole(r string) bool {
	for _, x := range quiz.Roles {
		if string(x) == r {
			return true
		}
	}
	return false
}

// answerInteractively asks every item on w and reads the answers line by
// line from r. An empty line skips an item; the end of input or the time
// limit ends the attempt (what was answered is kept).
func answerInteractively(ctx context.Context, e *env, s *quizsession.Session, o sessionAnswerOptions, r io.Reader, clock func() time.Time) (*quizsession.Attempt, error) {
	in := bufio.NewScanner(r)
	w := e.stdout
	a := &quizsession.Attempt{SessionID: s.ID, Pseudonym: o.Pseudonym, DisplayName: o.Name, Role: quiz.Role(o.Role), Started: clock()}
	deadline := time.Time{}
	if s.TimeLimit > 0 {
		deadline = a.Started.Add(s.TimeLimit)
		fmt.Fprintln(w, i18n.T(e.lang, "quizcli.time_limit", map[string]any{"Minutes": fmtNum(e.lang, s.TimeLimit.Minutes())}))
	}
	read := func(prompt string) (string, bool) {
		fmt.Fprint(w, prompt)
		if !in.Scan() {
			fmt.Fprintln(w)
			return "", false
		}
		return strings.TrimSpace(in.Text()), true
	}
	shown := s.Present(o.Pseudonym)
	knowledge := len(s.Knowledge())
	for i, sh := range shown {
		if ctx.Err() != nil {
			break
		}
		if !deadline.IsZero() && clock().After(deadline) {
			a.TimedOut = true
			fmt.Fprintln(w, i18n.T(e.lang, "quizcli.time_up"))
			break
		}
		q := sh.Question
		if i == knowledge && knowledge < len(shown) {
			fmt.Fprintln(w, "\n"+i18n.T(e.lang, "quizcli.self_intro"))
		}
		fmt.Fprintf(w, "\n%s\n%s\n%s\n", i18n.T(e.lang, "quizcli.item_head", map[string]any{"N": i + 1, "Of": len(shown), "Area": q.Area, "Title": q.DisplayTitle()}),
			q.Text, "")
		ans := quizsession.Answer{Position: sh.Position, QID: q.ID, Shown: sh.Order}
		ok := true
		var line string
		switch q.Type {
		case quiz.Single, quiz.Multi:
			for k, idx := range sh.Order {
				fmt.Fprintf(w, "  %d) %s\n", k+1, q.Answers[idx].Text)
			}
			key := "quizcli.prompt_single"
			if q.Type == quiz.Multi {
				key = "quizcli.prompt_multi"
			}
			line, ok = read(i18n.T(e.lang, key))
			if line != "" {
				var choices []int
				for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' }) {
					n, err := strconv.Atoi(f)
					if err != nil || n < 1 || n > len(sh.Order) {
						choices = nil
						fmt.Fprintln(w, i18n.T(e.lang, "quizcli.not_understood"))
						break
					}
					choices = append(choices, sh.Order[n-1])
				}
				if choices != nil {
					ans.Response.Choices, ans.Answered = choices, true
				}
			}
		case quiz.TrueFalse:
			fmt.Fprintf(w, "  1) %s\n  2) %s\n", i18n.T(e.lang, "quizcli.true"), i18n.T(e.lang, "quizcli.false"))
			line, ok = read(i18n.T(e.lang, "quizcli.prompt_single"))
			if line == "1" || line == "2" {
				n, _ := strconv.Atoi(line)
				ans.Response.Choices, ans.Answered = []int{n - 1}, true
			} else if line != "" {
				fmt.Fprintln(w, i18n.T(e.lang, "quizcli.not_understood"))
			}
		case quiz.Short, quiz.Numerical, quiz.Essay:
			line, ok = read(i18n.T(e.lang, "quizcli.prompt_text"))
			if line != "" {
				ans.Response.Text, ans.Answered = line, true
			}
		case quiz.Matching:
			choices := q.MatchChoices()
			for k, idx := range sh.Order {
				fmt.Fprintf(w, "  %d) %s\n", k+1, choices[idx])
			}
			for _, p := range q.SubQuestions() {
				var l string
				l, ok = read(p.Question + " → ")
				if !ok {
					break
				}
				m := ""
				if n, err := strconv.Atoi(l); err == nil && n >= 1 && n <= len(sh.Order) {
					m = choices[sh.Order[n-1]]
					ans.Answered = true
				}
				ans.Response.Matches = append(ans.Response.Matches, m)
			}
		case quiz.SelfRating:
			for k, step := range q.Scale {
				fmt.Fprintf(w, "  %d) %s\n", k+1, step)
			}
			line, ok = read(i18n.T(e.lang, "quizcli.prompt_single"))
			if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(q.Scale) {
				ans.Response.Rating, ans.Answered = n-1, true
			}
		case quiz.Description:
			continue
		}
		if ok && ans.Answered && s.CBM && q.Type.Scored() {
			var c string
			c, ok = read(i18n.T(e.lang, "quizcli.prompt_certainty"))
			if n, err := strconv.Atoi(c); err == nil && n >= 1 && n <= 3 {
				ans.Certainty = n
			} else {
				ans.Certainty = 1
			}
		}
		a.Answers = append(a.Answers, ans)
		if !ok {
			break
		}
	}
	a.Finished = clock()
	if !deadline.IsZero() && a.Finished.After(deadline) {
		a.TimedOut = true
	}
	return a, nil
}

// ---- export, finish, list

func runSessionExportCmd(ctx context.Context, e *env, args []string) error {
	var out string
	fs := newFlagSet("quiz session export", e.stderr)
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("usage: kicheck quiz session export SESSION PSEUDONYM [--out FILE]")
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	data, err := quizsession.Export(ctx, db, pos[0], pos[1])
	if err != nil {
		return err
	}
	return writeOut(e, out, append(data, '\n'))
}

func runSessionFinishCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("quiz session finish", e.stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: kicheck quiz session finish SESSION")
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := quizsession.Finish(ctx, db, pos[0], time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.finished", map[string]any{"ID": pos[0]}))
	return nil
}

func runSessionListCmd(ctx context.Context, e *env, args []string) error {
	var asJSON, quizzes bool
	fs := newFlagSet("quiz session list", e.stderr)
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	fs.BoolVar(&quizzes, "quizzes", false, "list the quizzes a session can be started from instead")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if quizzes {
		lib, err := quizsession.LoadLibrary(e.dataDir)
		if err != nil {
			return err
		}
		warnAll(e, lib.Warnings)
		type row struct {
			ID, Version, Title string
			Items, SelfRatings int
		}
		var rows []row
		for _, b := range lib.Quizzes() {
			r := row{ID: b.ID, Version: b.Version, Title: b.Title}
			for _, q := range b.Questions {
				if q.Type.Scored() {
					r.Items++
				}
			}
			if s := lib.Find(b.ID + quizsession.SelfSuffix); s != nil {
				r.SelfRatings = len(s.Questions)
			}
			rows = append(rows, r)
		}
		if asJSON {
			return writeJSON(e.stdout, rows)
		}
		for _, r := range rows {
			fmt.Fprintf(e.stdout, "%-28s %-7s %3d %s, %d %s  %s\n", r.ID, r.Version, r.Items, i18n.T(e.lang, "quizcli.items"), r.SelfRatings, i18n.T(e.lang, "quizcli.self_short"), r.Title)
		}
		return nil
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	ss, err := quizsession.List(ctx, db)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e.stdout, ss)
	}
	if len(ss) == 0 {
		fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.no_sessions"))
		return nil
	}
	for _, s := range ss {
		fmt.Fprintf(e.stdout, "%-22s %-8s %s  %-34s %3d %s, %2d %s  %s\n", s.ID, s.Status, s.Created.Local().Format("2006-01-02 15:04"),
			s.Bundle, s.Items, i18n.T(e.lang, "quizcli.items"), s.Participants, i18n.T(e.lang, "quizcli.participants"), s.Title)
	}
	return nil
}

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
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: kicheck quiz result PSEUDONYM [--session ID] [--json]")
	}
	o.Pseudonym = pos[0]
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
		"Date": r.Finished.Local().Format("02.01.2006 15:04")}))
	pct := 0.0
	if r.MaxScore > 0 {
		pct = 100 * r.Score / r.MaxScore
	}
	fmt.Fprintln(w, t("quizcli.result_total", map[string]any{"Score": fmtNum(lang, r.Score), "Max": fmtNum(lang, r.MaxScore), "Pct": fmt.Sprintf("%.0f", pct), "Role": ev.RoleTitle}))
	if r.CBMMark != nil {
		fmt.Fprintln(w, t("quizcli.cbm_total", map[string]any{"Mark": fmtNum(lang, *r.CBMMark), "Max": fmtNum(lang, 3*r.MaxScore)}))
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
		level := t("quizcli.below_grundlage")
		if a.Level != "" {
			level = c.Framework.LevelTitle(a.Level)
		}
		mark := "✓"
		if !a.MeetsTarget {
			mark = "✗"
		}
		bar := strings.Repeat("█", int(a.Score*10+0.5)) + strings.Repeat("░", 10-int(a.Score*10+0.5))
		fmt.Fprintf(w, "  %-3s %-44s %s %3.0f %%  %-16s %s %s %s\n", a.Area, a.Title, bar, 100*a.Score, level, mark,
			t("quizcli.target"), c.Framework.LevelTitle(a.Target))
		if a.SelfRating != nil && a.GapVerdict != "" {
			gapID := map[string]string{"higher": "quizcli.gap_higher", "lower": "quizcli.gap_lower", "matches": "quizcli.gap_matches"}[a.GapVerdict]
			fmt.Fprintf(w, "      %s\n", t(gapID, map[string]any{"Self": fmt.Sprintf("%.0f", 100**a.SelfRating), "Score": fmt.Sprintf("%.0f", 100*a.Score)}))
		}
	}
	if len(ev.Untested) > 0 {
		fmt.Fprintln(w, "  "+t("quizcli.untested", map[string]any{"Areas": strings.Join(ev.Untested, ", ")}))
	}
	fmt.Fprintln(w)
	if len(ev.Recommendations) == 0 {
		fmt.Fprintln(w, t("quizcli.path_none", map[string]any{"Role": ev.RoleTitle}))
		return
	}
	fmt.Fprintln(w, t("quizcli.path_head", map[string]any{"Role": ev.RoleTitle}))
	for i, rec := range ev.Recommendations {
		m := rec.Module
		fmt.Fprintf(w, "  %d. %s\n     %s, %s, %s · %s\n", i+1, m.Title, fmtDuration(m.DurationMinutes), learning.FormatTitle(m.Format),
			c.Framework.LevelTitle(m.Level), t("quizcli.closes", map[string]any{"Areas": strings.Join(rec.Closes, ", ")}))
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
		fmt.Fprintf(w, "     %s: %s · %s: %s\n", t("quizcli.provider"), provider, t("quizcli.link"), link)
	}
}

func fmtDuration(min int) string {
	if min%60 == 0 {
		return fmt.Sprintf("%d h", min/60)
	}
	if min > 60 {
		return fmt.Sprintf("%d h %d min", min/60, min%60)
	}
	return fmt.Sprintf("%d min", min)
}

// ---- stats

func runQuizStatsCmd(ctx context.Context, e *env, args []string) error {
	var asJSON, asCSV bool
	fs := newFlagSet("quiz stats", e.stderr)
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	fs.BoolVar(&asCSV, "csv", false, "print CSV (docs/quiz-sessions.md)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (asJSON && asCSV) {
		return usageError("usage: kicheck quiz stats SESSION [--json | --csv]")
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := quizsession.Stats(ctx, db, pos[0])
	if err != nil {
		return err
	}
	switch {
	case asJSON:
		return writeJSON(e.stdout, rep)
	case asCSV:
		return quizstats.WriteCSV(e.stdout, rep)
	}
	writeStatsText(e.stdout, e.lang, rep)
	return nil
}

// flagText translates the stable flag texts of quizstats.
func flagsText(lang string, flags []string) string {
	ids := map[string]string{
		quizstats.FlagLowEfficiency:     "quizcli.flag_low_efficiency",
		quizstats.FlagNegative:          "quizcli.flag_negative",
		quizstats.FlagNoSpread:          "quizcli.flag_no_spread",
		quizstats.DistractorNever:       "quizcli.flag_never",
		quizstats.DistractorAttractsTop: "quizcli.flag_attracts_top",
	}
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = f
		if id, ok := ids[f]; ok {
			out[i] = i18n.T(lang, id)
		}
	}
	return strings.Join(out, "; ")
}

func writeStatsText(w io.Writer, lang string, r *quizstats.Report) {
	t := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	alpha := "–"
	if r.Alpha != nil {
		alpha = fmtNum(lang, *r.Alpha)
	}
	fmt.Fprintln(w, t("quizcli.stats_head", map[string]any{"N": r.N, "Mean": fmtNum(lang, r.MeanTotal), "Max": fmtNum(lang, r.MaxTotal), "Alpha": alpha}))
	for _, warn := range r.Warnings {
		id := map[string]string{quizstats.WarnSmallSample: "quizcli.warn_small_sample", quizstats.WarnNoDiscrimination: "quizcli.warn_no_discrimination",
			quizstats.WarnNoAlpha: "quizcli.warn_no_alpha"}[warn.Code]
		text := warn.Text
		if id != "" {
			text = t(id, map[string]any{"N": warn.N, "Min": quizstats.SmallSample})
		}
		fmt.Fprintln(w, "! "+text)
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
		fmt.Fprintf(w, "%-8s %-4s %-36s %9.1f %7.1f %9s %9s  %s\n", it.ID, it.Area, string(title), 100*it.Facility, 100*it.SD, p(it.Discrimination), p(it.Efficiency), flagsText(lang, it.Flags))
		for _, d := range it.Distractors {
			if d.Flag != "" {
				fmt.Fprintf(w, "%8s   → %q: %s\n", "", d.Text, flagsText(lang, []string{d.Flag}))
			}
		}
	}
	fmt.Fprintln(w, "\n"+t("quizcli.areas_avg"))
	for _, a := range r.Areas {
		fmt.Fprintf(w, "  %-4s %3d items  F %.1f %%\n", a.Area, a.Items, 100*a.Facility)
	}
}

// ---- evidence

func runQuizEvidenceCmd(ctx context.Context, e *env, args []string) error {
	var out string
	var asCSV, asJSON, withNames bool
	fs := newFlagSet("quiz evidence", e.stderr)
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	fs.BoolVar(&asCSV, "csv", false, "CSV instead of a Markdown document")
	fs.BoolVar(&asJSON, "json", false, "JSON instead of a Markdown document")
	fs.BoolVar(&withNames, "with-names", false, "show real names where participants gave one (default: pseudonyms only)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (asCSV && asJSON) {
		return usageError("usage: kicheck quiz evidence SESSION [--out FILE] [--csv | --json] [--with-names]")
	}
	content, err := learning.Load(e.dataDir)
	if err != nil {
		return err
	}
	warnAll(e, content.Warnings)
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	ev, err := quizsession.BuildEvidence(ctx, db, content, pos[0], withNames)
	if err != nil {
		return err
	}
	var b strings.Builder
	switch {
	case asJSON:
		err = writeJSON(&b, ev)
	case asCSV:
		err = quizsession.WriteEvidenceCSV(&b, ev)
	default:
		err = quizsession.WriteEvidenceMarkdown(&b, ev)
	}
	if err != nil {
		return err
	}
	return writeOut(e, out, []byte(b.String()))
}

// ---- merge, delete

func runQuizMergeCmd(ctx context.Context, e *env, args []string) error {
	var asJSON bool
	fs := newFlagSet("quiz merge", e.stderr)
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("usage: kicheck quiz merge FILE...")
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	var outcomes []*quizsession.MergeOutcome
	var errs []error
	for _, name := range pos {
		data, err := os.ReadFile(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("read result file: %w", err))
			continue
		}
		o, err := quizsession.Merge(ctx, db, name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		outcomes = append(outcomes, o)
	}
	if asJSON {
		if err := writeJSON(e.stdout, outcomes); err != nil {
			return err
		}
	} else {
		for _, o := range outcomes {
			key := "quizcli.merged"
			if !o.Added {
				key = "quizcli.merged_before"
			}
			fmt.Fprintln(e.stdout, i18n.T(e.lang, key, map[string]any{"File": o.File, "Pseudonym": o.Pseudonym, "Session": o.SessionID}))
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

func runQuizDeleteCmd(ctx context.Context, e *env, args []string) error {
	var session string
	fs := newFlagSet("quiz delete-participant", e.stderr)
	fs.StringVar(&session, "session", "", "only in this session (default: in all sessions)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: kicheck quiz delete-participant PSEUDONYM [--session ID]")
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := quizsession.DeleteParticipant(ctx, db, pos[0], session)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.deleted", map[string]any{"Pseudonym": pos[0], "N": n}))
	return nil
}

// ---- helpers

func writeOut(e *env, file string, data []byte) error {
	if file == "" || file == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	fmt.Fprintln(e.stderr, i18n.T(e.lang, "quizcli.written", map[string]any{"File": file}))
	return nil
}

func warnAll(e *env, ws []error) {
	for _, w := range ws {
		fmt.Fprintf(e.stderr, "warning: %v\n", w)
	}
}

// fmtNum writes a number with at most two decimals, with a decimal comma
// in German.
func fmtNum(lang string, f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
