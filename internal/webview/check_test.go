package webview

import (
	"context"
	"io"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// The clerk's check in the view: start, progress, the window's plain
// result texts, and the export's four files for download, verified.
func TestCheckStartToExport(t *testing.T) {
	e := newEnv(t, nil)
	_, body, _ := e.get("/de/check")
	if !strings.Contains(body, i18n.T("de", "checkflow.title")) {
		t.Fatalf("start page: %.400s", text(body))
	}
	code, body, at := e.post("/de/check", nil)
	if code != 200 || !strings.Contains(e.after(at), "/de/check/") {
		t.Fatalf("start: %d at %s", code, at)
	}
	path := e.after(at)
	body, _ = e.waitDone(path)
	// The result: the overall sentence and every verdict's subject and
	// reason, in the texts the window shows.
	id := strings.TrimPrefix(path, "/de/check/")
	e.srv.mu.Lock()
	res := e.srv.checks[id].check.(*check.Result)
	e.srv.mu.Unlock()
	r := res.Report
	plain := text(body)
	for _, want := range []string{
		i18n.T("de", "checkflow.result", map[string]any{"Level": levelText("de", r.Summary.Overall)}),
		overallText("de", r.Summary.Overall),
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("result lacks %q:\n%s", want, plain)
		}
	}
	if len(r.Summary.Verdicts) == 0 {
		t.Fatal("no verdicts")
	}
	for _, v := range r.Summary.Verdicts {
		subject, reason, _ := v.Texts("de")
		if !strings.Contains(plain, subject+": "+levelText("de", v.Level)) || !strings.Contains(plain, strings.Join(strings.Fields(reason), " ")) {
			t.Errorf("verdict %s missing:\n%s", subject, plain)
		}
	}
	// Export, then download the four files.
	code, body, at = e.post(path+"/export", nil)
	if code != 200 || !strings.Contains(body, i18n.T("de", "webview.exported")) {
		t.Fatalf("export: %d %s", code, text(body))
	}
	files := map[string][]byte{}
	for _, kind := range []string{"json", "sig", "pdf", "html"} {
		resp, err := e.client.Get(e.abs(path + "/file/" + kind))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("%s: %d %q", kind, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		files[kind] = b
	}
	v := report.Verify(files["json"], files["sig"], report.VerifyOptions{
		AllowedSigners: signing.ParseAllowedSigners("as", []byte(signing.AllowedSignersLine(res.Key.Public())))})
	if !v.Valid || !v.Trusted || v.Report.ReportID != r.ReportID {
		t.Fatalf("downloaded report: %+v", v)
	}
	if !strings.HasPrefix(string(files["pdf"]), "%PDF-") || !strings.Contains(string(files["html"]), r.ReportID) {
		t.Errorf("pdf %q…, html without the report id", files["pdf"][:8])
	}
	// An unknown file kind or job is a 404.
	if code, _, _ := e.get(path + "/file/key"); code != 404 {
		t.Errorf("unknown kind: %d", code)
	}
	if code, _, _ := e.get("/de/check/nope"); code != 404 {
		t.Errorf("unknown check: %d", code)
	}
}

// holdCheck wraps the real check.Run so that it waits at its first step
// until released: the test can look at the progress page and cancel.
type holdCheck struct {
	once    sync.Once
	reached chan struct{}
	release chan struct{}
}

func newHold() *holdCheck {
	return &holdCheck{reached: make(chan struct{}), release: make(chan struct{})}
}

func (h *holdCheck) run(ctx context.Context, o check.Options, p check.Progress) (*check.Result, error) {
	return check.Run(ctx, o, func(ev check.Event) {
		p(ev)
		if ev.Step == "probe" {
			h.once.Do(func() {
				close(h.reached)
				<-h.release
			})
		}
	})
}

// Cancel on the progress page ends the check; what was measured is kept
// in an incomplete report, and the page says so.
func TestCheckCancel(t *testing.T) {
	h := newHold()
	e := newEnv(t, func(o *Options) { o.RunCheck = h.run })
	_, _, at := e.post("/en/check", nil)
	path := e.after(at)
	<-h.reached
	_, body, _ := e.get(path)
	plain := text(body)
	for _, want := range []string{"Steps", check.StepLabel("inventory", "en") + ": done", check.StepLabel("probe", "en") + ": running", "Refresh", "Cancel"} {
		if !strings.Contains(plain, want) {
			t.Errorf("progress page lacks %q:\n%s", want, plain)
		}
	}
	if !strings.Contains(body, `role="status"`) || !strings.Contains(body, `<progress id="bar"`) {
		t.Error("progress page without live region or progress bar")
	}
	go func() {
		// The cancel's redirect waits for the next change; release the
		// held step once the cancel has been asked for.
		e.srv.mu.Lock()
		j := e.srv.checks[strings.TrimPrefix(path, "/en/check/")]
		e.srv.mu.Unlock()
		for {
			e.srv.mu.Lock()
			c, changed := j.cancelling, j.changed
			e.srv.mu.Unlock()
			if c {
				close(h.release)
				return
			}
			<-changed
		}
	}()
	e.post(path+"/cancel", url.Values{})
	body, _ = e.waitDone(path)
	if plain := text(body); !strings.Contains(plain, i18n.T("en", "checkflow.incomplete")) {
		t.Errorf("cancelled check's page:\n%s", plain)
	}
}
