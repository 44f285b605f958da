package fit

// A minimal GGUF v3 writer for the llama architecture, used only by tests:
// the fit formula is checked against gguf-parser-go on headers written
// here, and the prediction-accuracy benchmark loads a synthetic model into
// a real Ollama. It exists because internal/gguf (issue 8, branch runtime)
// had not landed when this was written; switch to it once it has.

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
)

const (
	ggufTypeUint32  = 4
	ggufTypeInt32   = 5
	ggufTypeFloat32 = 6
	ggufTypeString  = 8
	ggufTypeArray   = 9

	ggmlF32  = 0
	ggmlQ8_0 = 8

	ggufAlignment = 32
)

type ggufKV struct {
	key   string
	value any // uint32, float32, string, []string, []float32, []int32
}

type ggufTensor struct {
	name  string
	dims  []uint64 // ne0 (row length) first
	typ   uint32
	bytes uint64
}

func tensorBytes(typ uint32, dims []uint64) uint64 {
	n := uint64(1)
	for _, d := range dims {
		n *= d
	}
	if typ == ggmlQ8_0 {
		return n / 32 * 34
	}
	return n * 4
}

// syntheticLlama describes a llama-architecture model with a byte-level
// SentencePiece vocabulary (3 control tokens + 256 bytes) unless vocab is
// larger, then filler tokens follow.
type syntheticLlama struct {
	shape Shape
	ctx   int
}

func (s syntheticLlama) tensors() []ggufTensor {
	sh := s.shape
	h, v := uint64(sh.HiddenSize), uint64(sh.VocabSize)
	q, kv, ffn := uint64(sh.AttentionHeads*sh.HeadDim), uint64(sh.KVHeads*sh.HeadDim), uint64(sh.FFNSize)
	var ts []ggufTensor
	add := func(name string, typ uint32, dims ...uint64) {
		ts = append(ts, ggufTensor{name: name, dims: dims, typ: typ, bytes: tensorBytes(typ, dims)})
	}
	add("token_embd.weight", ggmlQ8_0, h, v)
	for l := range sh.Layers {
		p := fmt.Sprintf("blk.%d.", l)
		add(p+"attn_norm.weight", ggmlF32, h)
		add(p+"attn_q.weight", ggmlQ8_0, h, q)
		add(p+"attn_k.weight", ggmlQ8_0, h, kv)
		add(p+"attn_v.weight", ggmlQ8_0, h, kv)
		add(p+"attn_output.weight", ggmlQ8_0, q, h)
		add(p+"ffn_norm.weight", ggmlF32, h)
		add(p+"ffn_gate.weight", ggmlQ8_0, h, ffn)
		add(p+"ffn_up.weight", ggmlQ8_0, h, ffn)
		add(p+"ffn_down.weight", ggmlQ8_0, ffn, h)
	}
	add("output_norm.weight", ggmlF32, h)
	if !sh.TiedEmbeddings {
		add("output.weight", ggmlQ8_0, h, v)
	}
	return ts
}

func (s syntheticLlama) metadata() []ggufKV {
	sh := s.shape
	tokens := make([]string, sh.VocabSize)
	scores := make([]float32, sh.VocabSize)
	types := make([]int32, sh.VocabSize)
	tokens[0], types[0] = "<unk>", 2
	tokens[1], types[1] = "<s>", 3
	tokens[2], types[2] = "</s>", 3
	for b := range 256 {
		if 3+b < sh.VocabSize {
			tokens[3+b], types[3+b] = fmt.Sprintf("<0x%02X>", b), 6
		}
	}
	for i := 259; i < sh.VocabSize; i++ {
		tokens[i], types[i], scores[i] = fmt.Sprintf("▁t%d", i), 1, -float32(i)
	}
	return []ggufKV{
		{"general.architecture", "llama"},
		{"general.name", "kicheck-synthetic"},
		{"general.file_type", uint32(7)}, // MOSTLY_Q8_0
		{"llama.context_length", uint32(s.ctx)},
		{"llama.embedding_length", uint32(sh.HiddenSize)},
		{"llama.block_count", uint32(sh.Layers)},
		{"llama.feed_forward_length", uint32(sh.FFNSize)},
		{"llama.attention.head_count", uint32(sh.AttentionHeads)},
		{"llama.attention.head_count_kv", uint32(sh.KVHeads)},
		{"llama.rope.dimension_count", uint32(sh.HeadDim)},
		{"llama.attention.key_length", uint32(sh.HeadDim)},
		{"llama.attention.value_length", uint32(sh.HeadDim)},
		{"llama.attention.layer_norm_rms_epsilon", float32(1e-5)},
		{"llama.vocab_size", uint32(sh.VocabSize)},
		{"tokenizer.ggml.model", "llama"},
		{"tokenizer.ggml.tokens", tokens},
		{"tokenizer.ggml.scores", scores},
		{"tokenizer.ggml.token_type", types},
		{"tokenizer.ggml.unknown_token_id", uint32(0)},
		{"tokenizer.ggml.bos_token_id", uint32(1)},
		{"tokenizer.ggml.eos_token_id", uint32(2)},
	}
}

// write writes the file. With weights false the tensor data is a sparse
// hole (enough for header parsers); with true it is random Q8_0 data that a
// runtime can execute: small weights, norms of 1, and a zero output row for
// the end-of-sequence token so that greedy decoding never stops early.
func (s syntheticLlama) write(path string, weights bool) (uint64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	ts := s.tensors()
	kvs := s.metadata()
	le := binary.LittleEndian
	put := func(v any) { _ = binary.Write(w, le, v) }
	str := func(s string) { put(uint64(len(s))); w.WriteString(s) }
	w.WriteString("GGUF")
	put(uint32(3))
	put(uint64(len(ts)))
	put(uint64(len(kvs)))
	for _, kv := range kvs {
		str(kv.key)
		switch v := kv.value.(type) {
		case uint32:
			put(uint32(ggufTypeUint32))
			put(v)
		case float32:
			put(uint32(ggufTypeFloat32))
			put(v)
		case string:
			put(uint32(ggufTypeString))
			str(v)
		case []string:
			put(uint32(ggufTypeArray))
			put(uint32(ggufTypeString))
			put(uint64(len(v)))
			for _, s := range v {
				str(s)
			}
		case []float32:
			put(uint32(ggufTypeArray))
			put(uint32(ggufTypeFloat32))
			put(uint64(len(v)))
			put(v)
		case []int32:
			put(uint32(ggufTypeArray))
			put(uint32(ggufTypeInt32))
			put(uint64(len(v)))
			put(v)
		default:
			return 0, fmt.Errorf("gguf: unsupported value %T", v)
		}
	}
	// Tensors are aligned, but the file ends right after the last one:
	// Ollama reads any bytes after it as a further GGUF.
	var off, end uint64
	for _, t := range ts {
		str(t.name)
		put(uint32(len(t.dims)))
		for _, d := range t.dims {
			put(d)
		}
		put(t.typ)
		put(off)
		end = off + t.bytes
		off += align(t.bytes)
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	pos, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, err
	}
	dataStart := align(uint64(pos))
	if _, err := f.Write(make([]byte, dataStart-uint64(pos))); err != nil {
		return 0, err
	}
	total := dataStart + end
	if !weights {
		return total, f.Truncate(int64(total))
	}
	w.Reset(f)
	block := randomQ8Blocks(1 << 20)
	for i, t := range ts {
		switch {
		case t.typ == ggmlF32:
			for range t.bytes / 4 {
				put(float32(1))
			}
		case t.name == "output.weight" || (t.name == "token_embd.weight" && s.shape.TiedEmbeddings):
			row := t.dims[0] / 32 * 34
			// Each row from a different place in the random blocks, so the
			// logits differ and their maximum is positive.
			for r := range t.dims[1] {
				if r == 2 { // </s>: all-zero row, logit 0, never the maximum
					w.Write(make([]byte, row))
					continue
				}
				start := (r * 7919 % (uint64(len(block))/34 - row/34)) * 34
				w.Write(block[start : start+row])
			}
		default:
			for left := t.bytes; left > 0; {
				n := min(left, uint64(len(block)))
				w.Write(block[:n])
				left -= n
			}
		}
		if i < len(ts)-1 {
			w.Write(make([]byte, align(t.bytes)-t.bytes))
		}
	}
	return total, w.Flush()
}

func align(n uint64) uint64 { return (n + ggufAlignment - 1) / ggufAlignment * ggufAlignment }

// randomQ8Blocks returns n bytes of Q8_0 blocks (f16 scale 1/512, random
// int8 values): small random weights keep activations finite.
func randomQ8Blocks(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	scale := f16(1.0 / 512)
	b := make([]byte, n/34*34)
	for i := 0; i+34 <= len(b); i += 34 {
		binary.LittleEndian.PutUint16(b[i:], scale)
		for j := 2; j < 34; j++ {
			b[i+j] = byte(r.IntN(256))
		}
	}
	return b
}

// f16 converts a normal float32 to IEEE half precision (enough for scales).
func f16(f float32) uint16 {
	bits := math.Float32bits(f)
	sign := uint16(bits>>16) & 0x8000
	exp := int((bits>>23)&0xff) - 127 + 15
	mant := uint16((bits >> 13) & 0x3ff)
	return sign | uint16(exp)<<10 | mant
}
