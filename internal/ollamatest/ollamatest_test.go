package ollamatest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/runtime"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.RunShared(m)) }

// A synthetic model written by internal/gguf is created in the real Ollama
// and generates through Ollama's own API: the writer makes files a real
// runtime loads and runs, and the model never stops early on </s>.
func TestSyntheticModelGenerates(t *testing.T) {
	srv := ollamatest.Shared(t)
	kquant := gguf.Shape{Layers: 3, Hidden: 256, Heads: 4, KVHeads: 2, FFN: 512, Vocab: 1000, Context: 2048}
	tied := kquant
	tied.TiedEmbeddings = true
	tied.HeadDim = 32 // 4 heads of 32 = 128 wide queries in a 256 wide model, as Gemma and Qwen3 do
	cases := []struct {
		name  string
		shape gguf.Shape
		quant gguf.Quant
	}{
		{"q8_0", ollamatest.TinyShape, gguf.QuantQ8_0},
		{"f16", ollamatest.TinyShape, gguf.QuantF16},
		{"f32", ollamatest.TinyShape, gguf.QuantF32},
		{"q4_0", ollamatest.TinyShape, gguf.QuantQ4_0},
		{"q4_k_m", kquant, gguf.QuantQ4_KM},
		{"q5_k_m", kquant, gguf.QuantQ5_KM},
		{"tied-q4_k_m", tied, gguf.QuantQ4_KM},
		// Wide enough that a token's self-preference would show (it did
		// with a fixed noise amplitude: Ollama aborted on a repeated token).
		{"tied-wide", gguf.Shape{Layers: 1, Hidden: 2048, Heads: 32, KVHeads: 8, FFN: 256, Vocab: 32000, Context: 2048, TiedEmbeddings: true}, gguf.QuantQ8_0},
		{"tied-only", gguf.Shape{Layers: 3, Hidden: 256, Heads: 4, KVHeads: 2, FFN: 512, Vocab: 1000, Context: 2048, TiedEmbeddings: true}, gguf.QuantQ8_0},
		{"headdim-only", gguf.Shape{Layers: 3, Hidden: 256, Heads: 4, KVHeads: 2, HeadDim: 32, FFN: 512, Vocab: 1000, Context: 2048}, gguf.QuantQ8_0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := "gen-" + c.name
			srv.CreateSynthetic(t, name, c.shape, c.quant)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			options := map[string]any{"num_predict": 64, "temperature": 0, "seed": 1}
			if c.shape.TiedEmbeddings {
				// Greedy decoding of a tied synthetic model repeats one
				// token (docs/gguf.md); sampling spreads over many.
				options["temperature"] = 1
			}
			res, err := srv.Client.Generate(ctx, runtime.GenerateRequest{
				Model:   name,
				Prompt:  "Guten Tag, bitte fassen Sie den Bescheid zusammen.",
				Options: options,
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.EvalCount != 64 || res.DoneReason != "length" {
				t.Fatalf("generated %d tokens (done_reason %q), want all 64 requested; response %q", res.EvalCount, res.DoneReason, res.Response)
			}
			if res.PromptEvalCount < 10 {
				t.Errorf("prompt_eval_count %d: the byte-level tokenizer should give at least 10 prompt tokens", res.PromptEvalCount)
			}
			if !utf8.ValidString(res.Response) || strings.TrimSpace(res.Response) == "" {
				t.Errorf("response %q is empty or not valid UTF-8", res.Response)
			}
			if res.DecodeTPS() <= 0 {
				t.Errorf("no decode timing: %+v", res)
			}
			t.Logf("%s: %q", c.name, res.Response)
		})
	}
}

// The OpenAI-compatible endpoint streams the synthetic model's answer chunk
// by chunk and reports usage at the end.
func TestSyntheticModelStreamsOpenAI(t *testing.T) {
	srv := ollamatest.Shared(t)
	srv.CreateSynthetic(t, "tiny-chat", ollamatest.TinyShape, gguf.QuantQ8_0)
	cfg := openai.DefaultConfig("ollama")
	cfg.BaseURL = srv.OpenAIURL()
	client := openai.NewClientWithConfig(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	seed := 1
	stream, err := client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
		Model:         "tiny-chat",
		Messages:      []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Ordnen Sie die E-Mail einem Amt zu."}},
		MaxTokens:     24,
		Temperature:   0,
		Seed:          &seed,
		Stream:        true,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var chunks int
	var text strings.Builder
	var usage *openai.Usage
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if resp.Usage != nil {
			usage = resp.Usage
		}
		for _, c := range resp.Choices {
			if c.Delta.Content != "" {
				chunks++
				text.WriteString(c.Delta.Content)
			}
		}
	}
	if chunks < 2 {
		t.Fatalf("got %d content chunks (%q), want a streamed answer", chunks, text.String())
	}
	if usage == nil {
		t.Fatal("no usage chunk although stream_options.include_usage was set")
	}
	if usage.CompletionTokens != 24 {
		b, _ := json.Marshal(usage)
		t.Errorf("usage %s: want 24 completion tokens (the model must not stop early)", b)
	}
}

func TestStartSkipsOrFailsWithoutBinary(t *testing.T) {
	if ollamatest.Binary() == "" && !ollamatest.Required() {
		t.Skip("nothing to check: no binary configured, so Start would skip")
	}
	// With a binary configured Start must give a server that answers.
	srv := ollamatest.Start(t)
	v, err := srv.Client.Version(context.Background())
	if err != nil || v == "" {
		t.Fatalf("version %q, err %v", v, err)
	}
}

// Greedy generation of an untied synthetic model walks through the
// printable vocabulary (95 tokens for TinyShape, so 200 tokens go round it
// twice), so long runs (as benchmarks need) are never aborted by Ollama's
// guard against a repeated token.
func TestLongGreedyGeneration(t *testing.T) {
	srv := ollamatest.Shared(t)
	srv.CreateSynthetic(t, "long-q4", ollamatest.TinyShape, gguf.QuantQ4_0)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := srv.Client.Generate(ctx, runtime.GenerateRequest{
		Model: "long-q4", Prompt: "Bitte schreiben Sie eine lange Antwort.",
		Options: map[string]any{"num_predict": 200, "temperature": 0, "seed": 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.EvalCount != 200 || res.DoneReason != "length" {
		t.Fatalf("generated %d of 200 tokens (done_reason %q): %q", res.EvalCount, res.DoneReason, res.Response)
	}
}
