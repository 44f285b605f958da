package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
	reports "github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// Exit codes of kicheck verify, one per class of problem.
var (
	exitVerifySignature = newExitCode(3, "verify: signature missing, in the wrong format or invalid")
	exitVerifyUnknown   = newExitCode(4, "verify: unknown key (not trusted by --allowed-signers)")
	exitVerifyInvalid   = newExitCode(5, "verify: report invalid (not JSON, too large, schema violation, hash mismatch)")
	exitVerifyNewer     = newExitCode(6, "verify: report from a newer KI-Check")
)

func init() {
	register(&command{name: "verify", summary: "check a report's signature, schema and hashes (verify FILE [--allowed-signers FILE])", run: verifyCmd})
}

// verifyOptions are the flags of `kicheck verify`.
type verifyOptions struct {
	File           string
	AllowedSigners string
	JSON           bool
	Lang           string // of the message, also in --json
}

// verifyCmd parses `kicheck verify [flags] FILE` and runs runVerify.
func verifyCmd(ctx context.Context, e *env, args []string) error {
	var opts verifyOptions
	fs := newFlagSet("verify", e.stderr)
	fs.StringVar(&opts.AllowedSigners, "allowed-signers", "", "OpenSSH allowed_signers `file` that must trust the signing key")
	fs.BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: kicheck verify [--allowed-signers FILE] [--json] NAME.json")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage("cli.usage.verify.file", map[string]any{"N": fs.NArg()})
	}
	opts.File = fs.Arg(0)
	opts.Lang = e.lang
	return runVerify(ctx, opts, e)
}

// verifyJSON is the output of `kicheck verify --json`.
type verifyJSON struct {
	File string `json:"file"`
	reports.Result
}

// runVerify checks one report and its signature; the exit code says what
// is wrong with it.
func runVerify(_ context.Context, opts verifyOptions, e *env) error {
	w := e.stdout
	path := strings.TrimSuffix(opts.File, ".sig")
	var vo reports.VerifyOptions
	if opts.AllowedSigners != "" {
		a, err := signing.ReadAllowedSigners(opts.AllowedSigners)
		if err != nil {
			return signersError(opts.AllowedSigners, err)
		}
		vo.AllowedSigners = a
	}
	data, sig, err := reports.ReadFiles(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return i18n.NewError("cli.verify.missing", "cli.verify.missing.hint", map[string]any{"Path": i18n.Escape(path), "Detail": errText{err}}, err)
		}
		return i18n.NewError("cli.verify.read", "", map[string]any{"Path": i18n.Escape(path), "Detail": errText{err}}, err)
	}
	res := reports.Verify(data, sig, vo).Localize(opts.Lang)
	if opts.JSON {
		if err := writeJSON(w, verifyJSON{File: path, Result: res}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(w, "%s: %s\n", i18n.Escape(path), i18n.Escape(res.Message))
	}
	if res.Valid {
		return nil
	}
	return &exitError{code: verifyExitCode(res.Problem)}
}

func verifyExitCode(p reports.Problem) int {
	switch p {
	case reports.ProblemSignatureMissing, reports.ProblemSignatureFormat, reports.ProblemSignatureInvalid:
		return exitVerifySignature
	case reports.ProblemUnknownKey:
		return exitVerifyUnknown
	case reports.ProblemNewerVersion:
		return exitVerifyNewer
	default:
		return exitVerifyInvalid
	}
}
