package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/i18n"
	reports "github.com/ki-reise/kicheck/internal/report"
)

// Exit codes of kicheck check: the PC's overall verdict (0 ready; 1 an
// error or no verdict, the report is still written).
var (
	exitCheckLimited  = newExitCode(10, "check: limited (eingeschränkt)")
	exitCheckNotReady = newExitCode(20, "check: not ready (nicht bereit)\ncheck: 0 = ready; 1 = error or no verdict (the report is still written)")
)

func init() {
	register(&command{name: "check", summary: "run the whole readiness check and write the signed report and PDF (for rollout: --headless)", run: checkCmd})
}

// checkOptions are the flags of `kicheck check`.
type checkOptions struct {
	Headless        bool
	OutDir          string
	Policy          string
	Upload          string
	UploadTokenFile string
	Timeout         time.Duration
	JSON            bool
	// Quiz are quiz sessions whose results the trainer includes.
	Quiz stringList
}

// checkCmd parses the flags of `kicheck check` and runs runCheck.
func checkCmd(ctx context.Context, e *env, args []string) error {
	var opts checkOptions
	fs := newFlagSet("check", e.stderr)
	fs.BoolVar(&opts.Headless, "headless", false, "run without a window or prompt (the check command never opens one; rollout scripts pass it to say so)")
	fs.StringVar(&opts.OutDir, "out", "", "`folder` for the exported report (default: the user's Documents folder)")
	fs.StringVar(&opts.Policy, "policy", "", "IT policy `file` (YAML/JSON; default: "+check.SystemPolicyPath()+" if present)")
	fs.StringVar(&opts.Upload, "upload", "", "`URL` of the central collection (kicheck serve); default: upload_url of the policy")
	fs.StringVar(&opts.UploadTokenFile, "upload-token-file", "", "`file` holding the upload token of the organisational unit (default: $KICHECK_UPLOAD_TOKEN)")
	fs.DurationVar(&opts.Timeout, "timeout", 15*time.Minute, "stop the check after this `duration`; what was measured is still reported")
	fs.BoolVar(&opts.JSON, "json", false, "print the result as JSON instead of the German summary")
	fs.Var(&opts.Quiz, "quiz", "include the results of this quiz `session` in aggregate (trainers; repeatable; never per participant)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "check", "Arg": i18n.Escape(fs.Arg(0))})
	}
	if opts.Timeout <= 0 {
		return usage("cli.usage.timeout", map[string]any{"Timeout": opts.Timeout.String()})
	}
	if opts.Upload != "" && !strings.HasPrefix(opts.Upload, "https://") && !strings.HasPrefix(opts.Upload, "http://") {
		return usage("cli.usage.check.upload", map[string]any{"URL": i18n.Escape(opts.Upload)})
	}
	return runCheck(ctx, opts, e)
}

// checkJSON is the output of `kicheck check --json`.
type checkJSON struct {
	Overall  string        `json:"overall"`
	Status   string        `json:"status"`
	DeviceID string        `json:"device_id"`
	ReportID string        `json:"report_id"`
	Stored   reports.Files `json:"stored"`
	Exported reports.Files `json:"exported"`
	Summary  string        `json:"summary"`
	Seconds  float64       `json:"seconds"`
	Upload   *uploadJSON   `json:"upload,omitempty"`
}

// runCheck runs the whole check, writes the report and prints the
// summary; the error (or exit code) is the verdict.
func runCheck(ctx context.Context, opts checkOptions, e *env) error {
	w := e.stdout
	policy, err := check.LoadPolicy(opts.Policy)
	var pe *check.PolicyError
	if errors.As(err, &pe) {
		return i18n.NewError("cli.check.policy", "cli.check.policy.hint", map[string]any{"File": i18n.Escape(pe.Path), "Detail": errText{pe.Err}}, err)
	}
	if err != nil {
		return err
	}
	if opts.Upload == "" {
		opts.Upload = policy.UploadURL
	}
	out := opts.OutDir
	if out == "" {
		if out, err = reports.DocumentsDir(); err != nil {
			return err
		}
	}
	// A database that cannot be opened (a full drive) costs the record,
	// not the report: the check runs without it, writes the report to
	// --out, and ends with the error (exit 1), as `help` promises.
	db, dbErr := e.openDB(ctx, allSchemas()...)
	if dbErr == nil {
		defer db.Close()
	} else if len(opts.Quiz) > 0 {
		return dbErr // the quiz results are in the database
	} else {
		warn(e.stderr, e.lang, i18n.NewError("cli.check.no_db", "", map[string]any{"Detail": errText{dbErr}}, dbErr))
	}
	tctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	start := time.Now()
	res, runErr := check.Run(tctx, check.Options{DataDir: e.dataDir, DB: db, Policy: policy, OutDir: out, QuizSessions: opts.Quiz, Lang: e.lang}, nil)
	if res == nil {
		return errors.Join(runErr, dbErr)
	}
	var keepErr *check.KeepError
	if dbErr != nil && !errors.As(runErr, &keepErr) {
		runErr = &check.KeepError{Exported: res.Exported, DataDir: e.dataDir, Err: dbErr}
	}
	summary := check.Summary(res.Report, res.Exported, e.lang)
	var uploaded *uploadJSON
	if opts.Upload != "" {
		uploaded = uploadReport(ctx, e, opts, res.Data, res.Sig)
	}
	if opts.JSON {
		if err := writeJSON(w, checkJSON{Overall: res.Report.Summary.Overall, Status: res.Report.Status, DeviceID: res.Report.Device.DeviceID,
			ReportID: res.Report.ReportID, Stored: res.Stored, Exported: res.Exported, Summary: summary, Seconds: time.Since(start).Seconds(), Upload: uploaded}); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, summary)
	}
	if runErr != nil && !errors.Is(runErr, context.DeadlineExceeded) && !errors.Is(runErr, context.Canceled) {
		return runErr
	}
	if errors.Is(runErr, context.DeadlineExceeded) {
		warn(e.stderr, e.lang, i18n.NewError("cli.check.time_limit", "", map[string]any{"Timeout": opts.Timeout.String()}, nil))
	}
	switch res.Report.Summary.Overall {
	case reports.LevelReady:
		return nil
	case reports.LevelLimited:
		return &exitError{code: exitCheckLimited}
	case reports.LevelNotReady:
		return &exitError{code: exitCheckNotReady}
	}
	return &exitError{code: exitFailure, err: errNoVerdict}
}

var errNoVerdict = i18n.NewError("cli.check.no_verdict", "cli.check.no_verdict.hint", nil, nil)
