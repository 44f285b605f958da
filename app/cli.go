package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/store"
)

// exitCode is one exit code of kicheck and what it means, as `kicheck
// help` lists it.
type exitCode struct {
	code int
	text string
}

// exitCodes are all exit codes, registered with newExitCode.
var exitCodes []exitCode

// newExitCode registers an exit code with its text and returns it: each
// code is declared once, next to its meaning (a command declares its own
// in its file: var exitCollectRejected = newExitCode(7, "collect: …")).
// A code registered twice is a programming error.
func newExitCode(code int, text string) int {
	for _, c := range exitCodes {
		if c.code == code {
			panic(fmt.Sprintf("exit code %d registered twice: %q and %q", code, c.text, text))
		}
	}
	exitCodes = append(exitCodes, exitCode{code, text})
	return code
}

// Exit codes shared by all subcommands; the README lists them all.
var (
	exitOK      = newExitCode(0, "success")
	exitFailure = newExitCode(1, "error (the message says what failed and what to do)")
	exitUsage   = newExitCode(2, "usage error (unknown command or flag)")
)

// command is one kicheck subcommand. Each lives in its own cmd_*.go file
// and registers itself in init, so adding a capability touches no shared
// list. run parses its own flags into an options struct and hands that to a
// plain function that can be tested without the flag parser.
type command struct {
	name    string
	summary string // one line for `kicheck help`
	run     func(ctx context.Context, env *env, args []string) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("duplicate command " + c.name)
	}
	commands[c.name] = c
}

// subcommands dispatches a command's subcommands (kicheck quiz import,
// kicheck hotspot score, …): the one way app does it. A subcommand is a
// command of its own (flags, options struct, run function) and adds itself
// in the init of its file, like the top-level commands.
type subcommands struct {
	parent string          // as typed after kicheck, e.g. "quiz" or "training offers"
	footer string          // the help's last line, e.g. where the formats are described
	help   func(io.Writer) // replaces the generated help where a command has a longer one
	list   []*command      // in the order they were added (the help's order)
}

// add registers a subcommand; a name added twice is a programming error.
func (s *subcommands) add(c *command) {
	if s.find(c.name) != nil {
		panic("duplicate subcommand " + s.parent + " " + c.name)
	}
	s.list = append(s.list, c)
}

func (s *subcommands) find(name string) *command {
	for _, c := range s.list {
		if c.name == name {
			return c
		}
	}
	return nil
}

// run runs the subcommand args[0] with the rest of args. Without one the
// help goes to standard error and it is a usage error; help, -h and
// --help print the help to standard output.
func (s *subcommands) run(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		s.printHelp(e.stderr)
		return usage("cli.usage.needs_subcommand", map[string]any{"Command": s.parent})
	}
	switch args[0] {
	case "help", "-h", "--help":
		s.printHelp(e.stdout)
		return nil
	}
	c := s.find(args[0])
	if c == nil {
		return usage("cli.usage.unknown_subcommand", map[string]any{"Sub": i18n.Escape(args[0]), "Command": s.parent})
	}
	return c.run(ctx, e, args[1:])
}

func (s *subcommands) printHelp(w io.Writer) {
	if s.help != nil {
		s.help(w)
		return
	}
	fmt.Fprintf(w, "Usage: kicheck %s SUBCOMMAND [flags]\n\nSubcommands:\n", s.parent)
	width := 0
	for _, c := range s.list {
		width = max(width, len(c.name))
	}
	for _, c := range s.list {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'kicheck %s SUBCOMMAND -h' for its flags.", s.parent)
	if s.footer != "" {
		fmt.Fprint(w, " "+s.footer)
	}
	fmt.Fprintln(w)
}

// env is what every command gets: where to read and write, where data
// lives.
type env struct {
	stdin          io.Reader // what the user types or pipes in (cloud key, quiz answers)
	stdout, stderr io.Writer
	loc            settings.Location
	settings       settings.Settings
	dataDir        string
	lang           string // language of human-readable output
}

// openDB opens the database in the data dir with the given components'
// schemas (the core schema is always applied).
func (e *env) openDB(ctx context.Context, schemas ...store.Schema) (*store.DB, error) {
	return store.Open(ctx, e.dbPath(), schemas...)
}

func (e *env) dbPath() string { return e.dataDir + string(os.PathSeparator) + store.FileName }

// exitError carries a command's own exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usage is a usage error (exit code 2, wrong arguments) with message id
// and its values, rendered in the user's language like every error
// (assets/lang/*.cli*.json hold the ids "cli.usage.…").
func usage(id string, data map[string]any) error {
	return &exitError{code: exitUsage, err: i18n.NewError(id, "", data, nil)}
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kicheck "+name, flag.ContinueOnError)
	fs.SetOutput(w)
	return fs
}

// parseFlags parses args and turns a flag error into a usage error. It is
// the one parser of every command: flags may come before or after the
// positional arguments (kicheck verify FILE --json, kicheck quiz import
// FILE --json); "--" ends the flags. Afterwards fs.Args() holds the
// positional arguments in their order.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return &exitError{code: exitUsage, err: err}
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			positional = append(positional, rest...) // after "--" nothing is a flag
			break
		}
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Parse once more so that fs.Args() returns the positional arguments;
	// the flags keep the values just set.
	return fs.Parse(append([]string{"--"}, positional...))
}

// writeJSON is how every command prints its --json output: indented by
// two spaces, one document, a newline at the end (the stable output the
// docs describe).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// stringList is the repeatable string flag (--quiz A --quiz B): each use
// adds one value; an empty value is a usage error.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("empty value")
	}
	*l = append(*l, v)
	return nil
}

// Main runs kicheck with args, reading standard input, and returns the
// exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return mainWith(ctx, args, os.Stdin, stdout, stderr)
}

// mainWith is Main with the input given (tests type into it).
func mainWith(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("kicheck", flag.ContinueOnError)
	global.SetOutput(stderr)
	dataDir := global.String("data-dir", "", "folder for the database, keys and reports (default: the user's config folder)")
	langFlag := global.String("lang", "", "language of messages: de or en (default: from the settings, else de)")
	global.Usage = func() { printHelp(stderr) }
	// --accessible stands for the command "accessible": the global flags
	// come before it, the command's own flags (--no-browser) after it.
	accessible, cmdArgs := false, []string(nil)
	for i, a := range args {
		if a == "--accessible" || a == "-accessible" {
			accessible, cmdArgs, args = true, args[i+1:], args[:i]
			break
		}
		if !strings.HasPrefix(a, "-") && (i == 0 || (args[i-1] != "--data-dir" && args[i-1] != "-data-dir" && args[i-1] != "--lang" && args[i-1] != "-lang")) {
			break // a command: its flags are its own
		}
	}
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	rest := global.Args()
	if accessible {
		rest = append([]string{"accessible"}, cmdArgs...)
	}

	e, err := newEnv(*dataDir, *langFlag, stdout, stderr)
	if e != nil {
		e.stdin = stdin
	}
	if err != nil {
		return report(stderr, err, *langFlag)
	}
	if len(rest) == 0 {
		return report(stderr, runGUI(ctx, e), e.lang)
	}
	name := rest[0]
	if name == "help" || name == "-h" || name == "--help" {
		printHelp(stdout)
		return exitOK
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "error: unknown command %q\nhint: run 'kicheck help' for the list of commands\n", name)
		return exitUsage
	}
	err = cmd.run(ctx, e, rest[1:])
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return report(stderr, err, e.lang)
}

func newEnv(dataDirFlag, langFlag string, stdout, stderr io.Writer) (*env, error) {
	loc, err := settings.Locate(dataDirFlag)
	if err != nil {
		return nil, err
	}
	s, err := settings.Load(loc)
	if err != nil {
		// A broken settings file must not stop the app; say so once.
		fmt.Fprintf(stderr, "warning: %v\n", err)
	}
	lang := s.Language
	if langFlag != "" {
		if langFlag != "de" && langFlag != "en" {
			return nil, usage("cli.usage.lang", map[string]any{"Lang": i18n.Escape(langFlag)})
		}
		lang = langFlag
	}
	return &env{stdout: stdout, stderr: stderr, loc: loc, settings: s, dataDir: loc.DataDir(s), lang: lang}, nil
}

// hinter is implemented by errors that know what the user can do.
type hinter interface{ Hint() string }

// report prints err as "error: …" plus "hint: …" and returns the exit code.
// An error that renders itself (i18n.Localizer, anywhere in its chain)
// speaks lang; any other is printed as it is.
func report(w io.Writer, err error, lang string) int {
	if err == nil {
		return exitOK
	}
	code := exitFailure
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	var l i18n.Localizer
	if errors.As(err, &l) {
		msg, hint := l.Localize(lang)
		if h := outerHint(err); h != "" {
			hint = h // a command's own hint, around the error, knows more
		}
		fmt.Fprintf(w, "error: %s\n", msg)
		if hint != "" {
			fmt.Fprintf(w, "hint: %s\n", hint)
		}
		return code
	}
	fmt.Fprintf(w, "error: %v\n", err)
	var h hinter
	if errors.As(err, &h) && h.Hint() != "" {
		fmt.Fprintf(w, "hint: %s\n", h.Hint())
	}
	return code
}

// outerHint is the hint of a hinter that wraps the first i18n.Localizer in
// err's chain ("" when there is none): an error with a hint of its own
// (Hint() only, not rendered per language) around a capability's error.
func outerHint(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if _, ok := e.(i18n.Localizer); ok {
			return ""
		}
		if h, ok := e.(hinter); ok && h.Hint() != "" {
			return h.Hint()
		}
	}
	return ""
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `KI-Check: is this PC ready for AI?

Usage:
  kicheck [--data-dir DIR] [--lang de|en]            open the window
  kicheck [--data-dir DIR] [--lang de|en] COMMAND [flags]
  kicheck [--data-dir DIR] [--lang de|en] --accessible  the accessible view in the browser

Commands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	fmt.Fprintf(w, "  %-*s  %s\n", width, "help", "show this list")
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprint(w, `
Run 'kicheck COMMAND -h' for a command's flags. Commands with --json print
stable, documented JSON on standard output (see docs/).

Exit codes:
`)
	codes := slices.Clone(exitCodes)
	slices.SortFunc(codes, func(a, b exitCode) int { return a.code - b.code })
	for _, c := range codes {
		fmt.Fprintf(w, "  %-2d %s\n", c.code, strings.ReplaceAll(c.text, "\n", "\n     "))
	}
}
