package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/signing"
)

func init() {
	register(&command{name: "policy", summary: "cli.help.policy", run: policyCmds.run})
}

// policyCmds are the subcommands of kicheck policy; they share --policy.
var policyCmds = &subcommands{parent: "policy", list: []*command{
	{name: "show", summary: "cli.help.policy.show", run: policySubCmd("show")},
	{name: "check", summary: "cli.help.policy.check", run: policySubCmd("check")},
	{name: "render", summary: "cli.help.policy.render", run: policySubCmd("render")},
	{name: "diff", summary: "cli.help.policy.diff", run: policySubCmd("diff")},
}}

// exitPolicyForbidden is the exit code of `kicheck policy check` when the
// policy forbids the use.
var exitPolicyForbidden = newExitCode(9, "cli.exit.policy_forbidden")

// policyOptions are the flags of every `kicheck policy` subcommand.
type policyOptions struct {
	Sub        string
	PolicyFile string // IT's central policy file (names the AI policy in force)
	JSON       bool
	// check
	Tool, DataClass, Purpose, Role, Participant string
	// render
	Variant, Format, Out string
	// diff: zero, one or two policy files
	Args []string
}

// policySubCmd parses the flags of one policy subcommand into
// policyOptions.
func policySubCmd(sub string) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		opts := policyOptions{Sub: sub}
		fs := newFlagSet("policy "+sub, e)
		fs.StringVar(&opts.PolicyFile, "policy", "", "cli.flag.policy.policy")
		switch sub {
		case "show", "diff":
			fs.BoolVar(&opts.JSON, "json", false, "cli.flag.json")
		case "check":
			fs.BoolVar(&opts.JSON, "json", false, "cli.flag.json")
			fs.StringVar(&opts.Tool, "tool", "", "cli.flag.policy.tool")
			fs.StringVar(&opts.DataClass, "data-class", "", "cli.flag.policy.data_class")
			fs.StringVar(&opts.Purpose, "purpose", "", "cli.flag.policy.purpose")
			fs.StringVar(&opts.Role, "role", "", "cli.flag.policy.role")
			fs.StringVar(&opts.Participant, "participant", "", "cli.flag.policy.participant")
		case "render":
			fs.StringVar(&opts.Variant, "variant", policy.Dienstanweisung, "cli.flag.policy.variant")
			fs.StringVar(&opts.Format, "format", "odt", "cli.flag.render_format")
			fs.StringVar(&opts.Out, "out", "", "cli.flag.out_signed")
		}
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		opts.Args = fs.Args()
		if sub != "diff" && len(opts.Args) > 0 {
			return usage("cli.usage.policy.no_args", map[string]any{"Sub": sub, "Arg": i18n.Escape(opts.Args[0])})
		}
		if sub == "diff" && len(opts.Args) > 2 {
			return usage("cli.usage.policy.diff.args", nil)
		}
		return runPolicy(ctx, opts, e)
	}
}

// loadAIPolicy finds the AI policy in force: the one IT's central policy
// file names, else the data dir's own, else the Muster. Refused files are
// returned in Problems, the policy in force stays usable.
func loadAIPolicy(e *env, centralFile string) (*policy.Loaded, error) {
	cp, err := check.LoadPolicy(centralFile)
	if err != nil {
		return nil, err
	}
	return policy.Load(e.dataDir, policy.Selection{ID: cp.KIPolicy, Version: cp.KIPolicyVersion, Source: cp.Source}), nil
}

// runPolicy does the work of `kicheck policy SUB`.
func runPolicy(ctx context.Context, opts policyOptions, e *env) error {
	w := e.stdout
	l, err := loadAIPolicy(e, opts.PolicyFile)
	if err != nil {
		return err
	}
	for _, p := range l.Problems {
		printPolicyProblem(e, p)
	}
	p := l.Policy
	switch opts.Sub {
	case "show":
		if opts.JSON {
			return writeJSON(w, struct {
				*policy.Policy
				Problems []string `json:"problems,omitempty"`
			}{p, errorStrings(l.Problems)})
		}
		printPolicy(w, e.lang, p)
		return nil
	case "check":
		return checkPolicyUse(ctx, opts, e, p)
	case "render":
		return renderPolicy(opts, e, p)
	case "diff":
		return diffPolicies(opts, e, l)
	}
	return nil
}

// printPolicyProblem prints a refused policy file as a warning (the policy
// in force stays usable).
func printPolicyProblem(e *env, err error) {
	msg := i18n.T(e.lang, "policy.show.problem", map[string]any{"Detail": errText{err}.Text(e.lang)})
	fmt.Fprintln(e.stderr, "warning: "+policy.Printable(msg))
	if hint := hintOf(err, e.lang); hint != "" {
		fmt.Fprintf(e.stderr, "hint: %s\n", hint)
	}
}

func errorStrings(errs []error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func policySource(lang string, p *policy.Policy) string {
	if p.Packaged {
		return i18n.T(lang, "policy.show.muster")
	}
	return p.Source
}

// printPolicy writes the policy in force as text: its name, the tools, the
// matrix, the roles and the KI-Pass.
func printPolicy(w io.Writer, lang string, p *policy.Policy) {
	pr := policy.Printable
	fmt.Fprintln(w, pr(i18n.T(lang, "policy.show.header", map[string]any{"ID": p.ID, "Version": p.Version, "Stand": p.Stand, "Source": policySource(lang, p)})))
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\n", i18n.T(lang, "policy.doc.col.tool"), "id", i18n.T(lang, "policy.doc.col.class"))
	for _, t := range p.Tools {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", pr(t.Name), pr(t.ID), policy.ToolClassLabel(lang, t.Class()))
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprint(tw, i18n.T(lang, "policy.doc.col.class"))
	for _, dc := range dataclass.All {
		fmt.Fprintf(tw, "\t%s", dc)
	}
	fmt.Fprintln(tw)
	for _, tc := range policy.ToolClasses {
		fmt.Fprint(tw, tc)
		for _, dc := range dataclass.All {
			d, _, _ := p.Cell(tc, dc)
			fmt.Fprintf(tw, "\t%s", policy.DecisionLabel(lang, d))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", i18n.T(lang, "common.role"), i18n.T(lang, "policy.doc.col.tools"), i18n.T(lang, "common.quiz"), i18n.T(lang, "policy.doc.col.training"))
	for _, k := range p.KIPass {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.Role, pr(strings.Join(k.Tools, ", ")), pr(strings.Join(k.Quizzes, ", ")), pr(strings.Join(k.Training, ", ")))
	}
	tw.Flush()
}

// policyCheckJSON is the stable output of `kicheck policy check --json`.
type policyCheckJSON struct {
	policy.Decision
	Allowed bool               `json:"allowed"`
	Pass    *policy.PassStatus `json:"ki_pass,omitempty"`
}

// checkPolicyUse is `kicheck policy check`: may the tool be used with the
// data class (and, with --role, has the person the KI-Pass)?
func checkPolicyUse(ctx context.Context, opts policyOptions, e *env, p *policy.Policy) error {
	w := e.stdout
	if opts.Tool == "" || opts.DataClass == "" {
		return usage("cli.usage.policy.check.needs", nil)
	}
	dc, err := dataclass.Parse(opts.DataClass)
	if err != nil {
		return usage("cli.usage.policy.data_class", map[string]any{"Value": i18n.Escape(opts.DataClass), "Valid": strings.Join(dataclass.IDs(), ", ")})
	}
	d, err := p.Check(opts.Tool, dc, opts.Purpose)
	if err != nil {
		return err
	}
	out := policyCheckJSON{Decision: d, Allowed: d.Allowed()}
	if opts.Role != "" {
		if !slices.Contains(quiz.Roles, quiz.Role(opts.Role)) {
			return usage("cli.usage.staff_role", map[string]any{"Role": i18n.Escape(opts.Role)})
		}
		var results []policy.QuizResult
		if opts.Participant != "" {
			db, err := e.openDB(ctx, quiz.Schema)
			if err != nil {
				return err
			}
			results, err = policy.QuizResultsOf(ctx, db, opts.Participant)
			db.Close()
			if err != nil {
				return err
			}
		}
		st, err := p.Pass(opts.Role, opts.Tool, results)
		if err != nil {
			return err
		}
		out.Pass = &st
	}
	if opts.JSON {
		if err := writeJSON(w, out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, policy.Printable(d.Summary().Text(e.lang)))
		if len(d.Conditions) > 0 {
			fmt.Fprintln(w, policy.Printable(i18n.T(e.lang, "policy.conditions", map[string]any{"List": strings.Join(d.Conditions, " ")})))
		}
		if out.Pass != nil {
			printPass(w, e.lang, p, *out.Pass)
		}
	}
	if !d.Allowed() {
		return &exitError{code: exitPolicyForbidden}
	}
	return nil
}

func printPass(w io.Writer, lang string, p *policy.Policy, st policy.PassStatus) {
	name := st.Tool
	if t, ok := p.Tool(st.Tool); ok {
		name = policy.Named(t.Name, t.ID).Text(lang)
	}
	data := map[string]any{"Role": policy.StaffRoleLabel(lang, st.Role), "Tool": name, "Quizzes": strings.Join(st.Missing, ", ")}
	if st.Ready {
		fmt.Fprintln(w, policy.Printable(i18n.T(lang, "policy.pass.ready", data)))
	} else {
		fmt.Fprintln(w, policy.Printable(i18n.T(lang, "policy.pass.missing", data)))
	}
	if len(st.Training) > 0 {
		fmt.Fprintln(w, policy.Printable(i18n.T(lang, "policy.pass.training", map[string]any{"Modules": strings.Join(st.Training, ", ")})))
	}
}

// renderPolicy is `kicheck policy render`: the policy as a signed document.
func renderPolicy(opts policyOptions, e *env, p *policy.Policy) error {
	w := e.stdout
	if opts.Out == "" {
		return usage("cli.usage.policy.render.out", nil)
	}
	variant, err := policy.ParseVariant(opts.Variant)
	if err != nil {
		return usage("cli.usage.policy.variant", map[string]any{"Value": i18n.Escape(opts.Variant), "Valid": strings.Join(policy.Variants, ", ")})
	}
	format, err := parseDocumentFormat(opts.Format)
	if err != nil {
		return err
	}
	d, err := p.Render(variant, e.lang, "KI-Check "+buildinfo.Get().Version)
	if err != nil {
		return err
	}
	return exportDocument(e, d, format, opts.Out, w)
}

// parseDocumentFormat reads --format of a rendered document (policy,
// strategy); an unknown one is a usage error.
func parseDocumentFormat(s string) (document.Format, error) {
	f, err := document.ParseFormat(s)
	if err != nil {
		return "", usage("cli.usage.document.format", map[string]any{"Value": i18n.Escape(s)})
	}
	return f, nil
}

// exportDocument renders d, writes it atomically to out and signs it with
// this installation's key (out.sig), like a report.
func exportDocument(e *env, d *document.Document, format document.Format, out string, w io.Writer) error {
	b, err := d.Render(format)
	if err != nil {
		return err
	}
	key, err := signing.Load(e.dataDir)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	written, err := document.Export(abs, b, key)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, i18n.T(e.lang, "policy.written", map[string]any{"File": written.File, "Sig": written.Sig}))
	return nil
}

// diffPolicies is `kicheck policy diff`: the changes from one policy to
// another.
func diffPolicies(opts policyOptions, e *env, l *policy.Loaded) error {
	w := e.stdout
	a, b := policy.Muster(), l.Policy
	readFile := func(path string) (*policy.Policy, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, i18n.NewError("cli.policy.read", "cli.policy.read_hint", map[string]any{"File": i18n.Escape(path), "Detail": err.Error()}, err)
		}
		p, errs := policy.Parse(path, data)
		if errs != nil {
			return nil, &policy.FileError{Errs: errs}
		}
		return p, nil
	}
	var err error
	switch len(opts.Args) {
	case 1:
		if b, err = readFile(opts.Args[0]); err != nil {
			return err
		}
	case 2:
		if a, err = readFile(opts.Args[0]); err != nil {
			return err
		}
		if b, err = readFile(opts.Args[1]); err != nil {
			return err
		}
	}
	changes := policy.Diff(a, b)
	if opts.JSON {
		return writeJSON(w, struct {
			From    policy.Ref      `json:"from"`
			To      policy.Ref      `json:"to"`
			Changes []policy.Change `json:"changes"`
		}{a.Ref(), b.Ref(), append([]policy.Change{}, changes...)})
	}
	name := func(p *policy.Policy) string { return policy.Printable(p.ID + " " + p.Version) }
	if len(changes) == 0 {
		fmt.Fprintln(w, i18n.T(e.lang, "policy.diff.none"))
		return nil
	}
	fmt.Fprintln(w, i18n.T(e.lang, "policy.diff.header", map[string]any{"A": name(a), "B": name(b), "N": len(changes)}))
	for _, c := range changes {
		line := fmt.Sprintf("  %s %s %s", i18n.T(e.lang, "policy.diff."+c.Change), i18n.T(e.lang, "policy.kind."+c.Kind), c.ID)
		if len(c.Fields) > 0 {
			line += " (" + strings.Join(c.Fields, ", ") + ")"
		}
		fmt.Fprintln(w, policy.Printable(line))
		if c.Old != "" || c.New != "" {
			fmt.Fprintln(w, "    - "+policy.Printable(c.Old))
			fmt.Fprintln(w, "    + "+policy.Printable(c.New))
		}
	}
	return nil
}

// hintOf is the first hint in err's chain, in lang where the error
// renders itself; "" when there is none.
func hintOf(err error, lang string) string {
	for x := err; x != nil; x = errors.Unwrap(x) {
		if l, ok := x.(i18n.Localizer); ok {
			if _, h := l.Localize(lang); h != "" {
				return h
			}
			continue
		}
		if h, ok := x.(hinter); ok && h.Hint() != "" {
			return h.Hint()
		}
	}
	return ""
}
