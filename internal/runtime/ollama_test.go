package runtime_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/runtime"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.RunShared(m)) }

// Discovery finds the real Ollama by its answers, with its version, the
// models it has (size, family, quantization) and which one is loaded.
func TestDiscoverRealOllama(t *testing.T) {
	srv := ollamatest.Shared(t)
	srv.CreateSynthetic(t, "disc-q8", ollamatest.TinyShape, gguf.QuantQ8_0)
	srv.CreateSynthetic(t, "disc-q4", ollamatest.TinyShape, gguf.QuantQ4_0)
	ctx := context.Background()
	want, err := srv.Client.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}

	find := func() runtime.Runtime {
		t.Helper()
		res, err := runtime.Discover(ctx, runtime.Options{Endpoints: []string{srv.URL()}, NoDefaults: true, Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Runtimes) != 1 {
			t.Fatalf("found %d runtimes at %s: %+v", len(res.Runtimes), srv.URL(), res.Probes)
		}
		return res.Runtimes[0]
	}
	rt := find()
	if rt.Kind != runtime.KindOllama || rt.Name != "Ollama" || rt.Version != want || !rt.UserEntered || rt.OpenAIURL != srv.OpenAIURL() {
		t.Fatalf("runtime %+v, want Ollama %s with OpenAI URL %s", rt, want, srv.OpenAIURL())
	}
	models := map[string]runtime.Model{}
	for _, m := range rt.Models {
		models[m.ID] = m
	}
	q8, q4 := models["disc-q8:latest"], models["disc-q4:latest"]
	if q8.Quantization != "Q8_0" || q4.Quantization != "Q4_0" || q8.Family != "llama" || q8.SizeBytes <= q4.SizeBytes || q8.Format != "gguf" {
		t.Fatalf("models %+v", rt.Models)
	}
	if q8.Loaded == nil || *q8.Loaded {
		t.Fatalf("disc-q8 should be known as not loaded: %+v", q8)
	}

	if _, err := srv.Client.Generate(ctx, runtime.GenerateRequest{Model: "disc-q8", Prompt: "Hallo", Options: map[string]any{"num_predict": 2}}); err != nil {
		t.Fatal(err)
	}
	rt = find()
	for _, m := range rt.Models {
		loaded := m.Loaded != nil && *m.Loaded
		if loaded != (m.ID == "disc-q8:latest") {
			t.Errorf("after generating with disc-q8: %s loaded=%v", m.ID, loaded)
		}
		if loaded && m.MemoryBytes <= 0 {
			t.Errorf("loaded model without memory figure: %+v", m)
		}
	}
}

// The Ollama client creates, runs and deletes a model; deleting twice is
// not an error, and a missing model gives the runtime's error.
func TestOllamaClientLifecycle(t *testing.T) {
	srv := ollamatest.Shared(t)
	ctx := context.Background()
	srv.CreateSynthetic(t, "life", ollamatest.TinyShape, gguf.QuantQ8_0)
	res, err := srv.Client.Generate(ctx, runtime.GenerateRequest{Model: "life", Prompt: "x", Options: map[string]any{"num_predict": 5}})
	if err != nil || res.EvalCount != 5 {
		t.Fatalf("generate: %+v, %v", res, err)
	}
	if err := srv.Client.Unload(ctx, "life"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Client.Delete(ctx, "life"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Client.Delete(ctx, "life"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	_, err = srv.Client.Generate(ctx, runtime.GenerateRequest{Model: "life", Prompt: "x"})
	if err == nil {
		t.Fatal("generating with a deleted model succeeded")
	}
}
