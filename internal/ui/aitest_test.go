package ui

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/runtime"
)

// onlyAt makes the screen's discovery look only at url (real discovery,
// not the PC's default ports, so the test does not depend on what else
// runs here).
func onlyAt(url string) func(context.Context, runtime.Options) (runtime.Result, error) {
	return func(ctx context.Context, o runtime.Options) (runtime.Result, error) {
		o.Endpoints, o.NoDefaults = []string{url}, true
		return runtime.Discover(ctx, o)
	}
}

// waitForRuntime runs the UI loop until cond holds, with a deadline long
// enough for a real Ollama on a busy machine.
func waitForRuntime(t *testing.T, what string, cond func() bool) {
	t.Helper()
	awaitUI(t, what, 3*time.Minute, cond)
}

func TestAITestGuidanceWithoutRuntime(t *testing.T) {
	st := newTestState(t)
	closed := httptest.NewServer(nil)
	url := closed.URL
	closed.Close()
	a := newAITest(st)
	a.discover = onlyAt(url)
	st.win.SetContent(a.buildUI())
	awaitIdle(t, a.st, "search")
	if !a.guidance.Visible() {
		t.Fatal("no guidance without a runtime")
	}
	if !strings.Contains(a.guidance.Text, "ollama pull llama3.2:1b") || !strings.Contains(a.guidance.Text, "IT-Abteilung") {
		t.Errorf("guidance: %q", a.guidance.Text)
	}
	if !a.startBtn.Disabled() {
		t.Error("start must be disabled without a runtime")
	}
}

const guiBundle = `format: 1
id: gui-test
version: "1"
title: GUI-Test
language: de
cloud_allowed: false
prompts:
  - id: kurz
    use_case: summarise
    title: Kurz zusammenfassen
    messages:
      - role: user
        content: Fasse den Bescheid kurz zusammen.
    params: {temperature: 0, max_tokens: 10, seed: 1}
    checks:
      - length: {min: 1}
`

// The whole screen against the real Ollama: the runtime and model are
// found, the run streams, the table and the charts fill, the run is
// stored; a second run is cancelled and says so.
func TestAITestRunsAgainstOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "gui-tiny", ollamatest.TinyShape, gguf.QuantQ8_0)
	st := newTestState(t)
	od := bench.OverrideDir(st.dataDir)
	os.MkdirAll(od, 0o755)
	if err := os.WriteFile(filepath.Join(od, "gui.yaml"), []byte(guiBundle), 0o644); err != nil {
		t.Fatal(err)
	}
	a := newAITest(st)
	a.discover = onlyAt(srv.URL())
	st.win.SetContent(a.buildUI())
	awaitIdle(t, a.st, "search")
	if a.modelSel.Selected != "gui-tiny:latest" {
		t.Fatalf("model %q", a.modelSel.Selected)
	}
	if a.guidance.Visible() {
		t.Error("guidance shown although Ollama runs")
	}
	a.bundleSel.SetSelected("GUI-Test (gui-test 1)")
	if a.startBtn.Disabled() {
		t.Fatal("start disabled with runtime, model and bundle chosen")
	}
	test.Tap(a.startBtn)
	if !a.startBtn.Disabled() || a.cancelBtn.Disabled() {
		t.Error("while running, start is disabled and cancel enabled")
	}
	awaitIdle(t, a.st, "the run to end")
	waitForRuntime(t, "finish", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return !a.running })
	if a.lastErr != nil {
		t.Fatalf("run failed: %v (%s)", a.lastErr, a.status.Text)
	}
	if !strings.Contains(a.status.Text, "Fertig") || len(a.rows) != 1 || a.rows[0].DecodeTPS.N != 5 {
		t.Fatalf("status %q rows %+v", a.status.Text, a.rows)
	}
	if a.answer.Text == "" {
		t.Error("no answer shown")
	}
	if len(a.speedChart.bars) != 1 || len(a.ttftChart.bars) != 1 {
		t.Errorf("charts: %d %d", len(a.speedChart.bars), len(a.ttftChart.bars))
	}
	if a.bars[0].Value != 1 {
		t.Errorf("progress %v", a.bars[0].Value)
	}
	stored, err := bench.Load(context.Background(), st.db, a.lastResult.RunID)
	if err != nil || !stored.Complete {
		t.Fatalf("stored: %v %+v", err, stored)
	}
	awaitIdle(t, a.st, "history")
	if len(a.history.bars) != 1 {
		t.Errorf("history: %d bars, want the one run", len(a.history.bars))
	}

	// Cancel: the run ends at once, the window stays usable, the message
	// says what happened.
	test.Tap(a.startBtn)
	test.Tap(a.cancelBtn)
	awaitIdle(t, a.st, "the run to end")
	waitForRuntime(t, "cancel", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return !a.running })
	if !strings.Contains(a.status.Text, "Abgebrochen") {
		t.Errorf("status after cancel: %q", a.status.Text)
	}
	if a.startBtn.Disabled() {
		t.Error("start must be possible again after a cancel")
	}
}

// The runtime ends before the run: the run stops with a German message
// that says what to do, and the screen stays usable.
func TestAITestRuntimeGoneShowsGermanError(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "gui-gone", ollamatest.TinyShape, gguf.QuantQ8_0)
	st := newTestState(t)
	a := newAITest(st)
	a.discover = onlyAt(srv.URL())
	st.win.SetContent(a.buildUI())
	awaitIdle(t, a.st, "search")
	if a.modelSel.Selected != "gui-gone:latest" {
		t.Fatalf("model %q", a.modelSel.Selected)
	}
	srv.Kill()
	test.Tap(a.startBtn)
	awaitIdle(t, a.st, "the run to end")
	waitForRuntime(t, "finish", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return !a.running })
	if !strings.Contains(a.status.Text, "Das KI-Programm antwortet nicht") || !strings.Contains(a.status.Text, "gespeichert") {
		t.Errorf("status: %q", a.status.Text)
	}
	if a.startBtn.Disabled() || !a.cancelBtn.Disabled() {
		t.Error("after the error the user can start again")
	}
}

// Every kind of run failure the CLI explains, the screen explains too, in
// the GUI's language (the screen once fell back to "Ein Fehler ist
// aufgetreten" for access_denied, rate_limited and bad_endpoint). The
// errors are built here as the runner classifies them (bench's tests
// cover that classification against real servers).
func TestAITestExplainsEveryRunFailureKind(t *testing.T) {
	st := newTestState(t)
	a := newAITest(st)
	generic := lang.L("error.generic", map[string]any{"Detail": ""})
	for _, kind := range []string{bench.KindUnreachable, bench.KindModelNotFound, bench.KindTimeout, bench.KindStreamBroken,
		bench.KindRuntimeError, bench.KindAccessDenied, bench.KindRateLimited, bench.KindBadEndpoint, bench.KindRemoteRefused, bench.KindCancelled} {
		re := &bench.RunError{Kind: kind, Status: 401, Err: errors.New("from the server")}
		got := a.describeRunError(re)
		if strings.HasPrefix(got, strings.TrimSpace(generic)) || strings.Contains(got, "bench.error.") || strings.Contains(got, "aitest.error.") {
			t.Errorf("%s: %q", kind, got)
		}
	}
	applyLanguage("en")
	t.Cleanup(func() { applyLanguage("de") })
	got := a.describeRunError(&bench.RunError{Kind: bench.KindRateLimited, Status: 429, Err: errors.New("slow down")})
	if got != "The provider takes no further requests just now (HTTP 429: slow down). The provider limits requests; try again later." {
		t.Errorf("rate limited in English: %q", got)
	}
}
