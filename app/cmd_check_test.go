package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	reports "github.com/ki-reise/kicheck/internal/report"
)

func TestCheckHeadless(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	policy := filepath.Join(t.TempDir(), "policy.yaml")
	os.WriteFile(policy, []byte("org_unit: Fachbereich 3\n"), 0o644)
	stdout, stderr, code := kicheck(t, "--data-dir", dir, "--lang", "en", "check", "--headless", "--out", out, "--policy", policy, "--json")
	var res checkJSON
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("check --json: %v\n%s\n%s", err, stdout, stderr)
	}
	want := map[string]int{reports.LevelReady: 0, reports.LevelLimited: exitCheckLimited, reports.LevelNotReady: exitCheckNotReady, reports.LevelUnknown: exitFailure}
	if code != want[res.Overall] {
		t.Errorf("overall %s, exit %d, want %d (stderr %q)", res.Overall, code, want[res.Overall], stderr)
	}
	if res.Overall == reports.LevelUnknown && !strings.Contains(stderr, "no verdict") {
		t.Errorf("no verdict not explained: %q", stderr)
	}
	// The exported report verifies with the key kicheck key show prints.
	line, _, _ := kicheck(t, "--data-dir", dir, "key", "show")
	as := filepath.Join(t.TempDir(), "allowed_signers")
	os.WriteFile(as, []byte(line), 0o644)
	vout, _, vcode := kicheck(t, "--data-dir", dir, "verify", "--allowed-signers", as, res.Exported.JSON)
	if vcode != 0 {
		t.Fatalf("verify of the check's report: %d %s", vcode, vout)
	}
	b, _ := os.ReadFile(res.Exported.JSON)
	if !strings.Contains(string(b), `"org_unit": "Fachbereich 3"`) {
		t.Error("org unit from the policy missing")
	}
	for _, p := range []string{res.Exported.PDF, res.Exported.HTML} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	// German summary without --json.
	stdout, _, _ = kicheck(t, "--data-dir", dir, "check", "--headless", "--out", out)
	if !strings.Contains(stdout, "Geräte-ID kc-") || strings.Count(strings.TrimSpace(stdout), "\n") != 0 {
		t.Errorf("summary %q", stdout)
	}
}

func TestCheckBadArguments(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(t.TempDir(), "policy.yaml")
	os.WriteFile(bad, []byte("org_unit: x\nhostnames: yes\n"), 0o644)
	_, stderr, code := kicheck(t, "--data-dir", dir, "check", "--headless", "--policy", bad, "--out", t.TempDir())
	if code != exitFailure || !strings.Contains(stderr, "unknown field") || !strings.Contains(stderr, "hint:") {
		t.Errorf("bad policy: %d %q", code, stderr)
	}
	if _, _, code := kicheck(t, "--data-dir", dir, "check", "--upload", "ftp://x", "--out", t.TempDir()); code != exitUsage {
		t.Errorf("--upload: exit %d", code)
	}
	if _, _, code := kicheck(t, "--data-dir", dir, "check", "--timeout", "0s"); code != exitUsage {
		t.Errorf("--timeout 0: exit %d", code)
	}
}
