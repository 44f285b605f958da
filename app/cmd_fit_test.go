package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

func TestProbeJSONIsStoredAndHasInventory(t *testing.T) {
	dataDir := t.TempDir()
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--data-dir", dataDir, "probe", "--json", "--quick"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got struct {
		SchemaVersion  int     `json:"schema_version"`
		Complete       bool    `json:"complete"`
		MemoryReadGBps float64 `json:"memory_read_gbps"`
		Probe          struct {
			MemoryReadGBps float64     `json:"memory_read_gbps"`
			MemoryRead     *probe.Stat `json:"memory_read"`
		} `json:"probe"`
		Inventory struct {
			CPU    struct{ Status string } `json:"cpu"`
			Memory struct{ Status string } `json:"memory"`
		} `json:"inventory"`
		Machine struct {
			RAMTotalBytes  uint64  `json:"ram_total_bytes"`
			MemoryReadGBps float64 `json:"memory_read_gbps"` // the figure the fit uses
			ProbesCombined int     `json:"probes_combined"`
		} `json:"machine"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not the documented JSON: %v\n%s", err, out.String())
	}
	if got.SchemaVersion != 1 || !got.Complete || got.MemoryReadGBps <= 0 || got.Probe.MemoryReadGBps != got.MemoryReadGBps || got.Probe.MemoryRead == nil {
		t.Errorf("probe output %+v", got)
	}
	if got.Inventory.CPU.Status != "ok" || got.Inventory.Memory.Status != "ok" || got.Machine.RAMTotalBytes == 0 {
		t.Errorf("inventory not included: %+v", got)
	}
	db, err := store.Open(context.Background(), filepath.Join(dataDir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, err := db.ListRuns(context.Background(), probe.RunKind, 10)
	if err != nil || len(runs) != 1 || runs[0].Status != store.StatusDone {
		t.Fatalf("stored runs %+v, %v", runs, err)
	}

	// kicheck models reuses the stored probe.
	out.Reset()
	errb.Reset()
	code = Main(context.Background(), []string{"--data-dir", dataDir, "models", "--json", "--usecase", "anfrage-klassifizieren"}, &out, &errb)
	if code != 0 {
		t.Fatalf("models: exit %d: %s", code, errb.String())
	}
	var models struct {
		Machine struct {
			MemoryReadGBps float64 `json:"memory_read_gbps"`
		} `json:"machine"`
		UseCases []struct {
			UseCase struct{ ID string } `json:"usecase"`
			Verdict string              `json:"verdict"`
			Summary string              `json:"summary"`
			Models  []struct {
				Model      string `json:"model"`
				Prediction struct {
					DecodeTPS *struct {
						Value float64 `json:"value"`
						Basis string  `json:"basis"`
					} `json:"decode_tps"`
				} `json:"prediction"`
			} `json:"models"`
		} `json:"usecases"`
	}
	if err := json.Unmarshal(out.Bytes(), &models); err != nil {
		t.Fatalf("models JSON: %v\n%s", err, out.String())
	}
	// The fit uses the probe's sustained figure (the lower quartile of its
	// steady window), not the median.
	if models.Machine.MemoryReadGBps != got.Machine.MemoryReadGBps || got.Machine.MemoryReadGBps <= 0 || got.Machine.ProbesCombined != 1 {
		t.Errorf("models used %.2f GB/s, want the stored probe's figure %.2f (median %.2f, %d probes)", models.Machine.MemoryReadGBps, got.Machine.MemoryReadGBps, got.MemoryReadGBps, got.Machine.ProbesCombined)
	}
	if len(models.UseCases) != 1 || models.UseCases[0].UseCase.ID != "anfrage-klassifizieren" || models.UseCases[0].Summary == "" {
		t.Fatalf("use cases %+v", models.UseCases)
	}
	switch models.UseCases[0].Verdict {
	case "ready", "limited", "not_ready":
	default:
		t.Errorf("verdict %q", models.UseCases[0].Verdict)
	}
	for _, m := range models.UseCases[0].Models {
		if m.Prediction.DecodeTPS == nil || !strings.Contains(m.Prediction.DecodeTPS.Basis, "GB/s") {
			t.Errorf("%s: prediction without basis", m.Model)
		}
	}
	if runs, _ := db.ListRuns(context.Background(), probe.RunKind, 10); len(runs) != 1 {
		t.Errorf("%d probe runs stored, want 1", len(runs))
	}
}

func TestProbeCancelledIsStoredAsCancelled(t *testing.T) {
	dataDir := t.TempDir()
	// Cancelled while measuring: even a quick probe on an idle machine
	// runs for about a second (it fills several hundred MB first).
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	var out, errb bytes.Buffer
	code := Main(ctx, []string{"--data-dir", dataDir, "probe", "--json", "--quick"}, &out, &errb)
	if code == 0 {
		t.Fatal("cancelled probe exited 0")
	}
	if !strings.Contains(out.String(), `"complete": false`) {
		t.Errorf("output not marked incomplete:\n%s", out.String())
	}
	db, err := store.Open(context.Background(), filepath.Join(dataDir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, _ := db.ListRuns(context.Background(), probe.RunKind, 10)
	if len(runs) != 1 || runs[0].Status != store.StatusCancelled {
		t.Fatalf("runs %+v, want one cancelled", runs)
	}
	if _, ok, _ := probe.Latest(context.Background(), db, probe.MaxAge); ok {
		t.Error("a cancelled probe is offered as the latest complete one")
	}
}

func TestModelsTableAndBadInput(t *testing.T) {
	dataDir := t.TempDir()
	// A municipality's broken model file: warned about, the rest works.
	bad := filepath.Join(dataDir, "bundles", "models", "kaputt.yaml")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	os.WriteFile(bad, []byte(`id: kaputt
name: Kaputt
family: llama
kind: chat
parameters_b: viele
context_length: 8192
licence: intern
shape: {layers: 16, hidden_size: 2048, attention_heads: 32, kv_heads: 8, head_dim: 64, vocab_size: 128256}
quantizations: [{name: Q4_K_M, size_gb: 0.81}]
`), 0o644)
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--data-dir", dataDir, "models", "--usecase", "besprechung-transkribieren"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), bad+":5:15: parameters_b") {
		t.Errorf("warning does not name file, line and field:\n%s", errb.String())
	}
	if !strings.Contains(out.String(), "Transkription einer Besprechung") || !strings.Contains(out.String(), "whisper-large-v3-turbo") {
		t.Errorf("table:\n%s", out.String())
	}

	errb.Reset()
	if code := Main(context.Background(), []string{"--data-dir", dataDir, "models", "--usecase", "gibtsnicht"}, &out, &errb); code != exitUsage {
		t.Errorf("unknown use case: exit %d, want %d", code, exitUsage)
	}
}
