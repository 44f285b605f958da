package gguf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	parser "github.com/gpustack/gguf-parser-go"
)

// FuzzShape writes files of arbitrary small shapes and recipes: Plan either
// refuses the shape with an error or the written file has the planned size
// and is read back by an independent parser with the same tensors.
func FuzzShape(f *testing.F) {
	f.Add(uint8(1), uint16(64), uint8(4), uint8(2), uint8(0), uint16(128), uint16(354), false, uint8(2))
	f.Add(uint8(2), uint16(256), uint8(4), uint8(1), uint8(32), uint16(512), uint16(1000), true, uint8(4))
	f.Add(uint8(1), uint16(30), uint8(3), uint8(3), uint8(0), uint16(7), uint16(400), false, uint8(0))
	f.Add(uint8(0), uint16(0), uint8(0), uint8(0), uint8(1), uint16(0), uint16(0), true, uint8(9))
	f.Fuzz(func(t *testing.T, layers uint8, hidden uint16, heads, kvHeads, headDim uint8, ffn, vocab uint16, tied bool, quant uint8) {
		s := Shape{Layers: int(layers % 4), Hidden: int(hidden % 600), Heads: int(heads % 17), KVHeads: int(kvHeads % 17),
			HeadDim: int(headDim % 80), FFN: int(ffn % 1200), Vocab: int(vocab % 2000), Context: 128, TiedEmbeddings: tied}
		spec := Spec{Shape: s, Quant: Quants[int(quant)%len(Quants)], Seed: uint64(quant)}
		l, err := Plan(spec)
		if err != nil {
			if s.Validate() == nil {
				t.Fatalf("valid shape %+v refused: %v", s, err)
			}
			return
		}
		var b bytes.Buffer
		if err := l.Write(context.Background(), &b, nil); err != nil {
			t.Fatal(err)
		}
		if int64(b.Len()) != l.Size {
			t.Fatalf("wrote %d bytes, planned %d", b.Len(), l.Size)
		}
		path := filepath.Join(t.TempDir(), "f.gguf")
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		pf, err := parser.ParseGGUFFile(path)
		if err != nil {
			t.Fatalf("shape %+v %s: parser rejects the file: %v", s, spec.Quant, err)
		}
		if int(pf.Header.TensorCount) != len(l.Tensors) || int64(pf.ModelParameters) != s.Params() {
			t.Fatalf("shape %+v: parser sees %d tensors / %d params, planned %d / %d", s, pf.Header.TensorCount, pf.ModelParameters, len(l.Tensors), s.Params())
		}
	})
}
