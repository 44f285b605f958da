package webview

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
)

// exportState is a finished check's export: the files the GUI's export
// writes (JSON, signature, PDF, HTML), in the view's temporary folder.
type exportState struct {
	files report.Files
	err   error
}

type stepRow struct {
	Name  string
	State string // done, running, waiting
}

type checkRun struct {
	ID         string
	Refresh    string // the "Aktualisieren" link
	Steps      []stepRow
	Percent    int
	Now        string
	Cancelling bool
}

// CancelPath is the cancel form's path below the view's base.
func (r checkRun) CancelPath() string { return "/check/" + r.ID + "/cancel" }

type verdictRow struct{ Subject, Level, Reason string }

type download struct{ Kind, Label, Name string }

type checkResult struct {
	ID         string
	Failed     bool
	Error      string
	Level      string // report level, for the style
	LevelText  string
	Sentence   string
	Verdicts   []verdictRow
	Incomplete bool
	Timeout    bool
	Exported   bool
	ExportErr  string
	Downloads  []download
}

// checkSteps are the check's steps the clerk sees, as in the window.
func checkSteps() []string { return append(check.Steps(check.Options{}), "sign") }

func (s *Server) checkStart(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	s.render(w, http.StatusOK, "check_start", s.newPage(l, rest(r), "checkflow.title", "check", nil))
}

func (s *Server) checkPost(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	policy, perr := check.LoadPolicy("")
	j, ok := s.startJob(s.checks, func(ctx context.Context, j *job) {
		if perr != nil {
			s.finish(j, nil, perr)
			return
		}
		ctx, cancel := context.WithTimeout(ctx, checkTimeout)
		defer cancel()
		o := s.opts.Check
		o.DataDir, o.DB, o.Policy, o.Lang = s.opts.DataDir, s.opts.DB, policy, l
		res, err := s.opts.RunCheck(ctx, o, func(e check.Event) {
			s.mu.Lock()
			j.step, j.fraction = e.Step, e.Fraction
			j.touch()
			s.mu.Unlock()
		})
		if res == nil && err == nil {
			err = errors.New("the check returned no result")
		}
		s.finish(j, res, err)
	})
	if !ok {
		s.fail(w, r, http.StatusServiceUnavailable, errClosed)
		return
	}
	http.Redirect(w, r, s.base(l)+"/check/"+j.id+"#progress", http.StatusSeeOther)
}

func (s *Server) finish(j *job, res any, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if res != nil {
		if cr, ok := res.(*check.Result); !ok || cr != nil {
			j.check = res
		}
	}
	j.err, j.finished, j.fraction = err, true, 1
	j.touch()
}

func (s *Server) checkJob(r *http.Request) *job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checks[r.PathValue("id")]
}

func (s *Server) checkGet(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	j := s.checkJob(r)
	if j == nil {
		s.notFound(w, r)
		return
	}
	s.waitChange(r, j)
	run, res, finished := s.checkState(l, j, r)
	if !finished {
		p := s.newPage(l, rest(r), "checkflow.title", "check", run)
		p.Title = p.T("webview.progress_title", "Pct", run.Percent, "Title", p.Title)
		s.render(w, http.StatusOK, "check_run", p)
		return
	}
	p := s.newPage(l, rest(r), "checkflow.title", "check", res)
	if !res.Failed {
		p.Title = res.LevelText + " – " + p.Title
	}
	s.render(w, http.StatusOK, "check_result", p)
}

// checkState is the running check's progress or the finished check's
// result.
func (s *Server) checkState(l string, j *job, r *http.Request) (checkRun, checkResult, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.finished {
		return checkRun{}, s.resultOf(l, j), true
	}
	run := checkRun{ID: j.id, Percent: percent(j.fraction), Cancelling: j.cancelling,
		Refresh: refreshLink(s.base(l)+"/check/"+j.id, j, r)}
	steps := checkSteps()
	cur := stepIndex(steps, j.step)
	for i, name := range steps {
		st := "waiting"
		switch {
		case i < cur:
			st = "done"
		case i == cur:
			st = "running"
		}
		run.Steps = append(run.Steps, stepRow{Name: check.StepLabel(name, l), State: st})
	}
	if cur >= 0 {
		run.Now = i18n.T(l, "checkflow.now", map[string]any{"Step": check.StepLabel(j.step, l)})
	}
	return run, checkResult{}, false
}

// resultOf is the finished check j in plain language; the caller holds
// s.mu.
func (s *Server) resultOf(l string, j *job) checkResult {
	out := checkResult{ID: j.id}
	cr, _ := j.check.(*check.Result)
	if cr == nil || cr.Report == nil {
		out.Failed = true
		out.LevelText = i18n.T(l, "checkflow.failed")
		out.Error = errorText(l, j.err)
		return out
	}
	rep := cr.Report
	out.Level = rep.Summary.Overall
	out.LevelText = i18n.T(l, "checkflow.result", map[string]any{"Level": levelText(l, rep.Summary.Overall)})
	out.Sentence = overallText(l, rep.Summary.Overall)
	for _, v := range rep.Summary.Verdicts {
		subject, reason, _ := v.Texts(l)
		out.Verdicts = append(out.Verdicts, verdictRow{Subject: subject, Level: levelText(l, v.Level), Reason: reason})
	}
	out.Incomplete = rep.Status == report.StatusIncomplete
	out.Timeout = errors.Is(j.err, context.DeadlineExceeded)
	if e := j.export; e != nil {
		out.Exported = e.err == nil
		if e.err != nil {
			out.ExportErr = i18n.T(l, "reports.export_failed", map[string]any{"Detail": errorText(l, e.err)})
		} else {
			for _, d := range []struct{ kind, path string }{{"json", e.files.JSON}, {"sig", e.files.Sig}, {"pdf", e.files.PDF}, {"html", e.files.HTML}} {
				if d.path != "" {
					out.Downloads = append(out.Downloads, download{Kind: d.kind, Label: i18n.T(l, "webview.file_"+d.kind), Name: filepath.Base(d.path)})
				}
			}
		}
	}
	return out
}

func (s *Server) checkCancel(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	j := s.checkJob(r)
	if j == nil {
		s.notFound(w, r)
		return
	}
	seen := s.requestCancel(j)
	http.Redirect(w, r, s.base(l)+"/check/"+j.id+"?seen="+strconv.Itoa(seen)+"#progress", http.StatusSeeOther)
}

// checkExport writes the signed report's files as the window's export
// does (check.Export: verified first, PDF and HTML in the page's
// language) into the view's folder, for download.
func (s *Server) checkExport(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	j := s.checkJob(r)
	if j == nil {
		s.notFound(w, r)
		return
	}
	s.mu.Lock()
	cr, _ := j.check.(*check.Result)
	s.mu.Unlock()
	if cr == nil {
		s.notFound(w, r)
		return
	}
	dir := filepath.Join(s.exportDir, j.id+"-"+l)
	var files report.Files
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		// The files are the user's once downloaded; the temporary folder
		// is not recorded as an export location.
		files, err = check.Export(r.Context(), nil, 0, cr.Stored.JSON, dir, l)
	}
	s.mu.Lock()
	j.export = &exportState{files: files, err: err}
	s.mu.Unlock()
	http.Redirect(w, r, s.base(l)+"/check/"+j.id+"#downloads", http.StatusSeeOther)
}

var downloadTypes = map[string]string{
	"json": "application/json",
	"sig":  "application/octet-stream",
	"pdf":  "application/pdf",
	"html": "text/html; charset=utf-8",
}

func (s *Server) checkFile(w http.ResponseWriter, r *http.Request) {
	j := s.checkJob(r)
	kind := r.PathValue("kind")
	if j == nil || downloadTypes[kind] == "" {
		s.notFound(w, r)
		return
	}
	s.mu.Lock()
	var path string
	if e := j.export; e != nil && e.err == nil {
		path = map[string]string{"json": e.files.JSON, "sig": e.files.Sig, "pdf": e.files.PDF, "html": e.files.HTML}[kind]
	}
	s.mu.Unlock()
	if path == "" {
		s.notFound(w, r)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		s.notFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", downloadTypes[kind])
	w.Header().Set("Content-Disposition", `attachment; filename="`+filepath.Base(path)+`"`)
	// A downloaded HTML page opened from here must not run anything.
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// stepIndex is the position of step name in steps, -1 if unknown.
func stepIndex(steps []string, name string) int {
	for i, v := range steps {
		if v == name {
			return i
		}
	}
	if name == "done" || name == "export" {
		return len(steps) - 1
	}
	return -1
}

func levelText(l, level string) string {
	switch level {
	case report.LevelReady:
		return i18n.T(l, "level.ready")
	case report.LevelLimited:
		return i18n.T(l, "level.limited")
	case report.LevelNotReady:
		return i18n.T(l, "level.not_ready")
	}
	return i18n.T(l, "level.unknown")
}

func overallText(l, level string) string {
	switch level {
	case report.LevelReady:
		return i18n.T(l, "checkflow.overall_ready")
	case report.LevelLimited:
		return i18n.T(l, "checkflow.overall_limited")
	case report.LevelNotReady:
		return i18n.T(l, "checkflow.overall_not_ready")
	}
	return i18n.T(l, "checkflow.overall_unknown")
}
