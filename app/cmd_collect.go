package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// exitCollectRejected: the intake ran, but some files were rejected.
var exitCollectRejected = newExitCode(7, "collect: some files were rejected (the valid ones are stored)")

func init() {
	register(&command{name: "collect", summary: "verify reports from folders or ZIP files and store them in a central database (collect --db FILE [--allowed-signers FILE | --enroll] PATH...)", run: collectCmd})
}

// collectOptions are the flags of `kicheck collect`.
type collectOptions struct {
	DB             string
	DBFlags        centralDBFlags
	AllowedSigners string
	Enroll         bool
	JSON           bool
	Aggregates     bool // the paths are municipalities' summaries for a Land database (cmd_collect_aggregates.go)
	Paths          []string
	Lang           string // of the messages, also in --json
}

// collectCmd parses the flags of `kicheck collect` and runs runCollect
// (or, with --aggregates, runCollectAggregates).
func collectCmd(ctx context.Context, e *env, args []string) error {
	var opts collectOptions
	fs := newFlagSet("collect", e.stderr)
	fs.StringVar(&opts.DB, "db", "", "central database: a `file` (SQLite, created if missing) or postgres://USER@HOST/DB")
	opts.DBFlags.add(fs)
	fs.StringVar(&opts.AllowedSigners, "allowed-signers", "", "OpenSSH allowed_signers `file` of trusted device keys")
	fs.BoolVar(&opts.Enroll, "enroll", false, "trust the first key seen per device id (trust on first use)")
	fs.BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	fs.BoolVar(&opts.Aggregates, "aggregates", false, "the paths are municipalities' signed summaries (kicheck fleet --export-aggregate) for a Land database; needs --allowed-signers with each municipality's AGS as principal")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: kicheck collect --db FILE|postgres://USER@HOST/DB [--db-password-file FILE] [--allowed-signers FILE | --enroll] [--json] PATH...")
		fmt.Fprintln(e.stderr, "       kicheck collect --aggregates --db LAND.db|postgres://USER@HOST/DB --allowed-signers FILE [--json] FILE|FOLDER...")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opts.Paths = fs.Args()
	if opts.DB == "" {
		return usage("cli.usage.collect.db", nil)
	}
	if len(opts.Paths) == 0 {
		return usage("cli.usage.collect.paths", nil)
	}
	if opts.Enroll && opts.AllowedSigners != "" {
		return usage("cli.usage.signers_or_enroll", nil)
	}
	opts.Lang = e.lang
	if opts.Aggregates {
		if opts.Enroll {
			return usage("cli.usage.collect.aggregates_enroll", nil)
		}
		if opts.AllowedSigners == "" {
			return usage("cli.usage.collect.aggregates_signers", nil)
		}
		return runCollectAggregates(ctx, opts, e)
	}
	defer intakeGC()()
	return runCollect(ctx, opts, e)
}

// intakeGC sets collect.IntakeGCPercent and collect.IntakeMemoryLimit for
// an intake command, unless the person running it chose them with GOGC
// or GOMEMLIMIT; it returns the function that restores the previous
// settings.
func intakeGC() (restore func()) {
	oldGC, oldLimit := int(-2), int64(-1)
	if os.Getenv("GOGC") == "" {
		oldGC = debug.SetGCPercent(collect.IntakeGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		oldLimit = debug.SetMemoryLimit(collect.IntakeMemoryLimit)
	}
	return func() {
		if oldGC != -2 {
			debug.SetGCPercent(oldGC)
		}
		if oldLimit >= 0 {
			debug.SetMemoryLimit(oldLimit)
		}
	}
}

// runCollect verifies the reports under opts.Paths and stores the valid
// ones in the central database.
func runCollect(ctx context.Context, opts collectOptions, e *env) error {
	w := e.stdout
	trust, err := collect.NewTrust(opts.AllowedSigners, opts.Enroll)
	if err != nil {
		return signersError(opts.AllowedSigners, err)
	}
	db, err := opts.DBFlags.open(ctx, opts.DB, opts.Lang)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := collect.Collect(ctx, db, trust, opts.Paths, collect.Options{})
	if err != nil {
		return err
	}
	sum = sum.Localize(opts.Lang)
	if opts.JSON {
		if err := writeJSON(w, sum); err != nil {
			return err
		}
	} else {
		// File names and reasons come from the share: a name with an
		// escape sequence or a line break is printed escaped, so it
		// cannot draw on the terminal or fake a line.
		for _, f := range sum.Files {
			fmt.Fprintf(w, "%s: %s: %s\n", i18n.Escape(f.Source), f.Outcome.Text(opts.Lang), i18n.Escape(f.Message))
		}
		fmt.Fprintln(w, sum.Line(opts.Lang))
	}
	if sum.Rejected > 0 {
		return &exitError{code: exitCollectRejected, err: i18n.NewError("intake.files_rejected", "",
			map[string]any{"Rejected": sum.Rejected, "Total": sum.Accepted + sum.Duplicate + sum.Rejected}, nil)}
	}
	return nil
}

// centralDBFlags are the flags of the central database shared by
// collect, serve and fleet: only PostgreSQL reads them. The password is
// never a flag (a command line is visible in the process list): a file,
// or PGPASSWORD / ~/.pgpass as libpq reads them.
type centralDBFlags struct {
	PasswordFile     string
	MaxConns         int
	StatementTimeout time.Duration
	ConnectTimeout   time.Duration
}

func (f *centralDBFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.PasswordFile, "db-password-file", "", "PostgreSQL: read the password from this `file` (first line); else PGPASSWORD or ~/.pgpass")
	fs.IntVar(&f.MaxConns, "db-max-conns", collect.DefaultMaxConns, "PostgreSQL: most connections this process opens")
	fs.DurationVar(&f.StatementTimeout, "db-statement-timeout", collect.DefaultStatementTimeout, "PostgreSQL: end a statement that runs longer than this")
	fs.DurationVar(&f.ConnectTimeout, "db-connect-timeout", collect.DefaultConnectTimeout, "PostgreSQL: give up a connection attempt after this")
}

// open opens the central database named by --db.
func (f centralDBFlags) open(ctx context.Context, db, lang string) (collect.Store, error) {
	if f.MaxConns < 1 || f.StatementTimeout <= 0 || f.ConnectTimeout <= 0 {
		return nil, usage("cli.usage.db_flags", nil)
	}
	s, err := collect.Open(ctx, collect.OpenOptions{DB: db, Postgres: collect.PostgresOptions{PasswordFile: f.PasswordFile,
		MaxConns: f.MaxConns, StatementTimeout: f.StatementTimeout, ConnectTimeout: f.ConnectTimeout, Lang: lang}})
	if err != nil {
		return nil, localizedError(err)
	}
	return s, nil
}
