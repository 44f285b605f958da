package loadprofile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ki-reise/kicheck/internal/gguf"
)

// Model is a catalogue model as far as the load profile needs it.
type Model struct {
	ID    string
	Name  string
	Shape gguf.Shape
	// Sizes are the published GGUF file sizes in bytes per quantization.
	Sizes map[gguf.Quant]int64
}

// Presets are the llama-like chat models of the model catalogue (branch
// fit, bundles/models/*.yaml: shapes from each model's config.json, sizes
// from the bartowski/*-GGUF files), copied here until the catalogue is in
// main; then ModelByID should read fit.LoadCatalogue instead.
var Presets = []Model{
	{"llama3.2-1b", "Llama 3.2 1B Instruct", gguf.Shape{Layers: 16, Hidden: 2048, Heads: 32, KVHeads: 8, HeadDim: 64, FFN: 8192, Vocab: 128256, Context: 131072, TiedEmbeddings: true},
		gb(map[gguf.Quant]float64{gguf.QuantQ5_KM: 0.91, gguf.QuantQ4_KM: 0.81, gguf.QuantQ8_0: 1.32, gguf.QuantF16: 2.48})},
	{"llama3.2-3b", "Llama 3.2 3B Instruct", gguf.Shape{Layers: 28, Hidden: 3072, Heads: 24, KVHeads: 8, HeadDim: 128, FFN: 8192, Vocab: 128256, Context: 131072, TiedEmbeddings: true},
		gb(map[gguf.Quant]float64{gguf.QuantQ5_KM: 2.32, gguf.QuantQ4_KM: 2.02, gguf.QuantQ8_0: 3.42, gguf.QuantF16: 6.43})},
	{"llama3.1-8b", "Llama 3.1 8B Instruct", gguf.Shape{Layers: 32, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 14336, Vocab: 128256, Context: 131072},
		gb(map[gguf.Quant]float64{gguf.QuantQ5_KM: 5.73, gguf.QuantQ4_KM: 4.92, gguf.QuantQ8_0: 8.54, gguf.QuantF16: 16.07})},
	{"mistral-7b", "Mistral 7B Instruct v0.3", gguf.Shape{Layers: 32, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 14336, Vocab: 32768, Context: 32768},
		gb(map[gguf.Quant]float64{gguf.QuantQ5_KM: 5.14, gguf.QuantQ4_KM: 4.37, gguf.QuantQ8_0: 7.70, gguf.QuantF16: 14.50})},
	{"qwen2.5-7b", "Qwen2.5 7B Instruct", gguf.Shape{Layers: 28, Hidden: 3584, Heads: 28, KVHeads: 4, HeadDim: 128, FFN: 18944, Vocab: 152064, Context: 32768},
		gb(map[gguf.Quant]float64{gguf.QuantQ5_KM: 5.44, gguf.QuantQ4_KM: 4.68, gguf.QuantQ8_0: 8.10, gguf.QuantF16: 15.24})},
	{"qwen3-8b", "Qwen3 8B", gguf.Shape{Layers: 36, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 12288, Vocab: 151936, Context: 40960},
		gb(map[gguf.Quant]float64{gguf.QuantQ5_KM: 5.85, gguf.QuantQ4_KM: 5.03, gguf.QuantQ8_0: 8.71, gguf.QuantF16: 16.39})},
}

func gb(m map[gguf.Quant]float64) map[gguf.Quant]int64 {
	out := map[gguf.Quant]int64{}
	for q, v := range m {
		out[q] = int64(v * 1e9)
	}
	return out
}

// UnknownModelError names the models that are known.
type UnknownModelError struct{ ID string }

func (e *UnknownModelError) Error() string { return fmt.Sprintf("unknown model %q", e.ID) }

// Hint lists the known ids.
func (e *UnknownModelError) Hint() string {
	ids := make([]string, len(Presets))
	for i, m := range Presets {
		ids[i] = m.ID
	}
	sort.Strings(ids)
	return "known models: " + strings.Join(ids, ", ") + "; or give the shape with --layers, --hidden, --heads, --kv-heads, --ffn, --vocab"
}

// TargetFor returns the load-profile target for a preset model and
// quantization.
func TargetFor(id string, q gguf.Quant) (gguf.Target, error) {
	for _, m := range Presets {
		if m.ID == id {
			return gguf.Target{Name: m.ID, Shape: m.Shape, Quant: q, FileSize: m.Sizes[q]}, nil
		}
	}
	return gguf.Target{}, &UnknownModelError{ID: id}
}
