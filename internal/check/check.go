package check

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// RunKind is the kind of the check's row in the runs table.
const RunKind = "check"

// Options configure one check.
type Options struct {
	DataDir string
	// DB, when set, records the run and the report (runs and reports
	// tables); nil skips the records (tests of the steps alone).
	DB     *store.DB
	Policy Policy
	// OutDir, when set, receives the exported report (JSON, signature,
	// PDF, HTML); the signed report is always kept in DataDir/reports.
	OutDir string
	// Now is the report's time; zero means the current time.
	Now time.Time
	// Probe sizes the probe step (zero value: the probe's defaults; tests
	// make it small).
	Probe probe.Options
	// RuntimeEndpoints are extra addresses of local AI runtimes to look
	// at besides the default ports (tests start Ollama on a free port).
	RuntimeEndpoints []string
	// InferenceRepeat is the measured repetitions per prompt of the
	// inference test (0: 2).
	InferenceRepeat int
	// QuizSessions are the quiz sessions whose results (in aggregate)
	// the trainer chose to include; none by default.
	QuizSessions []string
	// Lang is the language of the report's readable texts (the verdicts'
	// reasons, the exported PDF and HTML): "de" (default) or "en".
	Lang string
}

// Event tells the caller how far the check is.
type Event struct {
	Step  string // step name: inventory, probe, fit, inference, sign, export
	Index int    // 0-based index of the step
	Count int    // number of steps
	// Fraction is the share of the whole check done, 0..1.
	Fraction float64
	// Detail is the step's own progress text, if it has one.
	Detail string
}

// Progress receives events; it is called from the check's goroutine.
type Progress func(Event)

// Result is a finished check.
type Result struct {
	Report *report.Report
	Data   []byte // the signed bytes
	Sig    []byte
	// Stored is where the signed report is kept in the data dir.
	Stored report.Files
	// ReportID is the reports table's row (0 without DB).
	ReportID int64
	// Exported is where the report was exported (zero without OutDir).
	Exported report.Files
	Key      *signing.Key
}

// step is one part of the check. run fills its section of the report and
// may add verdicts; a step reports its own progress as a share 0..1.
type step struct {
	name string
	// weight is the step's share of the whole check's time, for the
	// progress bar.
	weight float64
	run    func(ctx context.Context, c *runState, progress func(done float64, detail string)) error
}

// runState is what steps share: the report being built and what earlier
// steps found that later ones need.
type runState struct {
	opts   Options
	report *report.Report
	// inventory is the unscrubbed inventory for later steps (fit).
	inventory *hardware.Inventory
	// probe is the probe's result for the fit.
	probe *probe.Result
	// catalogue is the model catalogue the fit used.
	catalogue *fit.Catalogue
}

// Steps lists the names of the steps this build runs with opts, in order.
func Steps(opts Options) []string {
	var out []string
	for _, s := range steps(opts) {
		out = append(out, s.name)
	}
	return out
}

// ReportsDir is where signed reports are kept in the data dir.
func ReportsDir(dataDir string) string { return filepath.Join(dataDir, "reports") }

// Run performs the check. When ctx is cancelled or times out, the steps
// not finished are marked and the report of what was measured is still
// signed and written (marked incomplete); Run then returns the result
// together with ctx's error.
func Run(ctx context.Context, opts Options, progress Progress) (*Result, error) {
	if progress == nil {
		progress = func(Event) {}
	}
	key, err := signing.Load(opts.DataDir)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := report.New(key, now)
	r.Device.OrgUnit = opts.Policy.OrgUnit
	r.Sections.Policy = policySection(opts)
	st := &runState{opts: opts, report: r}

	// The records must be made even for a check cancelled at once.
	dbctx := context.WithoutCancel(ctx)
	var runID int64
	// recordErr is a failed record in the database (a full drive): the
	// check goes on, since the report matters more than its record.
	var recordErr error
	if opts.DB != nil {
		if runID, err = opts.DB.StartRun(dbctx, RunKind); err != nil {
			recordErr, runID = opts.DB.Explain(err), 0
		}
	}

	all := steps(opts)
	total := 0.0
	for _, s := range all {
		total += s.weight
	}
	count := len(all) + 1 // + sign and write
	// The measuring steps fill the bar to measureShare; signing and
	// writing the rest.
	const measureShare = 0.95
	doneWeight := 0.0
	var stopErr error
	for i, s := range all {
		if ctx.Err() != nil {
			stopErr = ctx.Err()
			msg := cancelMessage(ctx.Err())
			r.Summary.Steps = append(r.Summary.Steps, report.Step{Name: s.name, Status: report.StepCancelled, Message: msg, MessageID: report.StepMessageID(msg)})
			continue
		}
		progress(Event{Step: s.name, Index: i, Count: count, Fraction: measureShare * doneWeight / total})
		start := time.Now()
		err := runStep(ctx, s, st, func(done float64, detail string) {
			done = min(max(done, 0), 1)
			progress(Event{Step: s.name, Index: i, Count: count, Fraction: measureShare * (doneWeight + done*s.weight) / total, Detail: detail})
		})
		rs := report.Step{Name: s.name, Status: report.StepDone, DurationMS: time.Since(start).Milliseconds()}
		switch {
		case err == nil:
		case errors.Is(err, errSkipped):
			rs.Status, rs.Message = report.StepSkipped, skipMessage(err)
		case ctx.Err() != nil:
			rs.Status, rs.Message = report.StepCancelled, cancelMessage(ctx.Err())
			stopErr = ctx.Err()
		default:
			rs.Status, rs.Message = report.StepFailed, err.Error()
		}
		rs.MessageID = report.StepMessageID(rs.Message)
		r.Summary.Steps = append(r.Summary.Steps, rs)
		doneWeight += s.weight
	}
	for _, s := range r.Summary.Steps {
		if s.Status == report.StepCancelled || s.Status == report.StepFailed {
			r.Status = report.StatusIncomplete
		}
	}
	r.Summary.Overall = report.Overall(r.Summary.Verdicts)

	progress(Event{Step: "sign", Index: len(all), Count: count, Fraction: measureShare})
	// Writing must happen even after a timeout: what was measured is kept.
	wctx, cancel := context.WithTimeout(dbctx, 30*time.Second)
	defer cancel()
	res, err := write(wctx, opts, key, r, runID)
	if res == nil {
		if runID > 0 {
			_ = opts.DB.FinishRun(wctx, runID, store.StatusFailed, map[string]string{"error": err.Error()})
		}
		return nil, err
	}
	if runID > 0 {
		status := store.StatusDone
		if stopErr != nil {
			status = store.StatusCancelled
		}
		if ferr := opts.DB.FinishRun(wctx, runID, status, runSummary{ReportID: r.ReportID, Overall: r.Summary.Overall,
			Status: r.Status, DeviceID: r.Device.DeviceID, Stored: res.Stored.JSON, Exported: res.Exported.JSON}); ferr != nil && recordErr == nil {
			recordErr = opts.DB.Explain(ferr)
		}
	}
	progress(Event{Step: "done", Index: count, Count: count, Fraction: 1})
	var keepErr *KeepError
	switch {
	case errors.As(err, &keepErr):
		if keepErr.Err == nil {
			keepErr.Err = recordErr
		}
		return res, keepErr
	case err != nil:
		return res, err
	case recordErr != nil:
		return res, &KeepError{Exported: res.Exported, DataDir: opts.DataDir, Err: recordErr}
	}
	return res, stopErr
}

// keepReport writes the data folder's copy of a report; a test replaces it
// to inject a full drive where it cannot mount a small one.
var keepReport = report.WriteNew

// KeepError is a check whose report was written to the output folder but
// could not be kept in the data folder or recorded in the database (a
// full drive). Result is still returned; the report is complete.
type KeepError struct {
	Exported report.Files
	DataDir  string
	Err      error
}

func (e *KeepError) Error() string {
	where := e.Exported.JSON
	if where == "" {
		where = "the output folder"
	}
	return fmt.Sprintf("the report was written to %s, but could not be kept in the data folder %s: %v", where, e.DataDir, e.Err)
}

func (e *KeepError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *KeepError) Hint() string {
	if store.IsDiskFull(e.Err) {
		return "the drive of the data folder " + e.DataDir + " is full: free space there (or choose another data folder with --data-dir) and run the check again; the report written is complete"
	}
	var h interface{ Hint() string }
	if errors.As(e.Err, &h) && h.Hint() != "" {
		return h.Hint() + "; the report written is complete"
	}
	return "the report written is complete; ask IT about the data folder " + e.DataDir
}

// runSummary is the check's summary in the runs table.
type runSummary struct {
	ReportID string `json:"report_id"`
	DeviceID string `json:"device_id"`
	Overall  string `json:"overall"`
	Status   string `json:"status"`
	Stored   string `json:"stored"`
	Exported string `json:"exported,omitempty"`
}

// runStep runs one step and turns a panic in it into a failed step: the
// other steps and the report must survive a broken driver or parser.
func runStep(ctx context.Context, s step, st *runState, progress func(float64, string)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("step %s crashed: %v", s.name, p)
		}
	}()
	return s.run(ctx, st, progress)
}

// errSkipped marks a step that did not apply (e.g. no local runtime).
var errSkipped = errors.New("skipped")

type skipError struct{ why string }

func (e skipError) Error() string { return e.why }
func (e skipError) Is(t error) bool {
	return t == errSkipped
}

func skip(why string) error { return skipError{why} }

func skipMessage(err error) string {
	var s skipError
	if errors.As(err, &s) {
		return s.why
	}
	return err.Error()
}

func cancelMessage(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "time limit reached"
	}
	return "cancelled"
}

// write signs r and writes it: first to the output folder (the file the
// user or the rollout script waits for), then into the data folder and the
// database. A full data folder then costs the record, not the report: the
// result comes back with a *KeepError. Without an output folder, a report
// that cannot be kept is an error.
func write(ctx context.Context, opts Options, key *signing.Key, r *report.Report, runID int64) (*Result, error) {
	data, err := report.Marshal(r)
	if err != nil {
		return nil, err
	}
	sig, err := key.Sign(data)
	if err != nil {
		return nil, err
	}
	res := &Result{Report: r, Data: data, Sig: sig, Key: key}
	var exportErr error
	if opts.OutDir != "" {
		res.Exported, exportErr = exportBytes(data, sig, opts.OutDir, opts.Lang)
	}
	var keepErr error
	res.Stored, keepErr = keepReport(ReportsDir(opts.DataDir), report.BaseName(r), report.Content{JSON: data, Sig: sig})
	if keepErr == nil && opts.DB != nil {
		if res.ReportID, keepErr = report.Record(ctx, opts.DB, runID, r, data, res.Stored.JSON); keepErr != nil {
			keepErr = opts.DB.Explain(keepErr)
		} else if exportErr == nil && res.Exported.JSON != "" {
			if keepErr = report.RecordExport(ctx, opts.DB, res.ReportID, res.Exported); keepErr != nil {
				keepErr = opts.DB.Explain(keepErr)
			}
		}
	}
	switch {
	case exportErr != nil && res.Stored.JSON == "":
		return nil, errors.Join(exportErr, keepErr)
	case exportErr != nil:
		return res, exportErr
	case keepErr != nil && res.Exported.JSON == "":
		return nil, &KeepError{DataDir: opts.DataDir, Err: keepErr}
	case keepErr != nil:
		return res, &KeepError{Exported: res.Exported, DataDir: opts.DataDir, Err: keepErr}
	}
	return res, nil
}

// Export copies a signed report from the data dir to dir, with its PDF
// and HTML in lang, after verifying it, and records the export. It never
// replaces an existing file.
func Export(ctx context.Context, db *store.DB, reportRow int64, storedJSON, dir, lang string) (report.Files, error) {
	data, sig, err := report.ReadFiles(storedJSON)
	if err != nil {
		return report.Files{}, fmt.Errorf("export: %w", err)
	}
	files, err := exportBytes(data, sig, dir, lang)
	if err != nil {
		if errors.Is(err, errDamaged) {
			return report.Files{}, fmt.Errorf("export %s: %w", storedJSON, err)
		}
		return report.Files{}, err
	}
	if db != nil && reportRow > 0 {
		if err := report.RecordExport(ctx, db, reportRow, files); err != nil {
			return files, err
		}
	}
	return files, nil
}

var errDamaged = errors.New("the stored report is damaged")

// exportBytes writes a signed report (verified first) with its PDF and
// HTML in lang into dir under a new name.
func exportBytes(data, sig []byte, dir, lang string) (report.Files, error) {
	res := report.Verify(data, sig, report.VerifyOptions{})
	if !res.Valid {
		return report.Files{}, fmt.Errorf("%w: %s", errDamaged, res.Message)
	}
	r := res.Report
	return report.WriteNew(dir, report.BaseName(r), report.Content{JSON: data, Sig: sig,
		Render: func(f report.Files) ([]byte, []byte, error) {
			pdf, err := report.PDF(r, f, lang)
			if err != nil {
				return nil, nil, err
			}
			html, err := report.HTML(r, f, lang)
			return pdf, html, err
		}})
}

// PDFFor returns a PDF of a stored report to show on screen: the newest
// export's PDF when it still exists, else NAME.pdf beside the stored JSON
// in the data dir (made once, after verifying the report).
func PDFFor(s report.Stored, lang string) (string, error) {
	if s.LastExport != nil && s.LastExport.PDF != "" {
		if _, err := os.Stat(s.LastExport.PDF); err == nil {
			return s.LastExport.PDF, nil
		}
	}
	path := strings.TrimSuffix(s.JSONPath, ".json") + ".pdf"
	if lang == "en" {
		path = strings.TrimSuffix(s.JSONPath, ".json") + ".en.pdf"
	}
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	data, sig, err := report.ReadFiles(s.JSONPath)
	if err != nil {
		return "", fmt.Errorf("open report: %w", err)
	}
	res := report.Verify(data, sig, report.VerifyOptions{})
	if !res.Valid {
		return "", fmt.Errorf("report %s is damaged: %s", s.JSONPath, res.Message)
	}
	pdf, err := report.PDF(res.Report, report.Files{JSON: s.JSONPath, Sig: s.JSONPath + ".sig"}, lang)
	if err != nil {
		return "", err
	}
	if err := atomicfile.Write(path, pdf, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// policySection names the AI policy in force: the one IT's policy file
// names, else the municipality's, else the packaged Muster (a broken or
// missing one never comes into force; the policy commands say why).
func policySection(opts Options) *report.Policy {
	l := policy.Load(opts.DataDir, policy.Selection{ID: opts.Policy.KIPolicy, Version: opts.Policy.KIPolicyVersion, Source: opts.Policy.Source})
	p := l.Policy
	src := "muster"
	if !p.Packaged {
		src = "own:" + filepath.Base(p.Source)
	}
	return &report.Policy{ID: p.ID, Version: p.Version, Stand: p.Stand, Source: src}
}

// StepLabel names a step of the check in lang for the clerk, in the window
// and the accessible view alike: the report's step names, and the last
// step, which signs and saves the report ("sign").
func StepLabel(name, lang string) string {
	if name == "sign" {
		return i18n.T(lang, "checkflow.step_sign")
	}
	return report.StepLabel(name, lang)
}
