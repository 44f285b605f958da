package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

func TestRuntimesCommandFindsOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "cli-tiny", ollamatest.TinyShape, gguf.QuantQ8_0)
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--data-dir", t.TempDir(), "runtimes", "--json", "--only-endpoint", "--endpoint", srv.URL()}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got runtimesJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(got.Runtimes) != 1 || got.Runtimes[0].Kind != "ollama" || len(got.Runtimes[0].Models) != 1 ||
		got.Runtimes[0].Models[0].ID != "cli-tiny:latest" || got.Runtimes[0].Models[0].Quantization != "Q8_0" {
		t.Fatalf("unexpected output:\n%s", out.String())
	}

	out.Reset()
	code = Main(context.Background(), []string{"--data-dir", t.TempDir(), "--lang", "de", "runtimes", "--only-endpoint", "--endpoint", srv.URL()}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "Ollama") || !strings.Contains(out.String(), "cli-tiny:latest") {
		t.Fatalf("exit %d, text output:\n%s", code, out.String())
	}
}

func TestRuntimesCommandBadEndpoint(t *testing.T) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--data-dir", t.TempDir(), "runtimes", "--only-endpoint", "--endpoint", "ftp://x"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "hint:") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	code = Main(context.Background(), []string{"--data-dir", t.TempDir(), "runtimes", "--only-endpoint"}, &out, &errb)
	if code != 2 {
		t.Fatalf("--only-endpoint without --endpoint: exit %d, want 2", code)
	}
}
