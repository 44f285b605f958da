package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/store"
)

// Exit codes shared by all subcommands. A command may define more of its
// own (kicheck check: 10 limited, 20 not ready); they are listed in
// `kicheck help` and the README.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
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

// env is what every command gets: where to write, where data lives.
type env struct {
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

// usageError marks wrong arguments (exit code 2).
func usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kicheck "+name, flag.ContinueOnError)
	fs.SetOutput(w)
	return fs
}

// parseFlags parses args and turns a flag error into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: exitUsage, err: err}
	}
	return nil
}

// Main runs kicheck with args and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
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
			return nil, usageError("--lang %q: use de or en", langFlag)
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
  0  success
  1  error (the message says what failed and what to do)
  2  usage error (unknown command or flag)
`+strings.Join(extraExitCodes, ""))
}

// extraExitCodes are lines commands add to the help text.
var extraExitCodes []string
