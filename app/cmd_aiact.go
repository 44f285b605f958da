package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "aiact", summary: "cli.help.aiact", run: aiactCmds.run})
}

// aiactCmds are the subcommands of kicheck aiact.
var aiactCmds = &subcommands{parent: "aiact", list: []*command{
	{name: "classify", summary: "cli.help.aiact.classify", run: aiactCmd("classify")},
	{name: "questions", summary: "cli.help.aiact.questions", run: aiactCmd("questions")},
}}

// aiactOptions: the facts (flags win over answers), the survey answers
// (question id → answer id) and the output format.
type aiactOptions struct {
	Action  string // classify, questions
	Facts   aiact.Facts
	Answers map[string]string
	// set lists the facts given as flags, applied after the answers.
	set  []func(*aiact.Facts)
	bad  badValue // the first bad flag value, returned after parsing
	JSON bool
	Lang string
}

// aiactCmd parses the flags of `kicheck aiact ACTION` and runs runAIAct.
func aiactCmd(action string) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		opts := aiactOptions{Action: action, Lang: e.lang, Answers: map[string]string{}}
		fs := newFlagSet("aiact "+action, e)
		fs.BoolVar(&opts.JSON, "json", false, "cli.flag.json")
		if action == "classify" {
			aiactFlags(fs, &opts)
		}
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if opts.bad.err != nil {
			return opts.bad.err
		}
		if fs.NArg() > 0 {
			return usage("cli.usage.extra_argument", map[string]any{"Command": "aiact " + action, "Arg": i18n.Escape(fs.Arg(0))})
		}
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if action == "classify" && len(opts.Answers) == 0 && (!given["area"] || !given["effect"]) && !given["practice"] {
			return usageHint("aiact.cli.need_facts", "aiact.cli.need_facts.hint", nil)
		}
		return runAIAct(ctx, opts, e)
	}
}

// runAIAct does the work of `kicheck aiact classify|questions`.
func runAIAct(_ context.Context, opts aiactOptions, e *env) error {
	if opts.Action == "questions" {
		return runAIActQuestions(opts, e.stdout)
	}
	return runAIActClassify(opts, e.stdout)
}

// aiactFlags declares one flag per fact; each records a setter so flags
// can override the survey answers in any order.
func aiactFlags(fs *flag.FlagSet, opts *aiactOptions) {
	value := func(name, usage, field string) {
		fs.Func(name, usage, func(s string) error {
			var probe aiact.Facts
			if err := probe.Set(field, s); err != nil {
				return opts.bad.keepErr(name, err)
			}
			opts.set = append(opts.set, func(f *aiact.Facts) { _ = f.Set(field, s) })
			return nil
		})
	}
	boolean := func(name, usage, field string) {
		fs.BoolFunc(name, usage, func(s string) error {
			v, err := strconv.ParseBool(s)
			if err != nil {
				return opts.bad.keep("cli.usage.value.bool", flagData(name, s))
			}
			opts.set = append(opts.set, func(f *aiact.Facts) { _ = f.Set(field, strconv.FormatBool(v)) })
			return nil
		})
	}
	value("area", "cli.flag.aiact.area", aiact.FieldArea)
	value("point", "cli.flag.aiact.point", aiact.FieldPoint)
	value("effect", "cli.flag.aiact.effect", aiact.FieldEffect)
	value("exception", "cli.flag.aiact.exception", aiact.FieldException)
	value("practice", "cli.flag.aiact.practice", aiact.FieldPractice)
	value("land", "cli.flag.aiact.land", aiact.FieldLand)
	boolean("profiling", "cli.flag.aiact.profiling", aiact.FieldProfiling)
	boolean("documented", "cli.flag.aiact.documented", aiact.FieldExceptionDocumented)
	boolean("interacts-with-public", "cli.flag.aiact.interacts_with_public", aiact.FieldInteractsWithPublic)
	boolean("publishes-text", "cli.flag.aiact.publishes_text", aiact.FieldPublishesText)
	boolean("editorial-review", "cli.flag.aiact.editorial_review", aiact.FieldEditorialReview)
	boolean("personal-data", "cli.flag.aiact.personal_data", aiact.FieldPersonalData)
	boolean("affects-staff", "cli.flag.aiact.affects_staff", aiact.FieldAffectsStaff)
	fs.Func("data-class", "cli.flag.data_class", func(s string) error {
		c, err := dataclass.Parse(s)
		if err != nil {
			return opts.bad.keepErr("data-class", err)
		}
		opts.set = append(opts.set, func(f *aiact.Facts) { f.DataClass = c })
		return nil
	})
	fs.Func("answer", "cli.flag.aiact.answer", func(s string) error {
		q, a, ok := strings.Cut(s, "=")
		if !ok || q == "" || a == "" {
			return opts.bad.keep("cli.usage.value.answer", flagData("answer", s))
		}
		opts.Answers[strings.TrimSpace(q)] = strings.TrimSpace(a)
		return nil
	})
}

func ids[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

// aiactJSON is the stable output of `kicheck aiact classify --json`
// (docs/aiact.md).
type aiactJSON struct {
	Facts aiact.Facts `json:"facts"`
	aiact.Local
}

// runAIActClassify applies the answers, then the flags, classifies and
// prints.
func runAIActClassify(opts aiactOptions, w io.Writer) error {
	f, err := aiact.Answered(opts.Facts, opts.Answers)
	if err != nil {
		return &exitError{code: exitUsage, err: i18n.NewError("cli.aiact.answers", "aiact.cli.answer.hint", map[string]any{"Detail": errText{err}}, err)}
	}
	for _, set := range opts.set {
		set(&f)
	}
	if err := f.Validate(); err != nil {
		return &exitError{code: exitUsage, err: i18n.NewError("cli.aiact.facts", "aiact.cli.invalid.hint", map[string]any{"Detail": errText{err}}, err)}
	}
	r := aiact.Classify(f)
	if opts.JSON {
		return writeJSON(w, aiactJSON{Facts: f, Local: r.Localize(opts.Lang)})
	}
	return aiact.WriteText(w, opts.Lang, r)
}

// aiactQuestionJSON is one question of `kicheck aiact questions --json`.
type aiactQuestionJSON struct {
	ID      string            `json:"id"`
	Text    string            `json:"text"`
	Help    string            `json:"help"`
	Field   string            `json:"field"`
	When    []aiact.Cond      `json:"when"`
	Answers []aiactAnswerJSON `json:"answers"`
}

type aiactAnswerJSON struct {
	ID   string            `json:"id"`
	Text string            `json:"text"`
	Set  map[string]string `json:"set"`
}

func runAIActQuestions(opts aiactOptions, w io.Writer) error {
	qs := aiact.Questions()
	if opts.JSON {
		out := make([]aiactQuestionJSON, len(qs))
		for i, q := range qs {
			out[i] = aiactQuestionJSON{ID: q.ID, Text: q.Text.Text(opts.Lang), Help: q.Help.Text(opts.Lang), Field: q.Field, When: q.When, Answers: []aiactAnswerJSON{}}
			if out[i].When == nil {
				out[i].When = []aiact.Cond{}
			}
			for _, a := range q.Answers {
				out[i].Answers = append(out[i].Answers, aiactAnswerJSON{a.ID, a.Text.Text(opts.Lang), a.Set})
			}
		}
		return writeJSON(w, out)
	}
	var b strings.Builder
	for i, q := range qs {
		fmt.Fprintf(&b, "%d. %s  [%s]\n", i+1, q.Text.Text(opts.Lang), q.ID)
		fmt.Fprintf(&b, "   %s\n", q.Help.Text(opts.Lang))
		if len(q.When) > 0 {
			var conds []string
			for _, c := range q.When {
				op := "="
				if c.Not {
					op = "≠"
				}
				vals := make([]string, len(c.Values))
				for j, v := range c.Values {
					vals[j] = strconv.Quote(v)
				}
				conds = append(conds, c.Field+" "+op+" "+strings.Join(vals, "|"))
			}
			fmt.Fprintf(&b, "   %s\n", i18n.T(opts.Lang, "aiact.cli.only_if", map[string]any{"Conds": strings.Join(conds, ", ")}))
		}
		for _, a := range q.Answers {
			fmt.Fprintf(&b, "   - %s: %s\n", a.ID, a.Text.Text(opts.Lang))
		}
		b.WriteByte('\n')
	}
	fmt.Fprintln(&b, i18n.Msg{ID: "aiact.cli.questions_footer", Data: map[string]any{"Stand": aiact.Date(aiact.Stand)}}.Text(opts.Lang))
	_, err := io.WriteString(w, b.String())
	return err
}
