package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCostCommand(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := kicheck(t, "--data-dir", dir, "cost")
	// The defaults process personal data without an AVV: local, whatever the price.
	if code != 0 || !strings.Contains(out, "Empfehlung: lokal betreiben") || !strings.Contains(out, "Aus dem Prüfpaket kommune-basis geschätzt") {
		t.Fatalf("cost: exit %d %s\n%s", code, errOut, out)
	}
	out, _, code = kicheck(t, "--data-dir", dir, "cost", "--json", "--personal-data=false", "--offline=false", "--users", "20")
	var r struct {
		RequestsPerMonth float64 `json:"requests_per_month"`
		Recommendation   struct {
			Option string `json:"option"`
		} `json:"recommendation"`
		FromBundle []string `json:"derived_from_bundle"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.RequestsPerMonth != 20*10*21 || r.Recommendation.Option != "cloud" || len(r.FromBundle) != 2 {
		t.Fatalf("cost --json: exit %d\n%s", code, out)
	}
	bad := filepath.Join(dir, "kosten.yaml")
	os.WriteFile(bad, []byte("version: 1\nusage:\n  users: -5\ncloud: {}\nlocal: {}\n"), 0o600)
	_, errOut, code = kicheck(t, "--data-dir", dir, "cost", "--params", bad)
	if code != 1 || !strings.Contains(errOut, "kosten.yaml:3:") || !strings.Contains(errOut, "/usage/users") || !strings.Contains(errOut, "hint:") {
		t.Fatalf("bad params: exit %d\n%s", code, errOut)
	}
	for _, args := range [][]string{{"cost", "--verdict", "gut"}, {"cost", "--users", "viele"}, {"cost", "--local", "3"}, {"compare", "--local", "1"}} {
		if _, errOut, code := kicheck(t, append([]string{"--data-dir", dir}, args...)...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, exitUsage, errOut)
		}
	}
	_, errOut, code = kicheck(t, "--data-dir", dir, "compare", "--local", "1", "--cloud", "2")
	if code != 1 || !strings.Contains(errOut, "hint: kicheck bench --list") {
		t.Fatalf("compare unknown runs: exit %d\n%s", code, errOut)
	}
}
