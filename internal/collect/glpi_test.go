package collect

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ki-reise/kicheck/internal/report"
)

// TestGLPIExport checks the inventory_format fields and units (MB, MHz) of
// the file written for a device, and that the newest report is used.
func TestGLPIExport(t *testing.T) {
	db := openDB(t)
	key := newKey(t)
	old, oldSig := makeReport(t, key, spec{ramGB: 8})
	cur, curSig := makeReport(t, key, spec{ramGB: 16, gpu: "RTX A2000", vramGB: 6, created: mustTime("2026-11-25T10:00:00Z"),
		verdicts: []report.Verdict{verdict("zusammenfassen", "llama3.2:3b", report.LevelReady, 12)}})
	runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "a", Data: cur, Sig: curSig}, Item{Source: "b", Data: old, Sig: oldSig})
	dir := t.TempDir()
	n, err := WriteGLPI(context.Background(), db, dir)
	if err != nil || n != 1 {
		t.Fatalf("%d files, %v", n, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, key.DeviceID()+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var inv glpiInventory
	if err := json.Unmarshal(b, &inv); err != nil {
		t.Fatal(err)
	}
	c := inv.Content
	if inv.ItemType != "Computer" || inv.Action != "inventory" || inv.DeviceID != key.DeviceID()+"-2026-11-25-10-00-00" {
		t.Errorf("head: %+v", inv)
	}
	if c.Hardware.Memory != 16*1024 || len(c.Videos) != 1 || c.Videos[0].Memory != 6*1024 || c.Videos[0].Name != "RTX A2000" {
		t.Errorf("memory %d MB, videos %+v", c.Hardware.Memory, c.Videos)
	}
	if len(c.CPUs) != 1 || c.CPUs[0].Thread != 12 || c.OperatingSystem.FullName != "Microsoft Windows 11 Pro" {
		t.Errorf("cpus %+v os %+v", c.CPUs, c.OperatingSystem)
	}
	if c.KICheck.DeviceID != key.DeviceID() || len(c.KICheck.Verdicts) != 1 || c.KICheck.Overall != report.LevelReady {
		t.Errorf("kicheck part %+v", c.KICheck)
	}
}
