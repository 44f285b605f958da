package ui

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/loadprofile"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/store"
)

func newLoadProfilePanelForTest(t *testing.T, endpoint string) (*loadProfilePanel, string) {
	t.Helper()
	st := newScreenState(t, fyne.NewSize(900, 700))
	p := newLoadProfilePanel(st, func() string { return endpoint })
	dir := t.TempDir()
	// A 2-layer stand-in for the catalogue model keeps the test short; the
	// panel's own path (choice, stages, result, recording) is unchanged.
	p.adjust = func(o *loadprofile.Options) {
		o.Target = gguf.Target{Name: o.Target.Name, Quant: gguf.QuantQ8_0,
			Shape: gguf.Shape{Layers: 2, Hidden: 256, Heads: 4, KVHeads: 2, FFN: 512, Vocab: 2000, Context: 2048}}
		o.Tokens, o.Runs, o.Dir = 4, 1, dir
	}
	st.win.SetContent(p.buildUI())
	return p, dir
}

func waitDone(t *testing.T, p *loadProfilePanel) {
	t.Helper()
	awaitIdle(t, p.st, "the load profile to end")
}

func TestLoadProfilePanelMeasures(t *testing.T) {
	srv := ollamatest.Start(t)
	p, dir := newLoadProfilePanelForTest(t, srv.URL())
	if !p.startBtn.Disabled() {
		t.Fatal("start is enabled before a model is chosen")
	}
	p.modelSel.SetSelectedIndex(2) // a catalogue model, shrunk by adjust
	if p.startBtn.Disabled() {
		t.Fatal("start stays disabled with model and quantization chosen")
	}
	test.Tap(p.startBtn)
	waitDone(t, p)
	if p.lastErr != nil {
		t.Fatalf("run failed: %v (status %q)", p.lastErr, p.status.Text)
	}
	if p.status.Text != "Fertig. Das Testmodell wurde wieder entfernt." || !strings.Contains(p.result.Text, "Token/s beim Antworten") {
		t.Fatalf("status %q, result %q", p.status.Text, p.result.Text)
	}
	run, err := p.st.db.GetRun(context.Background(), p.lastRecord.RunID)
	if err != nil || run.Kind != loadprofile.RunKind || run.Status != store.StatusDone {
		t.Fatalf("stored run %+v, %v", run, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestLoadProfilePanelWithoutOllama(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	p, dir := newLoadProfilePanelForTest(t, closed)
	p.modelSel.SetSelectedIndex(0)
	test.Tap(p.startBtn)
	waitDone(t, p)
	if !strings.Contains(p.status.Text, "Ollama wurde nicht gefunden") {
		t.Fatalf("status %q", p.status.Text)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v without an Ollama", entries)
	}
}
