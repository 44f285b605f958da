package webview

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/axetest"
	"github.com/ki-reise/kicheck/internal/check"
)

// pagesOf walks the view in lang through every page it has and returns
// each page's HTML by name: start, check (start, progress, cancelling,
// result, exported, failed), hardware and fit (not measured, measuring,
// measured), quiz (start, errors, none open, every question type, CBM,
// result with learning path) and the error pages.
func pagesOf(t *testing.T, l string) map[string][]byte {
	t.Helper()
	pages := map[string][]byte{}
	add := func(name, body string) {
		if !strings.HasPrefix(body, "<!DOCTYPE html>") {
			t.Fatalf("%s-%s is no page: %.200s", name, l, body)
		}
		pages[name+"-"+l+".html"] = []byte(body)
	}
	// Quiz without sessions, before any is started.
	e := newEnv(t, nil)
	_, b, _ := e.get("/" + l + "/quiz")
	add("quiz-none-open", b)
	_, b, _ = e.get("/" + l + "/")
	add("home", b)
	_, b, _ = e.get("/" + l + "/check")
	add("check-start", b)
	_, b, _ = e.get("/" + l + "/nope")
	add("not-found", b)
	_, b, _ = e.get("/" + l + "/fit")
	add("fit-not-measured", b)
	// The measuring page, rendered with a running measurement's data.
	rec := httptest.NewRecorder()
	p := e.srv.newPage(l, "/fit/measure/x", "webview.measure_title", "fit", measureRun{ID: "x", Percent: 40})
	p.Title = p.T("webview.progress_title", "Pct", 40, "Title", p.Title)
	e.srv.render(rec, 200, "fit_measure", p)
	add("fit-measuring", rec.Body.String())
	rec = httptest.NewRecorder()
	e.srv.render(rec, 200, "fit_measure", e.srv.newPage(l, "/fit/measure/x", "webview.measure_title", "fit", measureRun{ID: "x", Percent: 60, Cancelling: true}))
	add("fit-measure-cancelling", rec.Body.String())
	_, _, at := e.post("/"+l+"/fit/measure", nil)
	b, _ = e.waitDone(e.after(at))
	add("fit-measured", b)

	// The check, held at the probe to see its progress.
	h := newHold()
	e.srv.opts.RunCheck = h.run
	_, _, at = e.post("/"+l+"/check", nil)
	path := e.after(at)
	<-h.reached
	_, b, _ = e.get(path)
	add("check-progress", b)
	e.srv.mu.Lock()
	j := e.srv.checks[path[strings.LastIndex(path, "/")+1:]]
	seen := j.version
	e.srv.mu.Unlock()
	go func() {
		e.srv.mu.Lock()
		j.cancelling = true
		j.touch()
		e.srv.mu.Unlock()
	}()
	_, b, _ = e.get(path + "?seen=" + strconv.Itoa(seen))
	add("check-cancelling", b)
	e.srv.mu.Lock()
	j.cancelling = false
	e.srv.mu.Unlock()
	close(h.release)
	b, _ = e.waitDone(path)
	add("check-result", b)
	_, b, _ = e.post(path+"/export", nil)
	add("check-exported", b)
	// A check that cannot start (a fault injected: the runner fails).
	e.srv.opts.RunCheck = func(context.Context, check.Options, check.Progress) (*check.Result, error) {
		return nil, errors.New("injected: the signing key cannot be read")
	}
	_, _, at = e.post("/"+l+"/check", nil)
	b, _ = e.waitDone(e.after(at))
	add("check-failed", b)

	// The quiz: a session with every question type and certainty (CBM).
	s := e.startSession("axe-"+l, true)
	_, b, _ = e.get("/" + l + "/quiz")
	add("quiz-start", b)
	_, b, _ = e.post("/"+l+"/quiz", url.Values{"session": {s.ID}, "pseudonym": {""}})
	add("quiz-start-errors", b)
	_, b, at = e.post("/"+l+"/quiz", url.Values{"session": {s.ID}, "pseudonym": {"Axe"}})
	qpath := e.after(at)
	for i, it := range s.Items {
		add(fmt.Sprintf("quiz-q%d-%s", i+1, it.Question.Type), b)
		_, b, _ = e.post(qpath, url.Values{"pos": {strconv.Itoa(i)}, "a": {"0"}})
	}
	add("quiz-result", b)
	return pages
}

// Every page of the view, in German and English, has no axe-core
// violation of the WCAG 2.1 A and AA rules and reflows at 320 CSS px.
func TestAxeEveryPage(t *testing.T) {
	pages := map[string][]byte{}
	for _, l := range []string{"de", "en"} {
		for k, v := range pagesOf(t, l) {
			pages[k] = v
		}
	}
	if len(pages) < 40 {
		t.Fatalf("only %d pages", len(pages))
	}
	// WEBVIEW_PAGES=DIR keeps the pages for people to look at.
	if dir := os.Getenv("WEBVIEW_PAGES"); dir != "" {
		for name, b := range pages {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	res := axetest.Check(t, pages)
	axetest.RequireClean(t, res)
}
