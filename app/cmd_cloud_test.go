package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloud/cloudtest"
	"github.com/ki-reise/kicheck/internal/compare"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// cloudTestBundle is a small cloud_allowed bundle put into the data dir's
// override folder, so the test runs in seconds.
var cloudTestBundle = cloudtest.PromptBundle("cloud-cli", "Zwei kurze Aufgaben (CLI-Test)", true, 16)

// TestCloudPathEndToEnd: a local run and a cloud run of the same bundle
// through the command line, the cloud being the real Ollama behind a TLS
// proxy (CA made here, bearer auth) reached through a CONNECT proxy under
// a non-loopback name; then compare and cost; then every file the app
// wrote is searched for the API key.
func TestCloudPathEndToEnd(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "cli-cloud", ollamatest.TinyShape, gguf.QuantQ8_0)
	const key = "sk-e2e-7c1f0a9b8d6e5f4a"
	t.Setenv("KICHECK_TEST_CLOUD_KEY", key)
	ca := cloudtest.NewCA(t, "Stadt CA")
	tlsProxy := cloudtest.StartTLSProxy(t, ca, srv.OpenAIURL(), key)
	proxy := cloudtest.StartConnectProxy(t)

	dir := t.TempDir()
	bundleDir := filepath.Join(dir, "bundles", "prompts")
	os.MkdirAll(bundleDir, 0o700)
	if err := os.WriteFile(filepath.Join(bundleDir, "cloud-cli.yaml"), []byte(cloudTestBundle), 0o600); err != nil {
		t.Fatal(err)
	}
	// KICHECK_CLOUD_E2E_BUNDLE=kommune-basis runs the packaged bundle instead
	// (slower; used for the figures in the report).
	bundle := "cloud-cli"
	if b := os.Getenv("KICHECK_CLOUD_E2E_BUNDLE"); b != "" {
		bundle = b
	}
	var allOutput bytes.Buffer
	run := func(args ...string) (string, string, int) {
		out, errOut, code := kicheck(t, append([]string{"--data-dir", dir}, args...)...)
		allOutput.WriteString(out + errOut)
		return out, errOut, code
	}

	// Local run.
	out, errOut, code := run("bench", "--endpoint", srv.URL(), "--model", "cli-cloud", "--bundle", bundle, "--repeat", "2", "--warmup", "0", "--no-load", "--json")
	if code != 0 {
		t.Fatalf("local bench: exit %d\n%s", code, errOut)
	}
	localID := runID(t, out)

	cloudArgs := []string{"bench", "--endpoint", tlsProxy.CloudURL, "--model", "cli-cloud", "--bundle", bundle, "--repeat", "2", "--warmup", "0",
		"--proxy", proxy.URL, "--ca-file", ca.CertFile, "--json"}
	if os.Getenv("KICHECK_SECRET_SERVICE") == "1" {
		// scripts/secret-service.sh runs a real Secret Service: the key
		// comes from the OS credential store, as on a clerk's PC.
		ep := cloud.Endpoint{BaseURL: tlsProxy.CloudURL}
		if err := cloud.SaveKey(ep, cloud.NewAPIKey(key)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cloud.SaveKey(ep, cloud.APIKey{}) })
		t.Log("key from the Secret Service")
	} else {
		cloudArgs = append(cloudArgs, "--key-env", "KICHECK_TEST_CLOUD_KEY")
	}

	// Without --allow-cloud: refused, the list of prompts shown, nothing sent.
	out, errOut, code = run(cloudArgs...)
	if code != 1 || !strings.Contains(errOut, "Abgelehnt: "+cloudtest.CloudHost) || !strings.Contains(errOut, "hint:") ||
		!strings.Contains(errOut, "--allow-cloud") || !strings.Contains(errOut, "Prüfaufgaben an "+cloudtest.CloudHost) || !strings.Contains(errOut, "synthetische") {
		t.Fatalf("without --allow-cloud: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if proxy.Connects.Load() != 0 || len(tlsProxy.AuthHeaders()) != 0 {
		t.Fatal("something was sent without --allow-cloud")
	}

	// With --allow-cloud, and a rate limit on the first request (fault
	// injection by the test proxy).
	tlsProxy.Inject429(1)
	out, errOut, code = run(append(cloudArgs, "--allow-cloud")...)
	if code != 0 {
		t.Fatalf("cloud bench: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "hinweis: Anfragelimit bei "+cloudtest.CloudHost) {
		t.Fatalf("the 429 retry was not reported:\n%s", errOut)
	}
	cloudID := runID(t, out)

	// Compare, JSON and text.
	out, errOut, code = run("compare", "--local", itoa(localID), "--cloud", itoa(cloudID), "--json")
	if code != 0 {
		t.Fatalf("compare: exit %d\n%s", code, errOut)
	}
	var c compare.Comparison
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("compare JSON: %v\n%s", err, out)
	}
	if c.Local.Remote || !c.Cloud.Remote || c.Local.TTFTms.N != 2*len(c.Prompts) || c.Cloud.TTFTms.N != 2*len(c.Prompts) || len(c.Prompts) < 2 ||
		c.Prompts[0].Similarity == nil || c.Cloud.Network == nil || c.Cloud.Network.Retries != 1 || c.Local.Network != nil ||
		c.Cloud.Consent == nil || c.Cloud.Consent.Host != cloudtest.CloudHost || c.Cloud.Consent.Via != "cli" {
		t.Fatalf("comparison = %+v", c)
	}
	out, _, code = run("compare", "--local", itoa(localID), "--cloud", itoa(cloudID))
	if code != 0 || !strings.Contains(out, "Erstes Token (TTFT)") || !strings.Contains(out, "Netzwerkanteil") || !strings.Contains(out, "erteilt am") {
		t.Fatalf("compare text:\n%s", out)
	}
	t.Logf("kicheck compare:\n%s", out)

	// Cost, with a parameter file.
	params := filepath.Join(dir, "kosten.yaml")
	os.WriteFile(params, []byte("version: 1\nusage:\n  users: 80\ncloud:\n  price_input_per_million: 0.5\nlocal: {}\n"), 0o600)
	out, errOut, code = run("cost", "--params", params, "--json", "--avv")
	var cr struct {
		cost.Result
		Params cost.Params `json:"params"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &cr) != nil || cr.Params.Usage.Users != 80 || !cr.Params.Cloud.AVVAvailable || cr.RequestsPerMonth != 80*10*21 {
		t.Fatalf("cost: exit %d %s\n%s", code, errOut, out)
	}

	// Cost with the figures measured in the two runs.
	out, errOut, code = run("cost", "--local", itoa(localID), "--cloud", itoa(cloudID))
	if code != 0 || !strings.Contains(out, "Empfehlung:") || !strings.Contains(out, "Gemessen (Läufe") {
		t.Fatalf("cost --local --cloud: exit %d %s\n%s", code, errOut, out)
	}
	t.Logf("kicheck cost --local %d --cloud %d:\n%s", localID, cloudID, out)

	// A signed report and its PDF/HTML exports, written after the cloud
	// run, are searched too. The verdict's exit code (0/10/20) is not the
	// point here; an error (1) is.
	exportDir := filepath.Join(dir, "export")
	_, errOut, code = run("check", "--headless", "--out", exportDir, "--timeout", "5m")
	if code == exitFailure || code == exitUsage {
		t.Fatalf("check --headless: exit %d %s", code, errOut)
	}
	if reports, _ := filepath.Glob(filepath.Join(exportDir, "*.json.sig")); len(reports) == 0 {
		t.Fatalf("check --headless exported no signed report into %s", exportDir)
	}

	// The key must be in no file the app wrote (database, settings,
	// reports, exports) and in none of its output.
	cloudtest.AssertKeyNowhere(t, dir, key)
	if strings.Contains(allOutput.String(), key) {
		t.Fatal("the API key was printed")
	}
	// ... but it did reach the server, as a bearer token.
	if h := tlsProxy.AuthHeaders(); len(h) == 0 || h[len(h)-1] != "Bearer "+key {
		t.Fatalf("the server got %v", h)
	}
}

func TestLoopbackEndpointNeedsNoConsentButRemoteDoes(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := kicheck(t, "--data-dir", dir, "bench", "--endpoint", "https://api.mistral.ai/v1", "--model", "mistral-small-latest", "--key-env", "KICHECK_NO_SUCH_KEY")
	if code != 1 || !strings.Contains(errOut, "Abgelehnt: api.mistral.ai") || !strings.Contains(errOut, "bescheid-zusammenfassen") {
		t.Fatalf("remote without --allow-cloud: exit %d\n%s", code, errOut)
	}
	_, errOut, code = kicheck(t, "--data-dir", dir, "bench", "--endpoint", "http://api.mistral.ai/v1", "--model", "m", "--allow-cloud")
	if code == 0 || !strings.Contains(errOut, "https") {
		t.Fatalf("plain http to a remote host must be refused: exit %d\n%s", code, errOut)
	}
}

func runID(t *testing.T, out string) int64 {
	t.Helper()
	var r struct {
		RunID int64 `json:"run_id"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.RunID == 0 {
		t.Fatalf("no run_id in %q: %v", out, err)
	}
	return r.RunID
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestCloudCommandStoresSettingsWithoutKey(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := kicheck(t, "--data-dir", dir, "cloud", "set", "--preset", "azure", "--endpoint", "https://halle.openai.azure.com",
		"--deployment", "gpt-4o-mini", "--key-env", "AZURE_KEY", "--proxy", "http://proxy.halle.example:8080", "--json")
	if code != 0 {
		t.Fatalf("cloud set: exit %d\n%s", code, errOut)
	}
	var ep cloud.Endpoint
	if err := json.Unmarshal([]byte(out), &ep); err != nil || ep.Preset != "azure" || ep.AzureDeployment != "gpt-4o-mini" || ep.KeyEnv != "AZURE_KEY" {
		t.Fatalf("stored = %s (%v)", out, err)
	}
	out, _, code = kicheck(t, "--data-dir", dir, "cloud", "show")
	if code != 0 || !strings.Contains(out, "/openai/deployments/gpt-4o-mini/chat/completions?api-version=") || !strings.Contains(out, "Umgebungsvariable AZURE_KEY") {
		t.Fatalf("show:\n%s", out)
	}
	// --cloud uses the stored endpoint; without --allow-cloud nothing is sent.
	_, errOut, code = kicheck(t, "--data-dir", dir, "bench", "--cloud", "--bundle", "kommune-basis")
	if code != 1 || !strings.Contains(errOut, "Abgelehnt: halle.openai.azure.com") {
		t.Fatalf("bench --cloud without --allow-cloud: exit %d\n%s", code, errOut)
	}
	// An unset key variable is named.
	t.Setenv("AZURE_KEY", "")
	_, errOut, code = kicheck(t, "--data-dir", dir, "cloud", "test")
	if code != 1 || !strings.Contains(errOut, "AZURE_KEY") {
		t.Fatalf("cloud test without key: exit %d\n%s", code, errOut)
	}
	_, errOut, code = kicheck(t, "--data-dir", dir, "cloud", "set", "--endpoint", "http://remote.example/v1")
	if code == 0 || !strings.Contains(errOut, "unverschlüsselte") {
		t.Fatalf("http endpoint: exit %d\n%s", code, errOut)
	}
}

func TestCloudTestCommandThroughProxy(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "cli-conn", ollamatest.TinyShape, gguf.QuantQ8_0)
	const key = "sk-cli-conn-4242"
	t.Setenv("KICHECK_CONN_KEY", key)
	ca := cloudtest.NewCA(t, "CLI CA")
	p := cloudtest.StartTLSProxy(t, ca, srv.OpenAIURL(), key)
	proxy := cloudtest.StartConnectProxy(t)
	dir := t.TempDir()
	_, errOut, code := kicheck(t, "--data-dir", dir, "cloud", "set", "--endpoint", p.CloudURL, "--model", "cli-conn",
		"--key-env", "KICHECK_CONN_KEY", "--proxy", proxy.URL, "--ca-file", ca.CertFile)
	if code != 0 {
		t.Fatalf("set: %s", errOut)
	}
	out, errOut, code := kicheck(t, "--data-dir", dir, "cloud", "test")
	if code != 0 || !strings.Contains(out, "in Ordnung") || strings.Contains(out, "Achtung") {
		t.Fatalf("cloud test: exit %d\n%s%s", code, out, errOut)
	}
	t.Setenv("KICHECK_CONN_KEY", "sk-falsch")
	_, errOut, code = kicheck(t, "--data-dir", dir, "cloud", "test")
	if code != 1 || !strings.Contains(errOut, "error: Zugang abgelehnt (401)") || !strings.Contains(errOut, "hint: Der API-Schlüssel") {
		t.Fatalf("wrong key: exit %d\n%s", code, errOut)
	}
	if len(p.AuthHeaders()) != 2 {
		t.Fatalf("requests = %d, want 2 (no prompt, no retry on 401)", len(p.AuthHeaders()))
	}
	// The same refusal in English with --lang en.
	_, errOut, code = kicheck(t, "--data-dir", dir, "--lang", "en", "cloud", "test")
	if code != 1 || !strings.Contains(errOut, "error: Access denied (401)") || !strings.Contains(errOut, "hint: The API key for ") {
		t.Fatalf("wrong key, --lang en: exit %d\n%s", code, errOut)
	}
}
