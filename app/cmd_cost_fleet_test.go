package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/cost"
	reports "github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// TestCostPCsFromFleet: three signed reports (bereit, eingeschränkt,
// nicht bereit) taken in by kicheck collect; kicheck cost --fleet-db reads
// 3 PCs, 2 of them needing an upgrade, and says where they came from.
func TestCostPCsFromFleet(t *testing.T) {
	share := t.TempDir()
	for i, level := range []string{reports.LevelReady, reports.LevelLimited, reports.LevelNotReady} {
		key, err := signing.Load(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		r := reports.New(key, time.Now().Add(-time.Hour))
		r.Device.OrgUnit = "Bauamt"
		r.Summary.Verdicts = []reports.Verdict{{Subject: "Zusammenfassen", UseCase: "zusammenfassen", Model: "llama3.2:3b", Level: level, Reason: "test"}}
		r.Summary.Overall = reports.Overall(r.Summary.Verdicts)
		data, err := reports.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := key.Sign(data)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(share, "pc"+string(rune('1'+i))+".json")
		os.WriteFile(name, data, 0o644)
		os.WriteFile(name+".sig", sig, 0o644)
	}
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "sammelstelle.db")
	if _, errOut, code := kicheck(t, "--data-dir", dir, "collect", "--db", db, "--enroll", share); code != 0 {
		t.Fatalf("collect: %d %s", code, errOut)
	}
	out, errOut, code := kicheck(t, "--data-dir", dir, "cost", "--users", "400", "--fleet-db", db, "--json")
	if code != 0 {
		t.Fatalf("cost: %d %s", code, errOut)
	}
	var got struct {
		Operating cost.Operating `json:"operating"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Operating.PCs != 3 || got.Operating.PCsNotReady != 2 {
		t.Fatalf("operating %+v, %v", got.Operating, err)
	}
	out, _, _ = kicheck(t, "--data-dir", dir, "cost", "--users", "400", "--fleet-db", db)
	if !strings.Contains(out, "3 Geräte nach ihrem neuesten Bericht, davon 2 eingeschränkt oder nicht bereit") {
		t.Errorf("no fleet line:\n%s", out)
	}
	if _, errOut, code := kicheck(t, "--data-dir", dir, "cost", "--fleet-db", filepath.Join(dir, "fehlt.db")); code == 0 || !strings.Contains(errOut, "fehlt.db") {
		t.Errorf("missing file: %d %s", code, errOut)
	}
}
