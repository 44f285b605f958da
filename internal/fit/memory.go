package fit

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
	q := uint64(s.AttentionHeads * s.HeadDim)
	kv := uint64(s.KVHeads * s.HeadDim)
	attn := h*q + 2*h*kv + q*h
	var ffn uint64
	switch m.Family {
	case "whisper":
		ffn = 2 * h * uint64(s.FFNSize) // plain two-matrix MLP
	default:
		ffn = 3 * h * uint64(s.FFNSize) // gated (SwiGLU/GeGLU): gate, up, down
	}
	layer := attn + ffn
	n := uint64(s.Layers) * layer
	if m.Family == "whisper" {
		n += uint64(s.Layers) * attn // cross-attention in each decoder block
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
