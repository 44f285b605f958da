package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"golang.org/x/time/rate"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "serve", summary: "receive reports over HTTP(S) into a central database (serve --db FILE|postgres://… --token-file FILE [--addr 127.0.0.1:8765] [--tls-cert FILE --tls-key FILE])", run: serveCmd})
}

// serveOptions are the flags of `kicheck serve`.
type serveOptions struct {
	DB             string
	DBFlags        centralDBFlags
	Addr           string
	TokenFile      string
	TLSCert        string
	TLSKey         string
	AllowedSigners string
	Enroll         bool
	Rate           float64
	Burst          int
	EnrollLimit    int
	Lang           string // of the log lines and, by default, of the answers' messages
}

// serveCmd parses the flags of `kicheck serve` and runs runServe.
func serveCmd(ctx context.Context, e *env, args []string) error {
	var opts serveOptions
	fs := newFlagSet("serve", e.stderr)
	fs.StringVar(&opts.DB, "db", "", "central database: a `file` (SQLite, created if missing) or postgres://USER@HOST/DB (several serve processes may share it)")
	opts.DBFlags.add(fs)
	fs.StringVar(&opts.Addr, "addr", "127.0.0.1:8765", "`address` to listen on")
	fs.StringVar(&opts.TokenFile, "token-file", "", "`file` with one line per organisational unit: TOKEN ORG UNIT")
	fs.StringVar(&opts.TLSCert, "tls-cert", "", "TLS certificate `file` (PEM); without it the server speaks plain HTTP")
	fs.StringVar(&opts.TLSKey, "tls-key", "", "TLS private key `file` (PEM)")
	fs.StringVar(&opts.AllowedSigners, "allowed-signers", "", "OpenSSH allowed_signers `file` of trusted device keys")
	fs.BoolVar(&opts.Enroll, "enroll", false, "trust the first key seen per device id (trust on first use)")
	fs.Float64Var(&opts.Rate, "rate", 20, "requests per second allowed per organisational unit (and per address for wrong tokens)")
	fs.IntVar(&opts.Burst, "burst", 40, "requests allowed at once above the rate")
	fs.IntVar(&opts.EnrollLimit, "enroll-limit", collect.DefaultEnrollLimit, "with --enroll: devices the tokens of one unit may enrol, unless its line in the token file says enroll=N or enroll=off; -1: no limit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usage("cli.usage.extra_argument", map[string]any{"Command": "serve", "Arg": i18n.Escape(fs.Arg(0))})
	case opts.DB == "":
		return usage("cli.usage.serve.db", nil)
	case opts.TokenFile == "":
		return usage("cli.usage.serve.token_file", nil)
	case (opts.TLSCert == "") != (opts.TLSKey == ""):
		return usage("cli.usage.serve.tls", nil)
	case opts.Enroll && opts.AllowedSigners != "":
		return usage("cli.usage.signers_or_enroll", nil)
	case opts.Rate <= 0 || opts.Burst <= 0:
		return usage("cli.usage.serve.rate", nil)
	case opts.EnrollLimit < -1:
		return usage("cli.usage.serve.enroll_limit", map[string]any{"N": opts.EnrollLimit})
	}
	opts.Lang = e.lang
	defer intakeGC()()
	return runServe(ctx, opts, e)
}

// runServe receives reports until ctx ends; it logs to e.stderr.
func runServe(ctx context.Context, opts serveOptions, e *env) error {
	stdout, stderr := e.stdout, e.stderr
	tokens, err := collect.ReadTokens(opts.TokenFile)
	var tfe *collect.TokenFileError
	if errors.As(err, &tfe) {
		return tfe.Localize(opts.Lang)
	}
	if err != nil {
		cause := errors.Unwrap(err) // without collect's English "token file: "
		if cause == nil {
			cause = err
		}
		return i18n.NewError("cli.serve.token_file", "cli.serve.token_file.hint", map[string]any{"File": i18n.Escape(opts.TokenFile), "Detail": errText{cause}}, err)
	}
	if tokens.WorldReadable {
		fmt.Fprintln(stderr, i18n.T(opts.Lang, "serve.tokens.world_readable", map[string]any{"Path": i18n.Escape(opts.TokenFile)}))
	}
	trust, err := collect.NewTrust(opts.AllowedSigners, opts.Enroll)
	if err != nil {
		return signersError(opts.AllowedSigners, err)
	}
	// The certificate and key are loaded and the address bound before
	// the database is opened and anything is announced.
	ln, err := collect.Listen(opts.Addr, opts.TLSCert, opts.TLSKey)
	if err != nil {
		return err
	}
	defer ln.Close()
	db, err := opts.DBFlags.open(ctx, opts.DB, opts.Lang)
	if err != nil {
		return err
	}
	defer db.Close()
	logger := log.New(stderr, "kicheck serve: ", log.LstdFlags|log.LUTC)
	enrollLimit := opts.EnrollLimit
	if enrollLimit == 0 {
		enrollLimit = collect.EnrollNone // ServerOptions reads 0 as the default
	}
	h := collect.NewServer(collect.ServerOptions{Intake: collect.NewIntake(db, trust), Tokens: tokens,
		Rate: rate.Limit(opts.Rate), Burst: opts.Burst, Log: logger.Printf, Lang: opts.Lang, EnrollLimit: enrollLimit})
	scheme := "http"
	if opts.TLSCert != "" {
		scheme = "https"
	}
	fmt.Fprintln(stdout, i18n.T(opts.Lang, "serve.listening", map[string]any{"URL": fmt.Sprintf("%s://%s%s", scheme, ln.Addr(), collect.UploadPath)}))
	fmt.Fprintln(stdout, i18n.T(opts.Lang, "serve.database", map[string]any{"DB": i18n.Escape(db.Location()), "Kind": db.Kind()}))
	return collect.Serve(ctx, collect.HTTPServer(opts.Addr, h), ln)
}

// localizedError makes an error that renders itself (an i18n.Texter
// inside, such as a *textfile.Error) an i18n.Localizer, so it is rendered
// late in the reader's language; errors.Is and errors.As still reach it.
func localizedError(err error) error {
	var l i18n.Localizer
	if errors.As(err, &l) {
		return err // renders itself, hint included
	}
	var t i18n.Texter
	if errors.As(err, &t) {
		return &texterError{err: err}
	}
	return err
}

// texterError is an error with an i18n.Texter in its chain, rendered in
// the reader's language (with its hint, when it has one).
type texterError struct{ err error }

func (e *texterError) Error() string { return e.err.Error() }
func (e *texterError) Unwrap() error { return e.err }

// Localize renders the error's text in lang.
func (e *texterError) Localize(lang string) (msg, hint string) {
	var t i18n.Texter
	errors.As(e.err, &t)
	var h hinter
	if errors.As(e.err, &h) {
		hint = h.Hint()
	}
	return t.Text(lang), hint
}
