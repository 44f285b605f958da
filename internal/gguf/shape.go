package gguf

import (
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Shape is the architecture of a llama-style decoder model.
type Shape struct {
	Layers  int `json:"layers"`   // transformer blocks
	Hidden  int `json:"hidden"`   // embedding length
	Heads   int `json:"heads"`    // attention (query) heads
	KVHeads int `json:"kv_heads"` // key/value heads (grouped-query attention)
	FFN     int `json:"ffn"`      // feed-forward length
	Vocab   int `json:"vocab"`    // vocabulary size
	Context int `json:"context"`  // trained context length written to the metadata
	// HeadDim is the size of one attention head; 0 means hidden/heads.
	// Some models (Gemma, Qwen3) use a different size.
	HeadDim int `json:"head_dim,omitempty"`
	// TiedEmbeddings: the output head reuses the token embedding (no
	// output.weight), as in Llama 3.2 1B/3B. See docs/gguf.md for the one
	// limit this puts on prompts.
	TiedEmbeddings bool `json:"tied_embeddings,omitempty"`
}

// Validate says which field is unusable and why.
func (s Shape) Validate() error {
	switch {
	case s.Layers < 1:
		return atLeast("layers", 1, s.Layers)
	case s.Hidden < 2:
		return atLeast("hidden", 2, s.Hidden)
	case s.Heads < 1:
		return atLeast("heads", 1, s.Heads)
	case s.HeadDim == 0 && s.Hidden%s.Heads != 0:
		return i18n.NewError("gguf.err.heads_hidden", "", map[string]any{"Heads": s.Heads, "Hidden": s.Hidden}, nil)
	case s.HeadDim < 0 || s.EffectiveHeadDim()%2 != 0 || s.EffectiveHeadDim() < 2:
		return i18n.NewError("gguf.err.head_dim", "", map[string]any{"HeadDim": s.EffectiveHeadDim()}, nil)
	case s.KVHeads < 1 || s.Heads%s.KVHeads != 0:
		return i18n.NewError("gguf.err.kv_heads", "", map[string]any{"KVHeads": s.KVHeads, "Heads": s.Heads}, nil)
	case s.FFN < 1:
		return atLeast("ffn", 1, s.FFN)
	case s.Vocab < MinVocab:
		return atLeast("vocab", MinVocab, s.Vocab)
	case s.Context < 1:
		return atLeast("context", 1, s.Context)
	}
	return nil
}

// EffectiveHeadDim is the size of one attention head.
func (s Shape) EffectiveHeadDim() int {
	if s.HeadDim > 0 {
		return s.HeadDim
	}
	return s.Hidden / s.Heads
}

// Params is the number of weights (embedding, blocks, output head).
func (s Shape) Params() int64 {
	h, f := int64(s.Hidden), int64(s.FFN)
	q, kv := int64(s.Heads*s.EffectiveHeadDim()), int64(s.KVHeads*s.EffectiveHeadDim())
	perLayer := 2*h*q + 2*h*kv + 3*h*f + 2*h
	heads := int64(2)
	if s.TiedEmbeddings {
		heads = 1
	}
	return int64(s.Layers)*perLayer + heads*h*int64(s.Vocab) + h
}

// Quant is a quantization recipe: which tensor type each tensor gets,
// following llama.cpp's llama_tensor_get_type for the same file type.
type Quant string

// Recipes this package writes.
const (
	QuantF32   Quant = "F32"
	QuantF16   Quant = "F16"
	QuantQ8_0  Quant = "Q8_0"
	QuantQ4_0  Quant = "Q4_0"
	QuantQ4_KM Quant = "Q4_K_M"
	QuantQ5_KM Quant = "Q5_K_M"
)

// Quants lists the recipes in a stable order.
var Quants = []Quant{QuantF32, QuantF16, QuantQ8_0, QuantQ4_0, QuantQ4_KM, QuantQ5_KM}

// ParseQuant reads a recipe name such as "q4_k_m".
func ParseQuant(s string) (Quant, error) {
	for _, q := range Quants {
		if strings.EqualFold(string(q), s) {
			return q, nil
		}
	}
	names := make([]string, len(Quants))
	for i, q := range Quants {
		names[i] = string(q)
	}
	return "", i18n.NewError("gguf.err.quant", "", map[string]any{"Value": i18n.Escape(s), "Known": strings.Join(names, ", ")}, nil)
}

// fileType is the general.file_type value (llama_ftype).
func (q Quant) fileType() uint32 {
	switch q {
	case QuantF32:
		return 0
	case QuantF16:
		return 1
	case QuantQ4_0:
		return 2
	case QuantQ8_0:
		return 7
	case QuantQ4_KM:
		return 15
	case QuantQ5_KM:
		return 17
	}
	return 0
}

// useMoreBits is llama.cpp's choice of the layers that get a bigger type in
// the _M recipes: the first and last eighth and every third in between.
func useMoreBits(i, n int) bool {
	return i < n/8 || i >= 7*n/8 || (i-n/8)%3 == 2
}

// tensorType picks the type for a 2-D weight of the given role ("token_embd",
// "output", "attn_v", "ffn_down", …) in layer i of n, with rows of rowLen.
func (q Quant) tensorType(role string, i, n, rowLen int) TensorType {
	var t TensorType
	switch q {
	case QuantF32:
		t = F32
	case QuantF16:
		t = F16
	case QuantQ8_0:
		t = Q8_0
	case QuantQ4_0:
		t = Q4_0
		if role == "output" {
			t = Q6_K
		}
	case QuantQ4_KM, QuantQ5_KM:
		t = Q4_K
		if q == QuantQ5_KM {
			t = Q5_K
		}
		switch role {
		case "output":
			t = Q6_K
		case "attn_v", "ffn_down":
			if useMoreBits(i, n) {
				t = Q6_K
			}
		}
	default:
		panic("gguf: unknown quant " + string(q))
	}
	// Rows that do not fill whole blocks fall back, as in llama.cpp.
	if !t.fits(rowLen) {
		switch t {
		case Q4_K:
			t = Q4_0
		case Q5_K, Q6_K:
			t = Q8_0
		}
	}
	if !t.fits(rowLen) && t != F32 {
		t = F16
	}
	return t
}

// atLeast is the error for a shape field under its minimum, in the
// reader's language.
func atLeast(field string, min, got int) error {
	return i18n.NewError("gguf.err.at_least", "", map[string]any{"Field": field, "Min": min, "Got": got}, nil)
}
