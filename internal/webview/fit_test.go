package webview

import (
	"context"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
)

// The hardware and fit page: hardware.Describe's groups, then "Messen"
// runs the probe, and the fit of every use case shows with fit.ThisPC's
// texts (the same call as the Eignung screen and `kicheck models`).
func TestFitMeasureAndOverview(t *testing.T) {
	e := newEnv(t, nil)
	_, body, _ := e.get("/de/fit")
	plain := text(body)
	for _, g := range hardware.Describe(hardware.Inventory{}, "de") {
		if !strings.Contains(plain, g.Title) {
			t.Errorf("hardware group %q missing", g.Title)
		}
	}
	if !strings.Contains(plain, i18n.T("de", "webview.not_measured")) {
		t.Fatalf("not measured yet, but:\n%s", plain)
	}
	_, body, at := e.post("/de/fit/measure", nil)
	if strings.Contains(body, `<progress id="bar"`) {
		body, at = e.waitDone(e.after(at))
	}
	if !strings.HasSuffix(at, "/de/fit") || !strings.Contains(text(body), i18n.T("de", "webview.measured_done")) {
		t.Fatalf("after measuring at %s:\n%s", at, text(body))
	}
	// The same assessment, computed here through the package.
	cat, err := fit.LoadCatalogue(e.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	pr, ok, err := probe.Latest(context.Background(), e.db, probeMaxAge)
	if err != nil || !ok {
		t.Fatalf("probe not stored: %v", err)
	}
	inv := hardware.Collect(context.Background(), hardware.Options{DataDir: e.dataDir})
	pf := check.ThisPC(context.Background(), e.db, cat, inv, pr, nil, "de")
	plain = text(body)
	for _, a := range pf.Assessments {
		if !strings.Contains(plain, a.UseCase.Title("de")+": "+a.VerdictLabel) {
			t.Errorf("use case %s missing:\n%s", a.UseCase.ID, plain)
		}
		if !strings.Contains(body, `<caption>`+i18n.T("de", "webview.models_caption", map[string]any{"UseCase": a.UseCase.Title("de")})) &&
			!strings.Contains(plain, a.UseCase.Title("de")) {
			t.Errorf("table of %s missing", a.UseCase.ID)
		}
	}
	if n := strings.Count(body, `<th scope="row">`); n == 0 {
		t.Error("model tables without row headers")
	}
	// English too.
	_, body, _ = e.get("/en/fit")
	if !strings.Contains(body, `lang="en"`) || !strings.Contains(text(body), i18n.T("en", "eignung.heading")) {
		t.Errorf("english fit page:\n%s", text(body))
	}
}

// Cancel stops the measurement; the page says it was cancelled.
func TestFitMeasureCancel(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Probe = probe.Options{BufferBytes: 64 << 20, Repetitions: 50, MaxBandwidthSeconds: 30}
	})
	_, body, at := e.post("/en/fit/measure", nil)
	if !strings.Contains(body, `<progress id="bar"`) {
		t.Skip("the probe finished before the page was shown")
	}
	_, body, at = e.post(e.after(at)+"/cancel", nil)
	if strings.Contains(body, `<progress id="bar"`) {
		body, at = e.waitDone(e.after(at))
	}
	if !strings.Contains(text(body), i18n.T("en", "eignung.cancelled")) {
		t.Errorf("after cancel at %s:\n%s", at, text(body))
	}
}
