package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	register(&command{name: "verify", summary: "check a report's signature, schema and hashes (verify FILE [--allowed-signers FILE])", run: runVerifyCmd})
}

type verifyOptions struct {
	File           string
	AllowedSigners string
	JSON           bool
	Lang           string // of the message, also in --json
}

func runVerifyCmd(ctx context.Context, e *env, args []string) error {
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
		return usageError("verify needs exactly one report file (NAME.json; NAME.json.sig must be beside it)")
	}
	opts.File = fs.Arg(0)
	opts.Lang = e.lang
	return runVerify(opts, e.stdout)
}

// verifyJSON is the output of `kicheck verify --json`.
type verifyJSON struct {
	File string `json:"file"`
	reports.Result
}

func runVerify(opts verifyOptions, w io.Writer) error {
	path := strings.TrimSuffix(opts.File, ".sig")
	var vo reports.VerifyOptions
	if opts.AllowedSigners != "" {
		a, err := signing.ReadAllowedSigners(opts.AllowedSigners)
		if err != nil {
			return localizedError(err, opts.Lang)
		}
		vo.AllowedSigners = a
	}
	data, sig, err := reports.ReadFiles(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: %w", i18n.T(opts.Lang, "verify.report", map[string]any{"Path": i18n.Escape(path)}), err)
		}
		return fmt.Errorf("%s: %w", i18n.T(opts.Lang, "verify.read"), localizedError(err, opts.Lang))
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
