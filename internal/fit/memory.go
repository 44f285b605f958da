package fit

import (
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// bitsPerWeight is the average storage per weight of each GGUF
// quantization, including block scales, as llama.cpp's quantize tool
// reports them for 7B-class models (Q4_K_M and Q5_K_M mix several types).
var bitsPerWeight = map[string]float64{
	"Q2_K": 3.35, "Q3_K_M": 3.91, "Q4_0": 4.55, "Q4_K_S": 4.58, "Q4_K_M": 4.89,
	"Q5_0": 5.54, "Q5_1": 6.0, "Q5_K_M": 5.69, "Q6_K": 6.56, "Q8_0": 8.5,
	"F16": 16, "BF16": 16, "F32": 32,
}

// ShapeParameters counts the weights the shape implies: attention and
// feed-forward matrices per layer plus the embedding table (twice when the
// output matrix is separate). Whisper adds its encoder and the decoder's
// cross-attention. Norms and biases are left out (well under 0.1 %).
func ShapeParameters(m Model) uint64 {
	s := m.Shape
	h := uint64(s.HiddenSize)
	layer := attentionParams(s) + ffnParams(m)
	n := uint64(s.Layers) * layer
	if m.Family == "whisper" {
		n += uint64(s.Layers) * attentionParams(s) // cross-attention in each decoder block
		n += uint64(s.EncoderLayers) * layer
	}
	emb := uint64(s.VocabSize) * h
	if s.TiedEmbeddings {
		n += emb
	} else {
		n += 2 * emb
	}
	return n
}

// embeddingParams is the embedding table (vocabulary × hidden size), and
// embeddingTables how many of them ShapeParameters counts (one when the
// output matrix is the input embedding).
func embeddingParams(s Shape) uint64 { return uint64(s.VocabSize) * uint64(s.HiddenSize) }

func embeddingTables(s Shape) uint64 {
	if s.TiedEmbeddings {
		return 1
	}
	return 2
}

// decodeParameters are the weights a decoded token multiplies with: the
// layers and the output matrix (the input embedding is one row looked up).
func decodeParameters(m Model) uint64 {
	return ShapeParameters(m) - (embeddingTables(m.Shape)-1)*embeddingParams(m.Shape)
}

// promptParameters are the weights each prompt token multiplies with: the
// layers only. The runtime computes the output matrix (vocabulary ×
// hidden) for the prompt's last token alone; for a small model with a
// large vocabulary (Llama 3.2 1B: 0.26 of its 1.24 billion weights) that
// is a fifth of the work (docs/fit.md, "Speed").
func promptParameters(m Model) uint64 {
	return ShapeParameters(m) - embeddingTables(m.Shape)*embeddingParams(m.Shape)
}

func attentionParams(s Shape) uint64 {
	h := uint64(s.HiddenSize)
	q := uint64(s.AttentionHeads * s.HeadDim)
	kv := uint64(s.KVHeads * s.HeadDim)
	return h*q + 2*h*kv + q*h
}

func ffnParams(m Model) uint64 {
	if m.Family == "whisper" {
		return 2 * uint64(m.Shape.HiddenSize) * uint64(m.Shape.FFNSize) // plain two-matrix MLP
	}
	return 3 * uint64(m.Shape.HiddenSize) * uint64(m.Shape.FFNSize) // gated: gate, up, down
}

// KV cache element types the runtimes use. Ollama (and llama.cpp) default
// to f16; q8_0 and q4_0 need flash attention there.
var kvBytes = map[string]float64{"f32": 4, "f16": 2, "q8_0": 34.0 / 32, "q4_0": 18.0 / 32}

// DefaultKVType is Ollama's default (OLLAMA_KV_CACHE_TYPE unset).
const DefaultKVType = "f16"

// Runtime constants of llama.cpp as Ollama runs it (v0.6.5 defaults).
const (
	// PhysicalBatch is n_ubatch: prompt tokens processed per graph run,
	// which sizes the compute buffer.
	PhysicalBatch = 512
	// RuntimeOverheadBytes is the runner process itself (code, threads,
	// tokenizer, small buffers) measured as the resident size of an
	// Ollama runner with a tiny model loaded (about 200 MB), rounded up.
	RuntimeOverheadBytes = 256 << 20
)

// Memory is what running one model file at one context length needs.
type Memory struct {
	Context       int    `json:"context"`
	KVType        string `json:"kv_type"`
	WeightsBytes  uint64 `json:"weights_bytes"`
	KVCacheBytes  uint64 `json:"kv_cache_bytes"`
	ComputeBytes  uint64 `json:"compute_bytes"`
	OverheadBytes uint64 `json:"overhead_bytes"`
	TotalBytes    uint64 `json:"total_bytes"`
	Basis         string `json:"basis"` // English, BasisMsg rendered (JSON)
	// BasisMsg is the formula as a message, for BasisText.
	BasisMsg i18n.Msg `json:"-"`
}

// KVCacheBytes is the cache for ctx tokens: keys and values for every
// layer, kv_heads × head_dim each, at the KV element type. A layer with a
// sliding window keeps at most the window.
func KVCacheBytes(s Shape, ctx int, kvType string) uint64 {
	per := kvBytes[kvType]
	if per == 0 {
		per = 2
	}
	var tokens uint64
	for l := range s.Layers {
		tokens += uint64(layerContext(s, l, ctx))
	}
	return uint64(2 * float64(tokens) * float64(s.KVHeads*s.HeadDim) * per)
}

// layerContext is how many past tokens layer l attends to (and caches).
func layerContext(s Shape, l, ctx int) int {
	if s.SlidingWindow > 0 && s.GlobalLayerEvery > 0 && (l+1)%s.GlobalLayerEvery != 0 {
		return min(ctx, s.SlidingWindow)
	}
	return ctx
}

// ComputeBufferBytes approximates llama.cpp's CPU compute buffer for one
// physical batch without flash attention (Ollama's default): the attention
// score matrix (batch × context × heads, f32) dominates at long contexts,
// the logits (batch × vocab, f32) at short ones, plus the feed-forward
// activations and the attention mask. Checked against gguf-parser-go's
// estimate in the tests (docs/fit.md).
func ComputeBufferBytes(s Shape, ctx int) uint64 {
	scores, logits, ffn := computeBufferParts(s, ctx)
	return max(scores, logits) + ffn
}

func computeBufferParts(s Shape, ctx int) (scores, logits, ffn uint64) {
	b := uint64(min(PhysicalBatch, ctx))
	scores = b * uint64(ctx) * uint64(s.AttentionHeads) * 4
	logits = b * uint64(s.VocabSize) * 4
	// The feed-forward intermediate and two hidden-size activations, plus
	// the attention mask (batch × context, f32).
	ffn = b*uint64(s.FFNSize+2*s.HiddenSize)*4 + b*uint64(ctx)*4
	return scores, logits, ffn
}

// EstimateMemory sizes a model file at a context length: the file's
// weights (mapped into memory whole), the KV cache at kvType, llama.cpp's
// compute buffer and the runtime's own overhead.
func EstimateMemory(m Model, q Quantization, ctx int, kvType string) Memory {
	if kvType == "" {
		kvType = DefaultKVType
	}
	mem := Memory{Context: ctx, KVType: kvType, WeightsBytes: q.Bytes(), OverheadBytes: RuntimeOverheadBytes}
	switch m.Kind {
	case "transcription":
		// whisper.cpp: the decoder's self-attention cache for its 448
		// text tokens, the cross-attention cache for the 1500 audio
		// frames, and the encoder's activations for one 30 s window.
		s := m.Shape
		self := KVCacheBytes(s, min(ctx, m.ContextLength), kvType)
		cross := uint64(2*s.Layers*s.AudioFrames*s.KVHeads*s.HeadDim) * 2
		mem.KVCacheBytes = self + cross
		mem.ComputeBytes = uint64(s.AudioFrames) * uint64(s.AudioFrames) * uint64(s.AttentionHeads) * 4
	case "embedding":
		mem.KVCacheBytes = 0 // one pass, no cache kept
		mem.ComputeBytes = ComputeBufferBytes(m.Shape, ctx)
	default:
		mem.KVCacheBytes = KVCacheBytes(m.Shape, ctx, kvType)
		mem.ComputeBytes = ComputeBufferBytes(m.Shape, ctx)
	}
	mem.TotalBytes = mem.WeightsBytes + mem.KVCacheBytes + mem.ComputeBytes + mem.OverheadBytes
	capped := 0
	if m.Shape.SlidingWindow > 0 {
		capped = m.Shape.Layers - m.Shape.Layers/m.Shape.GlobalLayerEvery
	}
	mem.BasisMsg = basisMsg("memory", map[string]any{"Weights": gbText(mem.WeightsBytes), "Quant": q.Name, "Layers": m.Shape.Layers, "Ctx": ctx,
		"KVHeads": m.Shape.KVHeads, "Dims": m.Shape.HeadDim, "KVType": kvType, "KV": gbText(mem.KVCacheBytes), "Window": m.Shape.SlidingWindow, "Capped": capped,
		"Compute": gbText(mem.ComputeBytes), "Runtime": gbText(mem.OverheadBytes), "Total": gbText(mem.TotalBytes)})
	mem.Basis = strings.TrimSpace(mem.BasisMsg.Text("en"))
	return mem
}

func gb(b uint64) string { return fmt.Sprintf("%.2f GB", float64(b)/1e9) }
