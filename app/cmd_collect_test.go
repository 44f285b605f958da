package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/collect"
)

// TestCollectAndFleetOnRealChecks runs the real headless check on two
// "PCs" (two data dirs), collects their exported reports with enrolment,
// and reads the fleet overview back in every output format.
func TestCollectAndFleetOnRealChecks(t *testing.T) {
	share := t.TempDir()
	for _, pc := range []string{"pc1", "pc2"} {
		out := filepath.Join(share, pc)
		os.MkdirAll(out, 0o755)
		policy := filepath.Join(t.TempDir(), "policy.yaml")
		os.WriteFile(policy, []byte("org_unit: Bauamt\n"), 0o644)
		if _, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "check", "--headless", "--out", out, "--policy", policy); code == exitUsage || strings.Contains(stderr, "error: ") && !strings.Contains(stderr, "no verdict") {
			t.Fatalf("check on %s: %d %s", pc, code, stderr)
		}
	}
	// A tampered copy of one report with its original signature.
	files, _ := filepath.Glob(filepath.Join(share, "pc1", "*.json"))
	if len(files) != 1 {
		t.Fatalf("exported reports: %v", files)
	}
	b, _ := os.ReadFile(files[0])
	sig, _ := os.ReadFile(files[0] + ".sig")
	bad := filepath.Join(share, "tampered.json")
	os.WriteFile(bad, []byte(strings.Replace(string(b), "Bauamt", "Bauamx", 1)), 0o644)
	os.WriteFile(bad+".sig", sig, 0o644)

	dataDir := t.TempDir()
	kc := func(args ...string) (string, string, int) {
		return kicheck(t, append([]string{"--data-dir", dataDir, "--lang", "en"}, args...)...) // the checks below read English
	}
	db := filepath.Join(t.TempDir(), "central.db")
	stdout, stderr, code := kc("collect", "--db", db, share)
	if code != exitCollectRejected || !strings.Contains(stdout, "not enrolled") {
		t.Fatalf("without --enroll: %d %s %s", code, stdout, stderr)
	}
	stdout, stderr, code = kc("collect", "--db", db, "--enroll", "--json", share)
	var sum collect.Summary
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("%v: %s %s", err, stdout, stderr)
	}
	if code != exitCollectRejected || sum.Accepted != 2 || sum.Rejected != 1 || sum.Files[0].Source != bad {
		t.Fatalf("enrol: %d %+v", code, sum)
	}
	stdout, _, code = kc("collect", "--db", db, filepath.Join(share, "pc1"), filepath.Join(share, "pc2"))
	if code != 0 || !strings.Contains(stdout, "0 accepted, 2 duplicate, 0 rejected") {
		t.Fatalf("again: %d %s", code, stdout)
	}

	html, csvPath, glpi := filepath.Join(t.TempDir(), "fleet.html"), filepath.Join(t.TempDir(), "devices.csv"), t.TempDir()
	stdout, stderr, code = kc("fleet", "--db", db, "--json", "--recount", "--html", html, "--csv", csvPath, "--glpi", glpi)
	var f collect.Fleet
	if err := json.Unmarshal([]byte(stdout), &f); err != nil || code != 0 {
		t.Fatalf("fleet: %d %v %s %s", code, err, stdout, stderr)
	}
	if f.Devices != 2 || f.Reports != 2 || len(f.OrgUnits) != 1 || f.OrgUnits[0].Name != "Bauamt" {
		t.Fatalf("fleet %+v", f)
	}
	page, _ := os.ReadFile(html)
	csvText, _ := os.ReadFile(csvPath)
	inv, _ := filepath.Glob(filepath.Join(glpi, "kc-*.json"))
	if !strings.Contains(string(page), "<svg") || strings.Count(string(csvText), "\n") != 3 || len(inv) != 2 {
		t.Fatalf("outputs: html %d bytes, csv %q, glpi %v", len(page), csvText, inv)
	}
	var g map[string]any
	gb, _ := os.ReadFile(inv[0])
	if err := json.Unmarshal(gb, &g); err != nil || g["itemtype"] != "Computer" {
		t.Fatalf("glpi file: %v %s", err, gb)
	}
	content := g["content"].(map[string]any)
	for _, k := range []string{"versionclient", "hardware", "cpus", "operatingsystem", "envs"} {
		if _, ok := content[k]; !ok {
			t.Errorf("glpi content lacks %s", k)
		}
	}
}

func TestCollectAndFleetArguments(t *testing.T) {
	for _, args := range [][]string{
		{"collect", "x"},
		{"collect", "--db", "x.db"},
		{"collect", "--db", "x.db", "--enroll", "--allowed-signers", "a", "dir"},
		{"fleet"},
		{"fleet", "--db", "x.db", "--stale-days", "0"},
	} {
		if _, stderr, code := kicheck(t, append([]string{"--data-dir", t.TempDir()}, args...)...); code != exitUsage {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
	_, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "fleet", "--db", filepath.Join(t.TempDir(), "missing.db"))
	if code != exitFailure || !strings.Contains(stderr, "missing.db") {
		t.Errorf("missing db: %d %s", code, stderr)
	}
}
