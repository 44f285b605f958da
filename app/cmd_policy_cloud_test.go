package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/cloud/cloudtest"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// TestBenchCloudFollowsThePolicy: the KI-Test against a cloud endpoint
// (the real Ollama behind a TLS proxy under a non-loopback name) with
// test inputs of class personenbezogen is refused under the packaged
// policy (cloud service without AVV) before anything is sent, and runs
// once the municipality's policy marks the service as having an AVV.
func TestBenchCloudFollowsThePolicy(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "policy-cloud", ollamatest.TinyShape, gguf.QuantQ8_0)
	const key = "sk-policy-1f2e3d4c"
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
	args := []string{"--data-dir", dir, "bench", "--endpoint", tlsProxy.CloudURL, "--model", "policy-cloud", "--bundle", "cloud-cli",
		"--repeat", "1", "--warmup", "0", "--proxy", proxy.URL, "--ca-file", ca.CertFile, "--key-env", "KICHECK_TEST_CLOUD_KEY", "--allow-cloud"}

	_, errOut, code := kicheck(t, append(args, "--data-class", "personenbezogen")...)
	if code != exitPolicyForbidden || !strings.Contains(errOut, "Die KI-Richtlinie verbietet diesen Lauf") || !strings.Contains(errOut, "Cloud-Dienste ohne Auftragsverarbeitungsvertrag") ||
		!strings.Contains(errOut, "Es wurde nichts gesendet") || !strings.Contains(errOut, "hint:") {
		t.Fatalf("packaged policy, personenbezogen: exit %d\n%s", code, errOut)
	}
	if proxy.Connects.Load() != 0 || len(tlsProxy.AuthHeaders()) != 0 {
		t.Fatal("something was sent although the policy forbids it")
	}

	// Synthetic prompts (the default class) are public: allowed.
	out, errOut, code := kicheck(t, append(args, "--json")...)
	if code != 0 || !strings.Contains(errOut, "Es gilt: Erlaubt:") {
		t.Fatalf("synthetic: exit %d\n%s\n%s", code, out, errOut)
	}

	writeOwnPolicy(t, dir, "    avv: false\n", "    avv: true\n")
	before := len(tlsProxy.AuthHeaders())
	out, errOut, code = kicheck(t, append(args, "--data-class", "personenbezogen", "--json")...)
	if code != 0 || !strings.Contains(errOut, "Erlaubt mit Auflagen") || !strings.Contains(errOut, "halle 1.0") {
		t.Fatalf("with AVV: exit %d\n%s\n%s", code, out, errOut)
	}
	if runID(t, out) == 0 || len(tlsProxy.AuthHeaders()) <= before {
		t.Fatal("the allowed run sent nothing")
	}
	// Sozialdaten stay forbidden even with an AVV.
	_, errOut, code = kicheck(t, append([]string{"--lang", "en"}, append(args, "--data-class", "sozialdaten")...)...)
	if code != exitPolicyForbidden || !strings.Contains(errOut, "The AI policy forbids this run") {
		t.Fatalf("sozialdaten: exit %d\n%s", code, errOut)
	}
}
