package fit

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPackagedCatalogueLoads(t *testing.T) {
	c, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"llama3.2-1b", "llama3.2-3b", "llama3.1-8b", "mistral-7b", "mistral-nemo-12b",
		"qwen2.5-1.5b", "qwen2.5-7b", "qwen2.5-14b", "qwen3-4b", "qwen3-8b", "gemma3-4b", "gemma3-12b",
		"phi4-mini", "teuken-7b", "whisper-large-v3-turbo", "jina-embeddings-v2-base-de"}
	for _, id := range want {
		if _, ok := c.Model(id); !ok {
			t.Errorf("model %s missing", id)
		}
	}
	for _, u := range c.UseCases {
		for _, id := range u.Candidates {
			m, ok := c.Model(id)
			if !ok {
				t.Errorf("use case %s: candidate %s is not in the catalogue", u.ID, id)
				continue
			}
			if m.Kind != u.Kind {
				t.Errorf("use case %s (%s): candidate %s is a %s model", u.ID, u.Kind, id, m.Kind)
			}
		}
	}
	if len(c.UseCases) < 5 {
		t.Errorf("%d use cases, want at least 5", len(c.UseCases))
	}
}

// The parameter count computed from the shape must agree with the declared
// count: this catches a mistyped layer count or hidden size.
func TestCatalogueShapeMatchesParameterCount(t *testing.T) {
	c, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range c.Models {
		got := float64(ShapeParameters(m)) / 1e9
		// Gemma 3's published count includes the vision encoder (0.4B),
		// which is in a separate file and not in the shape.
		if math.Abs(got-m.ParametersB)/m.ParametersB > 0.12 {
			t.Errorf("%s: shape gives %.2fB parameters, catalogue says %.2fB", m.ID, got, m.ParametersB)
		}
	}
}

// A file size that does not match parameters x bits per weight is a typo.
func TestCatalogueFileSizesPlausible(t *testing.T) {
	c, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range c.Models {
		for _, q := range m.Quantizations {
			bpw, ok := bitsPerWeight[q.Name]
			if !ok {
				t.Errorf("%s: unknown quantization %s", m.ID, q.Name)
				continue
			}
			want := m.ParametersB * bpw / 8
			if r := q.SizeGB / want; r < 0.8 || r > 1.25 {
				t.Errorf("%s %s: %.2f GB is %.2f x parameters x %.1f bits", m.ID, q.Name, q.SizeGB, r, bpw)
			}
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const ownModel = `id: amt-modell
name: Modell des Amts
family: llama
kind: chat
parameters_b: 1.24
context_length: 8192
licence: intern
shape:
  layers: 16
  hidden_size: 2048
  attention_heads: 32
  kv_heads: 8
  head_dim: 64
  ffn_size: 8192
  vocab_size: 128256
  tied_embeddings: true
quantizations:
  - {name: Q4_K_M, size_gb: 0.81}
`

func TestOwnFilesAddAndOverride(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bundles/models/amt.yaml"), ownModel)
	// Same id as a packaged entry: replaces it.
	writeFile(t, filepath.Join(dir, "bundles/models/llama.yaml"), strings.Replace(strings.Replace(ownModel, "amt-modell", "llama3.2-1b", 1), "Modell des Amts", "Llama lokal", 1))
	c, err := LoadCatalogue(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 0 {
		t.Fatalf("problems: %v", c.Problems)
	}
	if m, ok := c.Model("amt-modell"); !ok || m.Origin != filepath.Join(dir, "bundles/models/amt.yaml") {
		t.Errorf("own model: %+v %v", m, ok)
	}
	if m, _ := c.Model("llama3.2-1b"); m.Name != "Llama lokal" {
		t.Errorf("override not applied: %q", m.Name)
	}
}

func TestMalformedOwnFileIsRefusedWithFileLineField(t *testing.T) {
	cases := []struct {
		name, content string
		line          int
		field, msg    string
	}{
		{"wrong type", strings.Replace(ownModel, "size_gb: 0.81", "size_gb: gross", 1), 18, "quantizations[0].size_gb", "want number"},
		{"missing field", strings.Replace(ownModel, "  kv_heads: 8\n", "", 1), 9, "shape", "kv_heads"},
		{"unknown field", strings.Replace(ownModel, "licence: intern", "licence: intern\nlizenz: intern", 1), 8, "lizenz", "not allowed"},
		{"negative layers", strings.Replace(ownModel, "layers: 16", "layers: -3", 1), 9, "shape.layers", "minimum"},
		{"kv heads do not divide", strings.Replace(ownModel, "kv_heads: 8", "kv_heads: 7", 1), 12, "shape.kv_heads", "divide"},
		{"broken yaml", strings.Replace(ownModel, "name: Modell des Amts", "name: [Modell", 1), 3, "", "must be specified"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "bundles/models/amt.yaml")
			writeFile(t, file, tc.content)
			c, err := LoadCatalogue(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Problems) != 1 {
				t.Fatalf("problems = %v, want one", c.Problems)
			}
			p := c.Problems[0]
			if p.File != file || p.Line != tc.line || p.Field() != tc.field || !strings.Contains(p.Msg, tc.msg) {
				t.Errorf("got %s (line %d field %q), want line %d field %q message containing %q", p, p.Line, p.Field(), tc.line, tc.field, tc.msg)
			}
			var h interface{ Hint() string }
			if !errors.As(error(p), &h) || h.Hint() == "" {
				t.Error("no hint")
			}
			// The packaged catalogue still works.
			if _, ok := c.Model("llama3.1-8b"); !ok {
				t.Error("packaged model lost")
			}
			if _, ok := c.Model("amt-modell"); ok {
				t.Error("refused model was used")
			}
		})
	}
}

func TestMalformedUseCaseRefused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bundles/usecases/x.yaml")
	writeFile(t, file, `id: protokoll
name: Protokoll
kind: chat
context_tokens: 1000
prompt_tokens: 900
answer_tokens: 300
thresholds:
  decode_tps: {good: 10, minimum: 4}
candidates: [llama3.2-1b]
`)
	c, err := LoadCatalogue(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 1 || c.Problems[0].Field() != "context_tokens" || c.Problems[0].Line != 4 {
		t.Fatalf("problems = %v", c.Problems)
	}
	if _, ok := c.UseCase("bescheid-zusammenfassen"); !ok {
		t.Error("packaged use case lost")
	}
}

// FuzzParseModel: any bytes in a municipality's file give a model or a
// BundleError, never a panic.
func FuzzParseModel(f *testing.F) {
	f.Add([]byte(ownModel))
	f.Add([]byte(strings.Replace(ownModel, "kv_heads: 8", "kv_heads: 0", 1)))
	f.Add([]byte("id: [\n"))
	f.Add([]byte("quantizations: {name: 1}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := parseModel(b, "fuzz.yaml")
		if err != nil {
			var be *BundleError
			if !errors.As(err, &be) {
				t.Fatalf("error %T %v is not a BundleError", err, err)
			}
		}
	})
}

// FuzzParseUseCase: any bytes give a use case or a BundleError.
func FuzzParseUseCase(f *testing.F) {
	b, _ := os.ReadFile("../../bundles/usecases/anfrage-klassifizieren.yaml")
	f.Add(b)
	f.Add([]byte("thresholds: {decode_tps: {good: 1, minimum: 5}}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := parseUseCase(b, "fuzz.yaml"); err != nil {
			var be *BundleError
			if !errors.As(err, &be) {
				t.Fatalf("error %T %v is not a BundleError", err, err)
			}
		}
	})
}
