package gguf

import (
	"errors"
	"math"
	"testing"
)

// Published shapes and GGUF file sizes (decimal GB) of real models, as in
// the model catalogue (bundles/models, branch fit; shapes from each model's
// config.json, sizes from the bartowski/*-GGUF files).
var publishedModels = []struct {
	name  string
	shape Shape
	sizes map[Quant]float64
}{
	{"llama3.2-1b", Shape{Layers: 16, Hidden: 2048, Heads: 32, KVHeads: 8, HeadDim: 64, FFN: 8192, Vocab: 128256, Context: 131072, TiedEmbeddings: true},
		map[Quant]float64{QuantQ5_KM: 0.91, QuantQ4_KM: 0.81, QuantQ8_0: 1.32, QuantF16: 2.48}},
	{"llama3.2-3b", Shape{Layers: 28, Hidden: 3072, Heads: 24, KVHeads: 8, HeadDim: 128, FFN: 8192, Vocab: 128256, Context: 131072, TiedEmbeddings: true},
		map[Quant]float64{QuantQ5_KM: 2.32, QuantQ4_KM: 2.02, QuantQ8_0: 3.42, QuantF16: 6.43}},
	{"llama3.1-8b", Shape{Layers: 32, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 14336, Vocab: 128256, Context: 131072},
		map[Quant]float64{QuantQ5_KM: 5.73, QuantQ4_KM: 4.92, QuantQ8_0: 8.54, QuantF16: 16.07}},
	{"mistral-7b", Shape{Layers: 32, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 14336, Vocab: 32768, Context: 32768},
		map[Quant]float64{QuantQ5_KM: 5.14, QuantQ4_KM: 4.37, QuantQ8_0: 7.70, QuantF16: 14.50}},
	{"qwen2.5-7b", Shape{Layers: 28, Hidden: 3584, Heads: 28, KVHeads: 4, HeadDim: 128, FFN: 18944, Vocab: 152064, Context: 32768},
		map[Quant]float64{QuantQ5_KM: 5.44, QuantQ4_KM: 4.68, QuantQ8_0: 8.10, QuantF16: 15.24}},
	{"qwen3-8b", Shape{Layers: 36, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 12288, Vocab: 151936, Context: 40960},
		map[Quant]float64{QuantQ5_KM: 5.85, QuantQ4_KM: 5.03, QuantQ8_0: 8.71, QuantF16: 16.39}},
	{"gemma3-4b", Shape{Layers: 34, Hidden: 2560, Heads: 8, KVHeads: 4, HeadDim: 256, FFN: 10240, Vocab: 262208, Context: 131072, TiedEmbeddings: true},
		map[Quant]float64{QuantQ5_KM: 2.83, QuantQ4_KM: 2.49, QuantQ8_0: 4.13, QuantF16: 7.77}},
}

// The planned size of a synthetic model with a real model's shape and
// recipe is within a few percent of the real file: the recipe reproduces
// llama.cpp's choice of tensor types.
func TestLikePublishedSizes(t *testing.T) {
	for _, m := range publishedModels {
		for q, gb := range m.sizes {
			match, err := Like(Target{Name: m.name, Shape: m.shape, Quant: q, FileSize: int64(gb * 1e9)}, 1)
			if err != nil {
				t.Errorf("%s %s: %v", m.name, q, err)
				continue
			}
			t.Logf("%-12s %-7s synthetic %6.2f GB, published %6.2f GB, %+5.1f%%", m.name, q, float64(match.Layout.Size)/1e9, gb, 100*match.Deviation)
			if math.Abs(match.Deviation) > 0.02 {
				t.Errorf("%s %s: %+.1f%% from the published size", m.name, q, 100*match.Deviation)
			}
		}
	}
}

func TestLikeRefusesWrongShape(t *testing.T) {
	m := publishedModels[2]
	wrong := m.shape
	wrong.FFN /= 2
	_, err := Like(Target{Name: m.name, Shape: wrong, Quant: QuantQ4_KM, FileSize: int64(m.sizes[QuantQ4_KM] * 1e9)}, 1)
	var de *DeviationError
	if !errors.As(err, &de) || de.Hint() == "" || de.Deviation > -0.1 {
		t.Fatalf("half the FFN size: err = %v", err)
	}
}
