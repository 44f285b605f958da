package ui

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloud/cloudtest"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// The GUI tests keep keys in go-keyring's in-memory mock: the Fyne test
// app has no desktop session with a Secret Service. The real store is
// tested in internal/cloud (scripts/secret-service.sh).
func useKeyringMock(t *testing.T) { keyring.MockInit() }

func settingsOf(t *testing.T, st *state) *settingsScreen {
	t.Helper()
	for i, sc := range st.shell.screens {
		if s, ok := sc.(*settingsScreen); ok {
			st.shell.nav.Select(i)
			return s
		}
	}
	t.Fatal("no settings screen")
	return nil
}

func cloudScreenOf(t *testing.T, st *state) *cloudScreen {
	t.Helper()
	for i, sc := range st.shell.screens {
		if s, ok := sc.(*cloudScreen); ok {
			st.shell.nav.Select(i)
			return s
		}
	}
	t.Fatal("no cloud screen")
	return nil
}

func TestCloudSettingsStoreKeyOnlyInKeyring(t *testing.T) {
	useKeyringMock(t)
	st := newTestState(t)
	cs := settingsOf(t, st).cloud
	cs.preset.SetSelected("Mistral AI")
	if cs.baseURL.Text != "https://api.mistral.ai/v1" || cs.model.Text != "mistral-small-latest" {
		t.Fatalf("preset did not fill the form: %q %q", cs.baseURL.Text, cs.model.Text)
	}
	const key = "sk-gui-0a1b2c3d4e5f"
	test.Type(cs.key, key)
	cs.proxy.SetText("http://proxy.stadt.example:3128")
	test.Tap(cs.save)
	if !strings.HasPrefix(cs.status.Text, "Gespeichert") {
		t.Fatalf("status = %q", cs.status.Text)
	}
	ep, ok, err := cloud.LoadEndpoint(context.Background(), st.db)
	if err != nil || !ok || ep.Preset != cloud.PresetMistral || ep.ProxyURL != "http://proxy.stadt.example:3128" {
		t.Fatalf("stored endpoint = %+v, %v, %v", ep, ok, err)
	}
	if k, err := cloud.LoadKey(ep, nil); err != nil || k.Reveal() != key {
		t.Fatalf("key in the credential store = %v, %v", k, err)
	}
	if cs.key.Text != "" || !strings.Contains(cs.keyState.Text, "Schlüsselspeicher") {
		t.Fatalf("key entry %q, state %q: the entry must be emptied after saving", cs.key.Text, cs.keyState.Text)
	}
	st.db.Close() // flush the WAL into the file before searching it
	assertNoKeyInDir(t, st.dataDir, key)
}

func TestCloudSettingsRefuseBadInput(t *testing.T) {
	useKeyringMock(t)
	st := newTestState(t)
	cs := settingsOf(t, st).cloud
	cs.baseURL.SetText("http://ki.example/v1")
	cs.model.SetText("m")
	test.Tap(cs.save)
	if !strings.Contains(cs.status.Text, "unverschlüsselte Verbindung") || !strings.Contains(cs.status.Text, "https://") {
		t.Fatalf("status = %q", cs.status.Text)
	}
	cs.baseURL.SetText("https://ki.example/v1")
	cs.caFile.SetText(filepath.Join(t.TempDir(), "fehlt.pem"))
	test.Tap(cs.save)
	if !strings.Contains(cs.status.Text, "CA-Datei") {
		t.Fatalf("status = %q", cs.status.Text)
	}
	if _, ok, _ := cloud.LoadEndpoint(context.Background(), st.db); ok {
		t.Fatal("an invalid endpoint was stored")
	}
}

var (
	guiOllamaOnce sync.Once
	guiOllama     *ollamatest.Server
)

const guiModel = "tiny-gui"

// cloudWorld is the stand-in cloud for GUI tests: real Ollama behind the
// TLS proxy (test CA, bearer key) under a non-loopback name, reached
// through the CONNECT proxy.
func cloudWorld(t *testing.T, key string) (*cloudtest.TLSProxy, *cloudtest.ConnectProxy, cloud.Endpoint, *ollamatest.Server) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, guiModel, ollamatest.TinyShape, gguf.QuantQ8_0)
	ca := cloudtest.NewCA(t, "GUI Test CA")
	p := cloudtest.StartTLSProxy(t, ca, srv.OpenAIURL(), key)
	proxy := cloudtest.StartConnectProxy(t)
	ep := cloud.Endpoint{Preset: cloud.PresetVLLM, BaseURL: p.CloudURL, Model: guiModel, CAFile: ca.CertFile, ProxyURL: proxy.URL}
	return p, proxy, ep, srv
}

func TestConnectionTestRunsInBackground(t *testing.T) {
	useKeyringMock(t)
	const key = "sk-gui-conn-1234"
	_, _, ep, _ := cloudWorld(t, key)
	st := newTestState(t)
	cs := settingsOf(t, st).cloud
	cs.baseURL.SetText(ep.BaseURL)
	cs.model.SetText(ep.Model)
	cs.proxy.SetText(ep.ProxyURL)
	cs.caFile.SetText(ep.CAFile)

	test.Type(cs.key, "sk-falsch")
	test.Tap(cs.test)
	awaitIdle(t, cs.st, "the connection test")
	if !strings.Contains(cs.status.Text, "Zugang abgelehnt (401)") {
		t.Fatalf("wrong key: status = %q", cs.status.Text)
	}
	cs.key.SetText(key)
	test.Tap(cs.test)
	awaitIdle(t, cs.st, "the connection test")
	if !strings.Contains(cs.status.Text, "in Ordnung") || strings.Contains(cs.status.Text, "nicht in der Liste") {
		t.Fatalf("status = %q", cs.status.Text)
	}
}

var guiCloudBundle = cloudtest.PromptBundle("gui-cloud", "Zwei kurze Aufgaben (GUI-Test)", true, 12)

func TestCloudRunNeedsConsentInDialog(t *testing.T) {
	useKeyringMock(t)
	const key = "sk-gui-run-9876"
	tlsProxy, proxy, ep, srv := cloudWorld(t, key)
	st := newTestState(t)
	os.MkdirAll(filepath.Join(st.dataDir, "bundles", "prompts"), 0o700)
	os.WriteFile(filepath.Join(st.dataDir, "bundles", "prompts", "gui-cloud.yaml"), []byte(guiCloudBundle), 0o600)
	if err := cloud.SaveEndpoint(context.Background(), st.db, ep); err != nil {
		t.Fatal(err)
	}
	if err := cloud.SaveKey(ep, cloud.NewAPIKey(key)); err != nil {
		t.Fatal(err)
	}
	// A local run of the same bundle, for the comparison.
	cat, _ := bench.LoadCatalogue(st.dataDir)
	b, err := cat.Get("gui-cloud")
	if err != nil {
		t.Fatal(err)
	}
	local, err := bench.Execute(context.Background(), st.db, bench.Options{Endpoint: bench.Endpoint{URL: srv.URL(), Runtime: bench.RuntimeOllama},
		Model: bench.ModelInfo{Name: guiModel}, Bundle: b, Repeat: 2, Warmup: -1})
	if err != nil {
		t.Fatal(err)
	}

	cs := cloudScreenOf(t, st)
	cs.repeat = 2
	cs.reload()
	if len(cs.bundles) == 0 || cs.bundleSel.Selected == "" {
		t.Fatal("no cloud_allowed bundle offered")
	}
	cs.bundleSel.SetSelected("Zwei kurze Aufgaben (GUI-Test) (gui-cloud)")

	// 1. The dialog lists host and prompts; declining sends nothing.
	test.Tap(cs.runBtn)
	if cs.consent == nil {
		t.Fatal("no consent dialog")
	}
	text := cs.consent.text.Text
	for _, want := range []string{cloudtest.CloudHost, "gruss", "zuordnen", "synthetische"} {
		if !strings.Contains(text, want) {
			t.Errorf("consent text lacks %q:\n%s", want, text)
		}
	}
	if !cs.consent.send.Disabled() {
		t.Fatal("Senden must be disabled until the box is ticked")
	}
	test.Tap(cs.consent.send) // disabled: nothing happens
	test.Tap(cs.consent.cancel)
	if !strings.Contains(cs.runStatus.Text, "nichts gesendet") || proxy.Connects.Load() != 0 || len(tlsProxy.AuthHeaders()) != 0 {
		t.Fatalf("after declining: status %q, %d tunnels", cs.runStatus.Text, proxy.Connects.Load())
	}

	// 2. Agreeing runs the bundle; the consent is stored with the run.
	test.Tap(cs.runBtn)
	test.Tap(cs.consent.agree)
	saveScreenshot(t, st.win, "de-cloud-zustimmung.png")
	test.Tap(cs.consent.send)
	awaitIdle(t, st, "the cloud run")
	if !strings.Contains(cs.runStatus.Text, "Fertig") {
		t.Fatalf("status = %q", cs.runStatus.Text)
	}
	if len(cs.cloudRuns) != 1 {
		t.Fatalf("cloud runs listed = %d", len(cs.cloudRuns))
	}
	cloudID := cs.cloudRuns[0].RunID
	consent, err := cloud.ConsentForRun(context.Background(), st.db, cloudID)
	if err != nil || consent == nil || consent.Via != "gui" || consent.Host != cloudtest.CloudHost || len(consent.PromptIDs) != 2 {
		t.Fatalf("consent = %+v, %v", consent, err)
	}
	if netw, _ := cloudrun.LoadNetwork(context.Background(), st.db, cloudID); len(netw) != 6 { // 2 prompts × (1 warm-up + 2)
		t.Fatalf("network rows = %d, want 6", len(netw))
	}

	// 3. Compare with the local run, then the cost with measured figures.
	for i, r := range cs.localRuns {
		if r.RunID == local.RunID {
			cs.localSel.SetSelectedIndex(i)
		}
	}
	test.Tap(cs.compareBtn)
	if !strings.Contains(cs.compareOut.Text, "Erstes Token (TTFT)") || !strings.Contains(cs.compareOut.Text, "erteilt am") {
		t.Fatalf("comparison:\n%s", cs.compareOut.Text)
	}
	test.Tap(cs.costBtn)
	saveScreenshot(t, st.win, "de-cloud-vergleich.png")
	if !strings.Contains(cs.costOut.Text, "Empfehlung:") || !strings.Contains(cs.costOut.Text, "aus dem Vergleich der Läufe") {
		t.Fatalf("cost:\n%s", cs.costOut.Text)
	}
	st.db.Close()
	assertNoKeyInDir(t, st.dataDir, key)
}

func assertNoKeyInDir(t *testing.T, dir, key string) {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		n++
		if bytes.Contains(b, []byte(key)) {
			t.Errorf("the API key is in %s", path)
		}
		return nil
	})
	if n == 0 {
		t.Fatal("no files searched")
	}
}
