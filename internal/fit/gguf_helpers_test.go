package fit

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/ki-reise/kicheck/internal/gguf"
)

// ggufShape is the catalogue shape in internal/gguf's terms.
func ggufShape(s Shape, ctx int) gguf.Shape {
	return gguf.Shape{Layers: s.Layers, Hidden: s.HiddenSize, Heads: s.AttentionHeads, KVHeads: s.KVHeads,
		FFN: s.FFNSize, Vocab: max(s.VocabSize, gguf.MinVocab), Context: ctx, HeadDim: s.HeadDim, TiedEmbeddings: s.TiedEmbeddings}
}

var errHeaderDone = errors.New("header written")

// headerWriter keeps the first n bytes and then stops the writer.
type headerWriter struct {
	f    *os.File
	left int64
}

func (h *headerWriter) Write(p []byte) (int, error) {
	if h.left <= 0 {
		return 0, errHeaderDone
	}
	n := min(int64(len(p)), h.left)
	if _, err := h.f.Write(p[:n]); err != nil {
		return 0, err
	}
	h.left -= n
	if n < int64(len(p)) {
		return int(n), errHeaderDone
	}
	return len(p), nil
}

// writeGGUFHeader writes a synthetic model's header (metadata and tensor
// infos, by internal/gguf) and leaves the tensor data as a sparse hole of
// the right size: enough for header readers such as gguf-parser-go,
// without writing gigabytes.
func writeGGUFHeader(t *testing.T, path string, shape gguf.Shape, q gguf.Quant) *gguf.Layout {
	t.Helper()
	l, err := gguf.Plan(gguf.Spec{Shape: shape, Quant: q, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := l.Write(context.Background(), &headerWriter{f: f, left: l.HeaderSize}, nil); err != nil && !errors.Is(err, errHeaderDone) {
		t.Fatal(err)
	}
	if err := f.Truncate(l.Size); err != nil {
		t.Fatal(err)
	}
	return l
}
