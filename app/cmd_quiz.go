package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/store"
)

// `kicheck quiz SUBCOMMAND`: the question bank (import, export, list here)
// and whatever is built on it. A subcommand lives in its own file and adds
// itself to quizCmds in init, like the top-level commands.

// quizCmds are the subcommands of kicheck quiz.
var quizCmds = &subcommands{parent: "quiz", footer: "Formats: docs/quiz-format.md."}

func init() {
	register(&command{name: "quiz", summary: "question bank: import/export GIFT, Moodle XML and YAML quizzes ('kicheck quiz help')", run: quizCmds.run})
	quizCmds.add(&command{name: "import", summary: "read a GIFT, Moodle XML or YAML file; store it in the bank or print it (--json)", run: runQuizImportCmd})
	quizCmds.add(&command{name: "export", summary: "write the bank as GIFT, Moodle XML or YAML", run: runQuizExportCmd})
	quizCmds.add(&command{name: "list", summary: "list the question bundles in the bank", run: runQuizListCmd})
}

// --- import ---

type quizImportOptions struct {
	File      string
	Format    string // gift, xml, yaml; "" = from the file name
	JSON      bool   // print the questions, store nothing
	ValidOnly bool   // import the valid questions of a file with errors
	Bundle    string // bundle id for GIFT/XML (default: file name)
	Version   string // bundle version for GIFT/XML (default: content hash)
	Title     string
	Lang      string // language of messages (de, en)
}

func runQuizImportCmd(ctx context.Context, e *env, args []string) error {
	var opts quizImportOptions
	fs := newFlagSet("quiz import", e.stderr)
	fs.StringVar(&opts.Format, "format", "", "gift, xml or yaml (default: from the file extension; .txt is GIFT)")
	fs.BoolVar(&opts.JSON, "json", false, "print the parsed questions as JSON and store nothing")
	fs.BoolVar(&opts.ValidOnly, "valid-only", false, "if the file has errors, import (or print) the valid questions anyway")
	fs.StringVar(&opts.Bundle, "bundle", "", "bundle id (GIFT/XML default: from the file name; overrides a YAML file's id)")
	fs.StringVar(&opts.Version, "version", "", "bundle version (GIFT/XML default: a hash of the questions; overrides a YAML file's version)")
	fs.StringVar(&opts.Title, "title", "", "bundle title (GIFT/XML default: the file name; overrides a YAML file's title)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: kicheck quiz import FILE [--json] [--valid-only] [--bundle ID] [--version V]\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage("cli.usage.quiz.import.file", map[string]any{"N": fs.NArg()})
	}
	opts.File = fs.Arg(0)
	opts.Lang = e.lang
	return runQuizImport(ctx, opts, e)
}

// questionFileFormat picks the reader for a file.
func questionFileFormat(file, format string) (string, error) {
	if format == "" {
		format = quiz.FormatFromName(file)
		if format == "" {
			return "", usage("cli.usage.quiz.import.format_unknown", map[string]any{"File": i18n.Escape(file)})
		}
	}
	switch format {
	case quiz.FormatGIFT, quiz.FormatXML, quiz.FormatYAML:
		return format, nil
	}
	return "", usage("cli.usage.quiz.format", map[string]any{"Format": i18n.Escape(format)})
}

// readQuestionFile reads a question file into a bundle of its valid
// questions, with every problem found.
func readQuestionFile(opts quizImportOptions) (*quiz.Bundle, string, bundle.Errors, error) {
	format, err := questionFileFormat(opts.File, opts.Format)
	if err != nil {
		return nil, "", nil, err
	}
	data, err := quiz.ReadFile(opts.File, format)
	var tooLarge bundle.Errors
	if errors.As(err, &tooLarge) {
		return nil, format, tooLarge, nil
	}
	if err != nil {
		return nil, format, nil, err
	}
	b, errs, err := quiz.ReadQuestions(opts.File, format, data, quiz.ReadOptions{Bundle: opts.Bundle, Version: opts.Version, Title: opts.Title})
	return b, format, errs, err
}

// runQuizImport reads the question file opts.File and stores it in the
// bank (with opts.JSON: prints it, stores nothing).
func runQuizImport(ctx context.Context, opts quizImportOptions, e *env) error {
	w, warn := e.stdout, e.stderr
	openDB := func(ctx context.Context) (*store.DB, error) { return e.openDB(ctx, quiz.Schema) }
	b, format, errs, err := readQuestionFile(opts)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		if !opts.ValidOnly || b == nil {
			// Nothing is stored or printed from a file with errors unless
			// the user asks for the valid part.
			return errs
		}
		fmt.Fprintf(warn, "warning: %s\n", i18n.T(opts.Lang, "quizbank.left_out", map[string]any{"Count": len(errs), "File": opts.File}))
		for _, e := range errs {
			msg, _ := e.Localize(opts.Lang)
			fmt.Fprintf(warn, "  %s\n", msg)
		}
	}
	if opts.JSON {
		qs := b.Questions
		if qs == nil {
			qs = []quiz.Question{}
		}
		return writeJSON(w, qs)
	}
	if len(b.Questions) == 0 {
		return i18n.NewError("quizbank.no_questions", "quizbank.no_questions_hint", map[string]any{"File": i18n.Escape(opts.File)}, nil)
	}
	db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	abs, _ := filepath.Abs(opts.File)
	sb, created, err := quiz.StoreBundle(ctx, db, b, abs, format)
	if err != nil {
		return err // a quiz.BankError renders itself in the reader's language
	}
	if !created {
		fmt.Fprintln(w, i18n.T(opts.Lang, "quizbank.unchanged", map[string]any{"Bundle": sb.ID, "Version": sb.Version, "Count": sb.Questions}))
		return nil
	}
	fmt.Fprintln(w, i18n.T(opts.Lang, "quizbank.imported", map[string]any{"Bundle": sb.ID, "Version": sb.Version, "Count": sb.Questions, "Types": typeCounts(sb.Types, opts.Lang)}))
	return nil
}

// typeCounts is "Single choice 2, True/false 1": each question type's
// name in lang with its count.
func typeCounts(m map[quiz.Type]int, lang string) string {
	var parts []string
	for _, t := range quiz.Types {
		if m[t] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t.Label(lang), m[t]))
		}
	}
	return strings.Join(parts, ", ")
}

// --- export ---

type quizExportOptions struct {
	Format  string
	Bundle  string
	Version string
	Out     string
}

func runQuizExportCmd(ctx context.Context, e *env, args []string) error {
	var opts quizExportOptions
	fs := newFlagSet("quiz export", e.stderr)
	fs.StringVar(&opts.Format, "format", "gift", "gift, xml (Moodle XML) or yaml (KI-Check bundle)")
	fs.StringVar(&opts.Bundle, "bundle", "", "export only this bundle (default: all; yaml needs one)")
	fs.StringVar(&opts.Version, "version", "", "export this version of --bundle (default: the newest)")
	fs.StringVar(&opts.Out, "out", "", "write to this file (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.quiz.export.args", map[string]any{"Arg": i18n.Escape(fs.Arg(0))})
	}
	if opts.Version != "" && opts.Bundle == "" {
		return usage("cli.usage.quiz.export.version", nil)
	}
	switch opts.Format {
	case "gift", "xml", "yaml":
	default:
		return usage("cli.usage.quiz.format", map[string]any{"Format": i18n.Escape(opts.Format)})
	}
	return runQuizExport(ctx, opts, e)
}

// runQuizExport writes the bank (or one bundle) in opts.Format.
func runQuizExport(ctx context.Context, opts quizExportOptions, e *env) error {
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	w := e.stdout
	var bundles []*quiz.Bundle
	var stored []quiz.StoredBundle
	switch {
	case opts.Bundle != "" && opts.Version != "":
		all, err := quiz.ListBundles(ctx, db)
		if err != nil {
			return err
		}
		for _, sb := range all {
			if sb.ID == opts.Bundle && sb.Version == opts.Version {
				stored = append(stored, sb)
			}
		}
		if len(stored) == 0 {
			return i18n.NewError("quizcli.version_not_found", "quizcli.version_not_found.hint", map[string]any{"Bundle": opts.Bundle, "Version": opts.Version}, quiz.ErrBundleNotFound)
		}
	case opts.Bundle != "":
		sb, err := quiz.CurrentBundle(ctx, db, opts.Bundle)
		if err != nil {
			return err
		}
		stored = append(stored, sb)
	default:
		all, err := quiz.CurrentBundles(ctx, db)
		if err != nil {
			return err
		}
		stored = all
	}
	if len(stored) == 0 {
		return i18n.NewError("quizcli.bank_empty", "quizcli.bank_empty.hint", nil, nil)
	}
	if opts.Format == "yaml" && len(stored) > 1 {
		ids := make([]string, len(stored))
		for i, sb := range stored {
			ids[i] = sb.ID
		}
		return usage("cli.usage.quiz.export.yaml_one", map[string]any{"Bundles": strings.Join(ids, ", ")})
	}
	for _, sb := range stored {
		b, err := quiz.LoadBundle(ctx, db, sb)
		if err != nil {
			return err
		}
		bundles = append(bundles, b)
	}

	var buf bytes.Buffer
	switch opts.Format {
	case "yaml":
		err = quiz.WriteBundle(&buf, bundles[0])
	case "gift", "xml":
		var qs []quiz.Question
		for _, b := range bundles {
			qs = append(qs, b.Questions...)
		}
		if opts.Format == "gift" {
			err = quiz.WriteGIFT(&buf, qs)
		} else {
			err = quiz.WriteMoodleXML(&buf, qs)
		}
	}
	if err != nil {
		return err
	}
	if opts.Out == "" {
		_, err = w.Write(buf.Bytes())
		return err
	}
	if err := atomicfile.Write(opts.Out, buf.Bytes(), 0o644); err != nil {
		return writeFileError(opts.Out, err)
	}
	return nil
}

// --- list ---

type quizListOptions struct {
	JSON bool
	All  bool
	Lang string // of the messages
}

func runQuizListCmd(ctx context.Context, e *env, args []string) error {
	var opts quizListOptions
	fs := newFlagSet("quiz list", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	fs.BoolVar(&opts.All, "all", false, "list every imported version, not only the newest")
	opts.Lang = e.lang
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.quiz.no_args", map[string]any{"Sub": "list", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runQuizList(ctx, opts, e)
}

// runQuizList prints the bundles in the bank.
func runQuizList(ctx context.Context, opts quizListOptions, e *env) error {
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	w := e.stdout
	var list []quiz.StoredBundle
	if opts.All {
		list, err = quiz.ListBundles(ctx, db)
	} else {
		list, err = quiz.CurrentBundles(ctx, db)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		if list == nil {
			list = []quiz.StoredBundle{}
		}
		return writeJSON(w, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(w, i18n.T(opts.Lang, "quizcli.bank_empty_list"))
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T(opts.Lang, "cli.quiz.list_header"))
	for _, b := range list {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", b.ID, b.Version, b.Questions, b.Title, i18n.DateTime(opts.Lang, b.Imported.Local()), typeCounts(b.Types, opts.Lang))
	}
	return tw.Flush()
}
