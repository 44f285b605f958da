package gguf

import (
	"context"
	"io"
	"testing"
)

// BenchmarkWrite measures how fast the writer produces model bytes (to
// io.Discard, so the disk does not count): a 5 GB model takes
// 5 GB / (this rate). SetBytes makes `go test -bench` print MB/s.
func BenchmarkWrite(b *testing.B) {
	shape := Shape{Layers: 4, Hidden: 2048, Heads: 16, KVHeads: 4, FFN: 8192, Vocab: 32000, Context: 4096}
	for _, q := range []Quant{QuantQ8_0, QuantQ4_KM, QuantF16} {
		b.Run(string(q), func(b *testing.B) {
			l, err := Plan(Spec{Shape: shape, Quant: q})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(l.Size)
			for b.Loop() {
				if err := l.Write(context.Background(), io.Discard, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
