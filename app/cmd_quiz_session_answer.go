package main

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

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
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || o.Pseudonym == "" {
		return usage("cli.usage.quiz.session.answer.args", nil)
	}
	o.Session = fs.Arg(0)
	if !validRole(o.Role) {
		return usage("cli.usage.staff_role", map[string]any{"Role": i18n.Escape(o.Role)})
	}
	return runSessionAnswer(ctx, o, e)
}

// runSessionAnswer asks the questions of session o.Session on e.stdout,
// reads the answers from e.stdin and saves the attempt.
func runSessionAnswer(ctx context.Context, o sessionAnswerOptions, e *env) error {
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
	a, err := answerInteractively(ctx, e, s, o, time.Now)
	if err != nil {
		return err
	}
	if err := quizsession.SaveAttempt(ctx, db, s, a); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.saved", map[string]any{"Pseudonym": a.Pseudonym, "Score": i18n.Short(e.lang, a.Score), "Max": i18n.Short(e.lang, a.MaxScore)}))
	if a.CBMMark != nil {
		fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.cbm_total", map[string]any{"Mark": i18n.Short(e.lang, *a.CBMMark), "Max": i18n.Short(e.lang, 3*a.MaxScore)}))
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

// answerInteractively asks every item on e.stdout and reads the answers
// line by line from e.stdin. An empty line skips an item; the end of input
// or the time limit ends the attempt (what was answered is kept).
func answerInteractively(ctx context.Context, e *env, s *quizsession.Session, o sessionAnswerOptions, clock func() time.Time) (*quizsession.Attempt, error) {
	in := bufio.NewScanner(e.stdin)
	w := e.stdout
	a := &quizsession.Attempt{SessionID: s.ID, Pseudonym: o.Pseudonym, DisplayName: o.Name, Role: quiz.Role(o.Role), Started: clock()}
	deadline := time.Time{}
	if s.TimeLimit > 0 {
		deadline = a.Started.Add(s.TimeLimit)
		fmt.Fprintln(w, i18n.T(e.lang, "quizcli.time_limit", map[string]any{"Minutes": i18n.Short(e.lang, s.TimeLimit.Minutes())}))
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
			fmt.Fprintln(w, "\n"+i18n.T(e.lang, "quiz.self_intro"))
		}
		fmt.Fprintf(w, "\n%s\n%s\n%s\n", i18n.T(e.lang, "quiz.item_head", map[string]any{"N": i + 1, "Of": len(shown), "Area": q.Area, "Title": q.DisplayTitle()}),
			q.Text, "")
		ans := sh.NewAnswer()
		ok := true
		var line string
		// choose records the numbers typed, as shown (none: no answer);
		// understood is false for anything but numbers that were shown.
		choose := func(line string) (understood bool) {
			nums, err := optionNumbers(line)
			if err != nil {
				return false
			}
			ans, understood = sh.Choose(nums...)
			return understood
		}
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
			if !choose(line) {
				fmt.Fprintln(w, i18n.T(e.lang, "quizcli.not_understood"))
			}
		case quiz.TrueFalse:
			fmt.Fprintf(w, "  1) %s\n  2) %s\n", i18n.T(e.lang, "quiz.true"), i18n.T(e.lang, "quiz.false"))
			line, ok = read(i18n.T(e.lang, "quizcli.prompt_single"))
			if !choose(line) {
				fmt.Fprintln(w, i18n.T(e.lang, "quizcli.not_understood"))
			}
		case quiz.Short, quiz.Numerical, quiz.Essay:
			line, ok = read(i18n.T(e.lang, "quizcli.prompt_text"))
			ans = sh.Write(line)
		case quiz.Matching:
			choices := q.MatchChoices()
			for k, idx := range sh.Order {
				fmt.Fprintf(w, "  %d) %s\n", k+1, choices[idx])
			}
			var nums []int
			for _, p := range q.SubQuestions() {
				var l string
				l, ok = read(p.Question + " → ")
				if !ok {
					break
				}
				n, _ := strconv.Atoi(l) // not a number: none chosen
				nums = append(nums, n)
			}
			ans = sh.Match(nums...)
		case quiz.SelfRating:
			for k, step := range q.Scale {
				fmt.Fprintf(w, "  %d) %s\n", k+1, step)
			}
			line, ok = read(i18n.T(e.lang, "quizcli.prompt_single"))
			choose(line) // a step not shown is no answer
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

// optionNumbers reads the option numbers a participant typed: "2", "1,3"
// or "1 3"; an empty line is none.
func optionNumbers(line string) ([]int, error) {
	var nums []int
	for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, err
		}
		nums = append(nums, n)
	}
	return nums, nil
}
