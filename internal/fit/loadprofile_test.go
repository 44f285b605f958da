package fit

import (
	"errors"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/loadprofile"
)

// The Lastprofil-Test reads its models from the catalogue: the six models
// it used to copy are there with all four published quantizations, every
// offered target plans within the deviation, and an unknown id names the
// known ones.
func TestLoadProfileModelsComeFromTheCatalogue(t *testing.T) {
	models := packaged(t).LoadProfileModels()
	byID := map[string]loadprofile.Model{}
	for _, m := range models {
		byID[m.ID] = m
		for q := range m.Sizes {
			if _, err := gguf.Like(m.Target(q), 1); err != nil {
				t.Errorf("%s %s: %v", m.ID, q, err)
			}
		}
	}
	for _, id := range []string{"llama3.2-1b", "llama3.2-3b", "llama3.1-8b", "mistral-7b", "qwen2.5-7b", "qwen3-8b"} {
		m, ok := byID[id]
		if !ok {
			t.Errorf("%s missing from %d load-profile models", id, len(models))
			continue
		}
		for _, q := range []gguf.Quant{gguf.QuantQ4_KM, gguf.QuantQ5_KM, gguf.QuantQ8_0, gguf.QuantF16} {
			if m.Sizes[q] <= 0 {
				t.Errorf("%s: no %s size", id, q)
			}
		}
	}
	if m := byID["llama3.2-1b"]; m.Shape.Layers != 16 || m.Shape.Hidden != 2048 || m.Shape.KVHeads != 8 || !m.Shape.TiedEmbeddings || m.Sizes[gguf.QuantQ8_0] != 1.32e9 {
		t.Errorf("llama3.2-1b: %+v", m)
	}
	for _, id := range []string{"gemma3-4b", "whisper-small", "jina-embeddings-v2-base-de"} {
		if _, ok := byID[id]; ok {
			t.Errorf("%s offered, but the synthetic llama file does not imitate it", id)
		}
	}
	_, err := loadprofile.TargetFor(models, "no-such-model", gguf.QuantQ8_0)
	var ue *loadprofile.UnknownModelError
	if !errors.As(err, &ue) || !strings.Contains(ue.Hint(), "llama3.1-8b") {
		t.Fatalf("err = %v", err)
	}
}
