package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/golden"
)

func TestCostCommand(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := kicheck(t, "--data-dir", dir, "cost")
	// The defaults process personal data without an AVV: local, whatever the price.
	if code != 0 {
		t.Fatalf("cost: exit %d %s\n%s", code, errOut, out)
	}
	golden.CheckString(t, "cost.de.golden", out)
	if out, errOut, code := kicheck(t, "--data-dir", dir, "--lang", "en", "cost"); code != 0 {
		t.Fatalf("cost --lang en: exit %d %s\n%s", code, errOut, out)
	} else {
		golden.CheckString(t, "cost.en.golden", out)
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
	if code != 1 || !strings.Contains(errOut, "kosten.yaml:3:") || !strings.Contains(errOut, "usage.users") || !strings.Contains(errOut, "hint:") {
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

// TestCostVerdictDefaultsToFit: with a stored probe (a real one, in a real
// SQLite file) the upgrade cost follows this PC's overall fit verdict;
// --verdict still overrides it.
func TestCostVerdictDefaultsToFit(t *testing.T) {
	dir := t.TempDir()
	out, errOut, _ := kicheck(t, "--data-dir", dir, "cost")
	if !strings.Contains(out, "keine Eignungsprüfung gespeichert") {
		t.Fatalf("without a probe the verdict must come from the parameters:\n%s\n%s", out, errOut)
	}
	if _, errOut, code := kicheck(t, "--data-dir", dir, "probe", "--json", "--quick"); code != 0 {
		t.Fatalf("probe: exit %d: %s", code, errOut)
	}
	out, errOut, code := kicheck(t, "--data-dir", dir, "models", "--json")
	var models struct {
		UseCases []struct {
			Verdict string `json:"verdict"`
		} `json:"usecases"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &models) != nil || len(models.UseCases) == 0 {
		t.Fatalf("models: exit %d %s\n%s", code, errOut, out)
	}
	// The overall rule worked out here: ready if all are, not_ready if
	// none is usable, else limited.
	ready, usable := 0, 0
	for _, u := range models.UseCases {
		if u.Verdict == "ready" {
			ready++
		}
		if u.Verdict != "not_ready" {
			usable++
		}
	}
	want := "limited"
	switch {
	case ready == len(models.UseCases):
		want = "ready"
	case usable == 0:
		want = "not_ready"
	}

	type costOut struct {
		VerdictFrom  string  `json:"verdict_from"`
		VerdictProbe *string `json:"verdict_probe_started"`
		Params       struct {
			Local struct {
				HardwareVerdict string             `json:"hardware_verdict"`
				UpgradeCostEUR  map[string]float64 `json:"upgrade_cost_eur"`
			} `json:"local"`
		} `json:"params"`
		HardwareInvestEUR float64 `json:"hardware_invest_eur"`
	}
	var got costOut
	out, errOut, code = kicheck(t, "--data-dir", dir, "cost", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("cost --json: exit %d %s\n%s", code, errOut, out)
	}
	if got.VerdictFrom != "fit" || got.VerdictProbe == nil || got.Params.Local.HardwareVerdict != want {
		t.Errorf("default verdict: from %q, probe %v, verdict %q; want fit, %q", got.VerdictFrom, got.VerdictProbe, got.Params.Local.HardwareVerdict, want)
	}
	out, _, _ = kicheck(t, "--data-dir", dir, "cost")
	if !strings.Contains(out, "Hardware-Ergebnis \""+want+"\" aus der Eignungsprüfung vom ") {
		t.Errorf("text does not name the fit as the source:\n%s", out)
	}

	// --verdict overrides, with a verdict other than the fit's.
	other := "not_ready"
	if want == "not_ready" {
		other = "ready"
	}
	got = costOut{}
	out, errOut, code = kicheck(t, "--data-dir", dir, "cost", "--json", "--verdict", other)
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("cost --verdict: exit %d %s\n%s", code, errOut, out)
	}
	if got.VerdictFrom != "manual" || got.VerdictProbe != nil || got.Params.Local.HardwareVerdict != other ||
		got.HardwareInvestEUR != got.Params.Local.UpgradeCostEUR[other] {
		t.Errorf("--verdict %s: from %q, verdict %q", other, got.VerdictFrom, got.Params.Local.HardwareVerdict)
	}
	out, _, _ = kicheck(t, "--data-dir", dir, "cost", "--verdict", other)
	if !strings.Contains(out, "Hardware-Ergebnis \""+other+"\" von Hand") {
		t.Errorf("text does not say the verdict was entered by hand:\n%s", out)
	}
}
