package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/store"
)

func TestLoadprofileCommand(t *testing.T) {
	srv := ollamatest.Start(t)
	dataDir := t.TempDir()
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--data-dir", dataDir, "--lang", "en", "loadprofile", "--json",
		"--endpoint", srv.URL(), "--layers", "2", "--hidden", "256", "--heads", "4", "--kv-heads", "2", "--ffn", "512",
		"--vocab", "2000", "--quant", "q8_0", "--tokens", "8", "--runs", "2", "--dir", t.TempDir()}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got loadprofileJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if got.Status != store.StatusDone || !got.Complete || len(got.Samples) != 2 || got.DecodeTPS <= 0 || got.Shape.Layers != 2 {
		t.Fatalf("output:\n%s", out.String())
	}
	if !strings.Contains(errb.String(), "Measuring speed") {
		t.Errorf("no progress on stderr: %q", errb.String())
	}
	db, err := store.Open(context.Background(), filepath.Join(dataDir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run, err := db.GetRun(context.Background(), got.RunID)
	if err != nil || run.Kind != "loadprofile" || run.Status != store.StatusDone || !strings.Contains(string(run.Summary), "decode_tps") {
		t.Fatalf("stored run %+v, %v", run, err)
	}
}

func TestLoadprofileUsage(t *testing.T) {
	for _, args := range [][]string{
		{"loadprofile"},
		{"loadprofile", "--model", "llama3.1-8b", "--layers", "2"},
		{"loadprofile", "--model", "llama3.1-8b", "--quant", "Q3_K_S"},
		{"loadprofile", "--layers", "2", "--hidden", "30", "--heads", "4", "--ffn", "8"},
	} {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"--data-dir", t.TempDir()}, args...), &out, &errb)
		if code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--data-dir", t.TempDir(), "--lang", "en", "loadprofile", "--model", "no-such"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "hint: known models") || !strings.Contains(errb.String(), "mistral-nemo-12b") {
		t.Errorf("unknown model: exit %d, %q", code, errb.String())
	}
}
