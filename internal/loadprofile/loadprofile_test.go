package loadprofile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/shirou/gopsutil/v4/disk"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/runtime"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.RunShared(m)) }

// smallTarget is a 2-layer model of about 4 MB: big enough to exercise
// every stage, small enough for the test suite on a busy machine.
var smallTarget = gguf.Target{Name: "test-small", Quant: gguf.QuantQ8_0,
	Shape: gguf.Shape{Layers: 2, Hidden: 256, Heads: 4, KVHeads: 2, FFN: 768, Vocab: 4000, Context: 4096}}

// ollamaModels lists the models the server has.
func ollamaModels(t *testing.T, srv *ollamatest.Server) []string {
	t.Helper()
	resp := srv.Get(t, "/api/tags")
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/api/tags: %s", resp.Status)
	}
	var tags struct {
		Models []struct{ Name string } `json:"models"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tags); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range tags.Models {
		names = append(names, m.Name)
	}
	return names
}

func assertCleanedUp(t *testing.T, srv *ollamatest.Server, dir string, res Result) {
	t.Helper()
	if res.CleanupError != "" {
		t.Errorf("cleanup error: %s", res.CleanupError)
	}
	for _, n := range ollamaModels(t, srv) {
		if strings.HasPrefix(n, "kicheck-lastprofil-") {
			t.Errorf("model %s left in Ollama", n)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("files left in %s: %v", dir, entries)
	}
}

func TestRunMeasuresAndCleansUp(t *testing.T) {
	srv := ollamatest.Shared(t)
	dir := t.TempDir()
	var stages []string
	res, err := Run(context.Background(), Options{Endpoint: srv.URL(), Target: smallTarget, Dir: dir, Tokens: 16, Runs: 2,
		Progress: func(p Progress) {
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete || len(res.Samples) != 2 || res.DecodeTPS <= 0 || res.PromptTPS <= 0 || res.LoadMS <= 0 {
		t.Fatalf("result %+v", res)
	}
	for _, s := range res.Samples {
		if s.DecodeTokens != 16 {
			t.Errorf("sample decoded %d tokens, want 16", s.DecodeTokens)
		}
	}
	if res.RuntimeVersion == "" || res.FileBytes < 1e6 {
		t.Errorf("version %q, file %d bytes", res.RuntimeVersion, res.FileBytes)
	}
	want := []string{StageWrite, StageUpload, StageCreate, StageLoad, StageGenerate, StageCleanup}
	if strings.Join(stages, ",") != strings.Join(want, ",") {
		t.Errorf("stages %v, want %v", stages, want)
	}
	assertCleanedUp(t, srv, dir, res)
}

// Cancelling in any stage ends the run with context.Canceled, keeps what
// was measured, and still removes the model and the file.
func TestCancelCleansUp(t *testing.T) {
	srv := ollamatest.Shared(t)
	for _, stage := range []string{StageWrite, StageUpload, StageLoad, StageGenerate} {
		t.Run(stage, func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res, err := Run(ctx, Options{Endpoint: srv.URL(), Target: smallTarget, Dir: dir, Tokens: 8, Runs: 3,
				Progress: func(p Progress) {
					// In "generate", cancel after the first measured answer.
					if p.Stage == stage && (stage != StageGenerate || p.Done == 1) {
						cancel()
					}
				}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if res.Complete {
				t.Error("a cancelled run is marked complete")
			}
			if stage == StageGenerate && len(res.Samples) != 1 {
				t.Errorf("kept %d samples, want the 1 measured before cancelling", len(res.Samples))
			}
			assertCleanedUp(t, srv, dir, res)
		})
	}
}

func TestRefusesWhenDiskTooSmall(t *testing.T) {
	srv := ollamatest.Shared(t)
	dir := t.TempDir()
	usage, err := disk.Usage(dir)
	if err != nil {
		t.Skip("free disk space unknown here:", err)
	}
	// F32 layers of about 3.5 GB each, enough of them to exceed the free space.
	layers := int(usage.Free/3_000_000_000) + 2
	big := gguf.Target{Name: "too-big", Quant: gguf.QuantF32,
		Shape: gguf.Shape{Layers: layers, Hidden: 8192, Heads: 64, KVHeads: 8, FFN: 28672, Vocab: 1000, Context: 4096}}
	_, err = Run(context.Background(), Options{Endpoint: srv.URL(), Target: big, Dir: dir})
	var de *DiskSpaceError
	if !errors.As(err, &de) || de.Hint() == "" {
		t.Fatalf("err = %v, want a DiskSpaceError", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v although the disk is too small", entries)
	}
}

// TargetFor finds a model among those given (the catalogue's, see
// fit.TestLoadProfileModelsComeFromTheCatalogue) and names the known ones
// when the id is not among them.
func TestTargetForFindsTheModelOrNamesTheKnownOnes(t *testing.T) {
	models := []Model{{ID: "tiny", Name: "Tiny", Shape: gguf.Shape{Layers: 2, Hidden: 64, Heads: 4, KVHeads: 4, FFN: 128, Vocab: 256, Context: 512},
		Sizes: map[gguf.Quant]int64{gguf.QuantQ8_0: 1e6}}}
	tg, err := TargetFor(models, "tiny", gguf.QuantQ8_0)
	if err != nil || tg.Name != "tiny" || tg.FileSize != 1e6 || tg.Shape.Layers != 2 || tg.Quant != gguf.QuantQ8_0 {
		t.Fatalf("target %+v, %v", tg, err)
	}
	_, err = TargetFor(models, "no-such-model", gguf.QuantQ8_0)
	var ue *UnknownModelError
	if !errors.As(err, &ue) || !strings.Contains(ue.Hint(), "known models: tiny;") {
		t.Fatalf("err = %v", err)
	}
}

// Ollama's refusal (worded as in its llm/server.go) becomes a finding. The
// error is injected: a real refusal needs writing a model bigger than the
// test machine's memory.
func TestMemoryRefusalIsAFinding(t *testing.T) {
	err := asMemoryError(fmt.Errorf("generate: %w", &runtime.APIError{Status: 500, Message: "model requires more system memory (41.2 GiB) than is available (22.9 GiB)"}))
	var me *MemoryError
	if !errors.As(err, &me) || me.Hint() == "" || !strings.Contains(me.Error(), "41.2 GiB") {
		t.Fatalf("err = %v", err)
	}
	other := errors.New("connection reset")
	if asMemoryError(other) != other {
		t.Fatal("an unrelated error was turned into a memory finding")
	}
}
