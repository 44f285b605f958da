package fit

import (
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/loadprofile"
)

// loadProfileFamilies are the model families whose shape the Lastprofil-Test's
// synthetic llama file imitates (docs/loadprofile.md): decoder-only with
// grouped-query attention and a gated feed-forward, no sliding window.
var loadProfileFamilies = map[string]bool{"llama": true, "mistral": true, "qwen2": true, "qwen3": true}

// LoadProfileModels are the catalogue's chat models a Lastprofil-Test can
// imitate, in catalogue order: shape and the published file size of each
// quantization the synthetic writer knows (TestLoadProfileModelsComeFromTheCatalogue
// checks that each plans within gguf.MaxDeviation of the published size).
func (c *Catalogue) LoadProfileModels() []loadprofile.Model {
	var out []loadprofile.Model
	for _, m := range c.Models {
		if m.Kind != "chat" || !loadProfileFamilies[m.Family] || m.Shape.SlidingWindow != 0 {
			continue
		}
		s := m.Shape
		lm := loadprofile.Model{ID: m.ID, Name: m.Name, Sizes: map[gguf.Quant]int64{}, Shape: gguf.Shape{
			Layers: s.Layers, Hidden: s.HiddenSize, Heads: s.AttentionHeads, KVHeads: s.KVHeads, HeadDim: s.HeadDim,
			FFN: s.FFNSize, Vocab: s.VocabSize, Context: m.ContextLength, TiedEmbeddings: s.TiedEmbeddings}}
		for _, q := range m.Quantizations {
			gq, err := gguf.ParseQuant(q.Name)
			if err != nil || q.SizeSource == "computed" {
				continue // a recipe the writer does not have, or no published file to imitate
			}
			lm.Sizes[gq] = int64(q.Bytes())
		}
		if len(lm.Sizes) > 0 {
			out = append(out, lm)
		}
	}
	return out
}
