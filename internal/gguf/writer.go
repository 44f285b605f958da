package gguf

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Spec says what synthetic model to write.
type Spec struct {
	Name  string // general.name; default "kicheck-synthetic"
	Shape Shape
	Quant Quant  // default Q8_0
	Seed  uint64 // same spec and seed give the same bytes
}

func (s Spec) withDefaults() Spec {
	if s.Name == "" {
		s.Name = "kicheck-synthetic"
	}
	if s.Quant == "" {
		s.Quant = QuantQ8_0
	}
	return s
}

// Tensor describes one tensor of a planned file.
type Tensor struct {
	Name   string     `json:"name"`
	Dims   []uint64   `json:"dims"` // ne0 (row length) first, as GGUF stores them
	Type   TensorType `json:"type"`
	Offset int64      `json:"offset"` // from the start of the tensor data
	Size   int64      `json:"size"`

	role  string
	layer int
}

// Layout is a planned file: its tensors and its exact size in bytes.
type Layout struct {
	Spec       Spec
	Tensors    []Tensor
	HeaderSize int64 // bytes before the tensor data, padding included
	Size       int64 // total file size
	vocab      *vocab
	header     []byte
}

// alignment of tensor data (general.alignment).
const alignment = 32

// Constants of the weights. See docs/gguf.md "Weights" for why.
const (
	// embedMarker is the value of component 0 of every printable token's
	// embedding. No block writes to component 0 of the residual stream, so
	// it reaches the output head unchanged and positive.
	embedMarker = 1.0
	// suppressWeight is the output-head weight on component 0 for tokens
	// that must never be generated (control and byte tokens).
	suppressWeight = -64.0
	// embedNoise is the amplitude of the other embedding components of an
	// untied model: large, so the last token's embedding dominates the
	// final hidden state and the output head can pick its successor.
	embedNoise = 1.0
	// tiedNoiseScale sets that amplitude with tied embeddings to
	// tiedNoiseScale·hidden^-0.75: so small that a token's preference for
	// itself (amplitude² · hidden/3 · √hidden in the logit) stays far below
	// 1, and sampling spreads evenly over the top tokens.
	tiedNoiseScale = 0.3
	// residualScale shrinks the blocks' writes to the residual stream so
	// they do not drown the embedding, even in deep models.
	residualScale = 0.01
)

// Plan computes the layout of the file Write would produce, without writing.
func Plan(spec Spec) (*Layout, error) {
	spec = spec.withDefaults()
	if err := spec.Shape.Validate(); err != nil {
		return nil, err
	}
	if _, err := ParseQuant(string(spec.Quant)); err != nil {
		return nil, err
	}
	s := spec.Shape
	v, err := newVocab(s.Vocab)
	if err != nil {
		return nil, err
	}
	l := &Layout{Spec: spec, vocab: v}
	kvDim := s.KVHeads * s.EffectiveHeadDim()
	qDim := s.Heads * s.EffectiveHeadDim()
	add2 := func(name, role string, layer, rowLen, rows int) {
		t := spec.Quant.tensorType(role, layer, s.Layers, rowLen)
		l.Tensors = append(l.Tensors, Tensor{Name: name, Dims: []uint64{uint64(rowLen), uint64(rows)}, Type: t, role: role, layer: layer})
	}
	add1 := func(name string, layer, n int) {
		l.Tensors = append(l.Tensors, Tensor{Name: name, Dims: []uint64{uint64(n)}, Type: F32, role: "norm", layer: layer})
	}
	if s.TiedEmbeddings {
		// llama.cpp gives a tied embedding the output head's type.
		t := spec.Quant.tensorType("output", -1, s.Layers, s.Hidden)
		l.Tensors = append(l.Tensors, Tensor{Name: "token_embd.weight", Dims: []uint64{uint64(s.Hidden), uint64(s.Vocab)}, Type: t, role: "tied_embd", layer: -1})
	} else {
		add2("token_embd.weight", "token_embd", -1, s.Hidden, s.Vocab)
	}
	for i := range s.Layers {
		p := fmt.Sprintf("blk.%d.", i)
		add1(p+"attn_norm.weight", i, s.Hidden)
		add2(p+"attn_q.weight", "attn_q", i, s.Hidden, qDim)
		add2(p+"attn_k.weight", "attn_k", i, s.Hidden, kvDim)
		add2(p+"attn_v.weight", "attn_v", i, s.Hidden, kvDim)
		add2(p+"attn_output.weight", "attn_output", i, qDim, s.Hidden)
		add1(p+"ffn_norm.weight", i, s.Hidden)
		add2(p+"ffn_gate.weight", "ffn_gate", i, s.Hidden, s.FFN)
		add2(p+"ffn_up.weight", "ffn_up", i, s.Hidden, s.FFN)
		add2(p+"ffn_down.weight", "ffn_down", i, s.FFN, s.Hidden)
	}
	add1("output_norm.weight", -1, s.Hidden)
	if !s.TiedEmbeddings {
		add2("output.weight", "output", -1, s.Hidden, s.Vocab)
	}

	var off int64
	for i := range l.Tensors {
		t := &l.Tensors[i]
		rows := int64(1)
		for _, d := range t.Dims[1:] {
			rows *= int64(d)
		}
		t.Size = t.Type.rowBytes(int(t.Dims[0])) * rows
		t.Offset = off
		off = alignUp(off+t.Size, alignment)
	}
	l.header = l.encodeHeader()
	l.HeaderSize = alignUp(int64(len(l.header)), alignment)
	// The last tensor needs no padding after it.
	last := l.Tensors[len(l.Tensors)-1]
	l.Size = l.HeaderSize + last.Offset + last.Size
	return l, nil
}

func alignUp(n, a int64) int64 { return (n + a - 1) / a * a }

// Progress is called while writing with the bytes written so far and the
// total. It is called from the writing goroutine and must be quick.
type Progress func(written, total int64)

// WriteFile writes the synthetic model to path (created or truncated). On
// error or cancellation the partial file is removed.
func WriteFile(ctx context.Context, path string, spec Spec, progress Progress) (*Layout, error) {
	l, err := Plan(spec)
	if err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("write synthetic model: %w", err)
	}
	err = l.Write(ctx, f, progress)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write synthetic model %s: %w", filepath.Base(path), cerr)
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	return l, nil
}

// Write streams the planned file to w. Memory use is bounded by one row of
// the largest tensor plus a write buffer, whatever the model size.
func (l *Layout) Write(ctx context.Context, w io.Writer, progress Progress) error {
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	if _, err := bw.Write(l.header); err != nil {
		return fmt.Errorf("write synthetic model: %w", err)
	}
	if err := writeZeros(bw, l.HeaderSize-int64(len(l.header))); err != nil {
		return err
	}
	var pos int64 // within tensor data
	lastReport := int64(-1 << 62)
	report := func(force bool) {
		done := cw.n + int64(bw.Buffered())
		if progress != nil && (force || done-lastReport >= 16<<20) {
			lastReport = done
			progress(done, l.Size)
		}
	}
	report(true)
	for i := range l.Tensors {
		t := &l.Tensors[i]
		if err := writeZeros(bw, t.Offset-pos); err != nil {
			return err
		}
		if err := l.writeTensor(ctx, bw, t, func() { report(false) }); err != nil {
			return err
		}
		pos = t.Offset + t.Size
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write synthetic model: %w", err)
	}
	report(true)
	if cw.n != l.Size {
		return fmt.Errorf("write synthetic model: wrote %d bytes, planned %d", cw.n, l.Size)
	}
	return nil
}

func writeZeros(w io.Writer, n int64) error {
	if n <= 0 {
		return nil
	}
	var zeros [alignment]byte
	_, err := w.Write(zeros[:n])
	if err != nil {
		return fmt.Errorf("write synthetic model: %w", err)
	}
	return nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// tensorRNG gives each tensor its own stream, so the bytes of one tensor do
// not depend on the others.
func (l *Layout) tensorRNG(name string) *rand.ChaCha8 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], l.Spec.Seed)
	h := sha256.New()
	h.Write(b[:])
	h.Write([]byte(name))
	var seed [32]byte
	copy(seed[:], h.Sum(nil))
	return rand.NewChaCha8(seed)
}

func (l *Layout) writeTensor(ctx context.Context, w io.Writer, t *Tensor, tick func()) error {
	rowLen := int(t.Dims[0])
	rows := 1
	for _, d := range t.Dims[1:] {
		rows *= int(d)
	}
	r := l.tensorRNG(t.Name)
	buf := make([]byte, t.Type.rowBytes(rowLen))
	var vals []float32
	amp := float32(1 / math.Sqrt(float64(rowLen)))
	for row := range rows {
		if row%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			tick()
		}
		switch t.role {
		case "norm":
			vals = ones(vals, rowLen)
			t.Type.quantizeRow(buf, vals)
		case "token_embd":
			vals = l.embeddingRow(vals, row, rowLen, embedNoise)
			vals[0] = embedMarker
			t.Type.quantizeRow(buf, vals)
		case "tied_embd":
			// Input embedding and output head at once: printable tokens
			// carry the marker, the others the suppressing weight.
			if l.vocab.printable[row] {
				vals = l.embeddingRow(vals, row, rowLen, float32(tiedNoiseScale*math.Pow(float64(rowLen), -0.75)))
				vals[0] = embedMarker
			} else {
				vals = zeros(vals, rowLen)
				vals[0] = suppressWeight
			}
			t.Type.quantizeRow(buf, vals)
		case "output":
			// A printable token's row is the embedding of the printable
			// token before it, so the most likely next token is the
			// successor of the last one: greedy generation walks through
			// the vocabulary instead of repeating one token (Ollama aborts
			// a generation after 30 equal tokens).
			if l.vocab.printable[row] {
				vals = l.embeddingRow(vals, l.vocab.predecessor(row), rowLen, embedNoise)
				vals[0] = 0
			} else {
				vals = zeros(vals, rowLen)
				vals[0] = suppressWeight
			}
			t.Type.quantizeRow(buf, vals)
		case "attn_output", "ffn_down":
			if row == 0 {
				vals = zeros(vals, rowLen)
				t.Type.quantizeRow(buf, vals)
			} else {
				t.Type.randomRow(buf, r, amp*residualScale)
			}
		default:
			t.Type.randomRow(buf, r, amp)
		}
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("write synthetic model: %w", err)
		}
	}
	return nil
}

// embeddingRow draws the embedding values of one token from a stream of
// its own, so the output head can reproduce any token's embedding.
func (l *Layout) embeddingRow(v []float32, token, n int, amp float32) []float32 {
	r := l.tensorRNG(fmt.Sprintf("token_embd.weight#%d", token))
	return randomValues(v, r, n, amp)
}

func ones(v []float32, n int) []float32 {
	v = zeros(v, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

func zeros(v []float32, n int) []float32 {
	if cap(v) < n {
		v = make([]float32, n)
	}
	v = v[:n]
	clear(v)
	return v
}

func randomValues(v []float32, r *rand.ChaCha8, n int, amp float32) []float32 {
	v = zeros(v, n)
	for i := range v {
		v[i] = uniform(r, amp)
	}
	return v
}

// GGUF metadata value types.
const (
	kvUint32  = 4
	kvInt32   = 5
	kvFloat32 = 6
	kvBool    = 7
	kvString  = 8
	kvArray   = 9
	kvUint64  = 10
)

type headerBuf struct{ b []byte }

func (h *headerBuf) u32(v uint32) { h.b = binary.LittleEndian.AppendUint32(h.b, v) }
func (h *headerBuf) u64(v uint64) { h.b = binary.LittleEndian.AppendUint64(h.b, v) }
func (h *headerBuf) str(s string) { h.u64(uint64(len(s))); h.b = append(h.b, s...) }

func (h *headerBuf) kv(key string, typ uint32) { h.str(key); h.u32(typ) }

func (l *Layout) encodeHeader() []byte {
	s := l.Spec.Shape
	var kvs []func(h *headerBuf)
	u32 := func(k string, v uint32) { kvs = append(kvs, func(h *headerBuf) { h.kv(k, kvUint32); h.u32(v) }) }
	f32 := func(k string, v float32) {
		kvs = append(kvs, func(h *headerBuf) { h.kv(k, kvFloat32); h.u32(math.Float32bits(v)) })
	}
	str := func(k, v string) { kvs = append(kvs, func(h *headerBuf) { h.kv(k, kvString); h.str(v) }) }
	boolean := func(k string, v bool) {
		kvs = append(kvs, func(h *headerBuf) {
			h.kv(k, kvBool)
			if v {
				h.b = append(h.b, 1)
			} else {
				h.b = append(h.b, 0)
			}
		})
	}
	str("general.architecture", "llama")
	str("general.name", l.Spec.Name)
	str("general.description", "Synthetic model with random weights written by KI-Check for load and speed tests; it produces gibberish.")
	u32("general.file_type", l.Spec.Quant.fileType())
	u32("general.quantization_version", 2)
	u32("general.alignment", alignment)
	u32("llama.context_length", uint32(s.Context))
	u32("llama.embedding_length", uint32(s.Hidden))
	u32("llama.block_count", uint32(s.Layers))
	u32("llama.feed_forward_length", uint32(s.FFN))
	u32("llama.rope.dimension_count", uint32(s.EffectiveHeadDim()))
	u32("llama.attention.key_length", uint32(s.EffectiveHeadDim()))
	u32("llama.attention.value_length", uint32(s.EffectiveHeadDim()))
	u32("llama.attention.head_count", uint32(s.Heads))
	u32("llama.attention.head_count_kv", uint32(s.KVHeads))
	f32("llama.attention.layer_norm_rms_epsilon", 1e-5)
	f32("llama.rope.freq_base", 10000)
	u32("llama.vocab_size", uint32(s.Vocab))
	str("tokenizer.ggml.model", "llama")
	kvs = append(kvs, func(h *headerBuf) {
		h.kv("tokenizer.ggml.tokens", kvArray)
		h.u32(kvString)
		h.u64(uint64(len(l.vocab.tokens)))
		for _, t := range l.vocab.tokens {
			h.str(t)
		}
	}, func(h *headerBuf) {
		h.kv("tokenizer.ggml.scores", kvArray)
		h.u32(kvFloat32)
		h.u64(uint64(len(l.vocab.scores)))
		for _, v := range l.vocab.scores {
			h.u32(math.Float32bits(v))
		}
	}, func(h *headerBuf) {
		h.kv("tokenizer.ggml.token_type", kvArray)
		h.u32(kvInt32)
		h.u64(uint64(len(l.vocab.types)))
		for _, v := range l.vocab.types {
			h.u32(uint32(v))
		}
	})
	u32("tokenizer.ggml.bos_token_id", bosID)
	u32("tokenizer.ggml.eos_token_id", eosID)
	u32("tokenizer.ggml.unknown_token_id", unkID)
	boolean("tokenizer.ggml.add_bos_token", true)
	boolean("tokenizer.ggml.add_eos_token", false)
	boolean("kicheck.synthetic", true)
	kvs = append(kvs, func(h *headerBuf) { h.kv("kicheck.seed", kvUint64); h.u64(l.Spec.Seed) })

	h := &headerBuf{}
	h.b = append(h.b, "GGUF"...)
	h.u32(3)
	h.u64(uint64(len(l.Tensors)))
	h.u64(uint64(len(kvs)))
	for _, f := range kvs {
		f(h)
	}
	for _, t := range l.Tensors {
		h.str(t.Name)
		h.u32(uint32(len(t.Dims)))
		for _, d := range t.Dims {
			h.u64(d)
		}
		h.u32(uint32(t.Type))
		h.u64(uint64(t.Offset))
	}
	return h.b
}

// ErrTooSmall is returned by Like when no shape of the wanted size exists.
var ErrTooSmall = errors.New("target size too small for the shape")
