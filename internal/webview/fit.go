package webview

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
)

// probeMaxAge is how old a stored probe the fit page uses, as the Eignung
// screen and `kicheck models`.
const probeMaxAge = 30 * 24 * time.Hour

type hwGroup struct {
	Title  string
	Reason string // when unknown
	Rows   []hardware.Row
}

type fitModel struct {
	Model, Verdict, Reason, Where, Memory, Measured string
	Best                                            bool
}

type fitUseCase struct {
	ID, Title, Verdict, Summary, Close string
	Models                             []fitModel
}

type fitPage struct {
	HWStatus  string
	Groups    []hwGroup
	Measured  bool
	Status    []string
	UseCases  []fitUseCase
	Problem   string
	MeasureID string // a measurement running
	Message   string // after a measurement: cancelled or failed
}

// fitGet shows the hardware (hardware.Describe, as the Hardware screen)
// and the fit of the catalogue (fit.ThisPC, as the Eignung screen and
// `kicheck models`) with the newest stored probe.
func (s *Server) fitGet(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	start := time.Now()
	inv := hardware.Collect(ctx, hardware.Options{DataDir: s.opts.DataDir})
	var d fitPage
	d.HWStatus = i18n.T(l, "hardware.collected_at", map[string]any{"Time": i18n.Time(inv.CollectedAt).Text(l),
		"Duration": time.Since(start).Round(time.Millisecond).String()})
	if !inv.Complete {
		d.HWStatus += " " + i18n.T(l, "hardware.incomplete")
	}
	for _, g := range hardware.Describe(inv, l) {
		hg := hwGroup{Title: g.Title, Rows: g.Rows}
		if g.Unknown {
			hg.Reason = i18n.T(l, "hardware.unknown_because", map[string]any{"Reason": g.Reason})
		}
		d.Groups = append(d.Groups, hg)
	}
	s.mu.Lock()
	for id, j := range s.probes {
		if !j.finished {
			d.MeasureID = id
		}
	}
	s.mu.Unlock()
	d.Message = measureMessage(l, r.URL.Query().Get("m"))
	cat, err := fit.LoadCatalogue(s.opts.DataDir)
	if err != nil {
		d.Problem = errorText(l, err)
		s.render(w, http.StatusOK, "fit", s.newPage(l, rest(r), "webview.nav_fit", "fit", d))
		return
	}
	if n := len(cat.Problems); n > 0 {
		d.Problem = i18n.T(l, "eignung.catalogue_problems", map[string]any{"Detail": cat.Problems[0].Error()})
	}
	pr, ok, err := probe.Latest(ctx, s.opts.DB, probeMaxAge)
	if err == nil && ok {
		d.Measured = true
		pf := check.ThisPC(ctx, s.opts.DB, cat, inv, pr, nil, l)
		mc := pf.Machine
		d.Status = append(d.Status, i18n.T(l, "eignung.measured", map[string]any{
			"Date": i18n.Time(pr.Started).Text(l),
			"GBps": i18n.Decimal(l, mc.MemoryReadGBps, 1),
			"GOPS": i18n.Grouped(l, mc.Compute.GOPS, 0),
			"RAM":  i18n.Decimal(l, float64(mc.RAMTotalBytes)/1e9, 1),
		}))
		if t := fit.BandwidthText(mc, pr, l); t != "" {
			d.Status = append(d.Status, t)
		}
		if t := mc.Calibration.Text(l); t != "" {
			d.Status = append(d.Status, t)
		}
		for _, a := range pf.Assessments {
			u := fitUseCase{ID: a.UseCase.ID, Title: a.UseCase.Title(l), Verdict: a.VerdictLabel, Summary: a.SummaryText, Close: a.CloseText}
			for _, c := range a.Cells {
				m := fitModel{Model: c.ModelID, Verdict: c.VerdictLabel, Reason: c.Reason.Text(l), Best: c.ModelID == a.Best,
					Where:    fit.Reason{ID: "fit.placement." + string(c.Prediction.Placement)}.Text(l),
					Memory:   i18n.Decimal(l, float64(c.Prediction.Memory.TotalBytes)/1e9, 1),
					Measured: c.MeasuredText(l)}
				u.Models = append(u.Models, m)
			}
			d.UseCases = append(d.UseCases, u)
		}
	}
	s.render(w, http.StatusOK, "fit", s.newPage(l, rest(r), "webview.nav_fit", "fit", d))
}

func measureMessage(l, m string) string {
	switch m {
	case "cancelled":
		return i18n.T(l, "eignung.cancelled")
	case "done":
		return i18n.T(l, "webview.measured_done")
	}
	return ""
}

type measureRun struct {
	ID         string
	Refresh    string
	Percent    int
	Cancelling bool
}

// CancelPath is the cancel form's path below the view's base.
func (r measureRun) CancelPath() string { return "/fit/measure/" + r.ID + "/cancel" }

// measurePost starts a probe (probe.Run, saved with probe.Save, as the
// Eignung screen's "Messen").
func (s *Server) measurePost(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	s.mu.Lock()
	for id, j := range s.probes {
		if !j.finished {
			s.mu.Unlock()
			http.Redirect(w, r, s.base(l)+"/fit/measure/"+id+"#progress", http.StatusSeeOther)
			return
		}
	}
	s.mu.Unlock()
	j, ok := s.startJob(s.probes, func(ctx context.Context, j *job) {
		res, err := probe.Run(ctx, s.opts.Probe, func(step string, done float64) {
			s.mu.Lock()
			j.step, j.fraction = step, done
			j.touch()
			s.mu.Unlock()
		})
		if s.opts.DB != nil {
			if _, serr := probe.Save(context.WithoutCancel(ctx), s.opts.DB, res, err); serr != nil && err == nil {
				err = serr
			}
		}
		s.mu.Lock()
		j.err, j.finished = err, true
		j.touch()
		s.mu.Unlock()
	})
	if !ok {
		s.fail(w, r, http.StatusServiceUnavailable, errClosed)
		return
	}
	http.Redirect(w, r, s.base(l)+"/fit/measure/"+j.id+"#progress", http.StatusSeeOther)
}

func (s *Server) probeJob(r *http.Request) *job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.probes[r.PathValue("id")]
}

func (s *Server) measureGet(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	j := s.probeJob(r)
	if j == nil {
		s.notFound(w, r)
		return
	}
	s.waitChange(r, j)
	s.mu.Lock()
	fin, err := j.finished, j.err
	run := measureRun{ID: j.id, Percent: percent(j.fraction), Cancelling: j.cancelling,
		Refresh: refreshLink(s.base(l)+"/fit/measure/"+j.id, j, r)}
	s.mu.Unlock()
	switch {
	case fin && errors.Is(err, context.Canceled):
		http.Redirect(w, r, s.base(l)+"/fit?m=cancelled#measure", http.StatusSeeOther)
		return
	case fin && err != nil:
		s.fail(w, r, http.StatusOK, errors.New(i18n.T(l, "eignung.failed", map[string]any{"Detail": errorText(l, err)})))
		return
	case fin:
		http.Redirect(w, r, s.base(l)+"/fit?m=done#measure", http.StatusSeeOther)
		return
	}
	p := s.newPage(l, rest(r), "webview.measure_title", "fit", run)
	p.Title = p.T("webview.progress_title", "Pct", run.Percent, "Title", p.Title)
	s.render(w, http.StatusOK, "fit_measure", p)
}

func (s *Server) measureCancel(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	j := s.probeJob(r)
	if j == nil {
		s.notFound(w, r)
		return
	}
	seen := s.requestCancel(j)
	http.Redirect(w, r, s.base(l)+"/fit/measure/"+j.id+"?seen="+strconv.Itoa(seen)+"#progress", http.StatusSeeOther)
}
