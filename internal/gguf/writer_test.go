package gguf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	parser "github.com/gpustack/gguf-parser-go"
)

// TinyShape is small enough that writing and loading it takes milliseconds.
var tinyShape = Shape{Layers: 2, Hidden: 64, Heads: 4, KVHeads: 2, FFN: 128, Vocab: MinVocab, Context: 512}

func writeTemp(t *testing.T, spec Spec) (string, *Layout) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "model.gguf")
	l, err := WriteFile(context.Background(), path, spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return path, l
}

// Every recipe writes a file that an independent GGUF reader accepts, with
// the planned size, tensors and metadata.
func TestWrittenFileParses(t *testing.T) {
	shapes := map[string]Shape{
		"tiny":   tinyShape,
		"kquant": {Layers: 3, Hidden: 256, Heads: 4, KVHeads: 1, FFN: 512, Vocab: 1000, Context: 2048},
	}
	for name, shape := range shapes {
		for _, q := range Quants {
			t.Run(name+"/"+string(q), func(t *testing.T) {
				path, l := writeTemp(t, Spec{Shape: shape, Quant: q, Seed: 7})
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Size() != l.Size {
					t.Fatalf("file has %d bytes, plan says %d", fi.Size(), l.Size)
				}
				f, err := parser.ParseGGUFFile(path)
				if err != nil {
					t.Fatalf("gguf-parser-go rejects the file: %v", err)
				}
				if int(f.Header.TensorCount) != len(l.Tensors) {
					t.Fatalf("tensor count %d, want %d", f.Header.TensorCount, len(l.Tensors))
				}
				for i, ti := range f.TensorInfos {
					want := l.Tensors[i]
					if ti.Name != want.Name || uint32(ti.Type) != uint32(want.Type) || !slices.Equal(ti.Dimensions, want.Dims) || int64(ti.Offset) != want.Offset {
						t.Errorf("tensor %d: parsed %s %v %v @%d, planned %s %v %v @%d", i, ti.Name, ti.Type, ti.Dimensions, ti.Offset, want.Name, want.Type, want.Dims, want.Offset)
					}
				}
				if int64(f.TensorDataStartOffset) != l.HeaderSize {
					t.Errorf("tensor data starts at %d, planned %d", f.TensorDataStartOffset, l.HeaderSize)
				}
				a := f.Architecture()
				if a.Architecture != "llama" || a.BlockCount != uint64(shape.Layers) || a.EmbeddingLength != uint64(shape.Hidden) ||
					a.AttentionHeadCountKV != uint64(shape.KVHeads) || len(a.FeedForwardLength) != shape.Layers || a.FeedForwardLength[0] != uint64(shape.FFN) || a.VocabularyLength != uint64(shape.Vocab) {
					t.Errorf("parsed layers %d hidden %d kv heads %d ffn %v vocab %d do not match shape %+v",
						a.BlockCount, a.EmbeddingLength, a.AttentionHeadCountKV, a.FeedForwardLength, a.VocabularyLength, shape)
				}
				if got := f.Tokenizer(); got.Model != "llama" || got.TokensLength != uint64(shape.Vocab) || got.BOSTokenID != bosID || got.EOSTokenID != eosID {
					t.Errorf("parsed tokenizer %+v", got)
				}
				if p := int64(f.ModelParameters); p != shape.Params() {
					t.Errorf("parsed %d parameters, shape says %d", p, shape.Params())
				}
			})
		}
	}
}

// The writer's metadata keys cover every key of the known-good reference
// model, so a runtime finds everything it found there.
func TestKeysCoverReferenceFixture(t *testing.T) {
	ref := filepath.Join("..", "..", "..", "shared", "fixtures", "llama-2-tiny-random.gguf")
	if _, err := os.Stat(ref); err != nil {
		t.Skip("reference fixture not present (it is never part of the project):", ref)
	}
	rf, err := parser.ParseGGUFFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	path, _ := writeTemp(t, Spec{Shape: tinyShape, Quant: QuantF16})
	f, err := parser.ParseGGUFFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]parser.GGUFMetadataValueType{}
	for _, kv := range f.Header.MetadataKV {
		ours[kv.Key] = kv.ValueType
	}
	for _, kv := range rf.Header.MetadataKV {
		typ, ok := ours[kv.Key]
		if !ok {
			t.Errorf("reference key %s missing from the synthetic model", kv.Key)
		} else if typ != kv.ValueType {
			t.Errorf("key %s: type %v, reference has %v", kv.Key, typ, kv.ValueType)
		}
	}
	var refNames, ourNames []string
	for _, ti := range rf.TensorInfos {
		refNames = append(refNames, trimBlock(ti.Name))
	}
	for _, ti := range f.TensorInfos {
		ourNames = append(ourNames, trimBlock(ti.Name))
	}
	slices.Sort(refNames)
	refNames = slices.Compact(refNames)
	slices.Sort(ourNames)
	ourNames = slices.Compact(ourNames)
	if !slices.Equal(refNames, ourNames) {
		t.Errorf("tensor names differ:\nreference %v\nsynthetic %v", refNames, ourNames)
	}
}

func trimBlock(name string) string {
	if len(name) > 4 && name[:4] == "blk." {
		for i := 4; i < len(name); i++ {
			if name[i] == '.' {
				return "blk.N" + name[i:]
			}
		}
	}
	return name
}

func TestDeterministic(t *testing.T) {
	spec := Spec{Shape: tinyShape, Quant: QuantQ4_0, Seed: 42}
	sum := func(spec Spec) [32]byte {
		l, err := Plan(spec)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := l.Write(context.Background(), &b, nil); err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b.Bytes())
	}
	if sum(spec) != sum(spec) {
		t.Fatal("same spec and seed gave different files")
	}
	other := spec
	other.Seed = 43
	if sum(spec) == sum(other) {
		t.Fatal("different seeds gave the same file")
	}
}

func TestCancelRemovesPartialFile(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	path := filepath.Join(t.TempDir(), "model.gguf")
	calls := 0
	_, err := WriteFile(ctx, path, Spec{Shape: Shape{Layers: 4, Hidden: 512, Heads: 8, KVHeads: 8, FFN: 1024, Vocab: 4000, Context: 512}}, func(done, total int64) {
		calls++
		if done > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, statErr := os.Stat(path); !os.IsNotExist(statErr) {
		t.Fatalf("partial file left behind: %v", statErr)
	}
	if calls == 0 {
		t.Fatal("progress never called")
	}
}

func TestProgressReachesTotal(t *testing.T) {
	var last, total int64
	l, err := Plan(Spec{Shape: tinyShape})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	err = l.Write(context.Background(), &b, func(done, tot int64) {
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last, total = done, tot
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != l.Size || total != l.Size || int64(b.Len()) != l.Size {
		t.Fatalf("progress ended at %d/%d, wrote %d, planned %d", last, total, b.Len(), l.Size)
	}
}

func TestShapeValidate(t *testing.T) {
	bad := []Shape{
		{},
		{Layers: 1, Hidden: 64, Heads: 3, KVHeads: 1, FFN: 8, Vocab: MinVocab, Context: 8},
		{Layers: 1, Hidden: 64, Heads: 4, KVHeads: 3, FFN: 8, Vocab: MinVocab, Context: 8},
		{Layers: 1, Hidden: 64, Heads: 4, KVHeads: 4, FFN: 8, Vocab: 10, Context: 8},
	}
	for _, s := range bad {
		if _, err := Plan(Spec{Shape: s}); err == nil {
			t.Errorf("shape %+v accepted", s)
		}
	}
}

// The block encoders round-trip: what ggml's dequantisation layout reads
// back is close to what was written, within each type's precision.
func TestQuantizeRoundTrip(t *testing.T) {
	r := rand.NewChaCha8([32]byte{1})
	src := make([]float32, 512)
	for i := range src {
		src[i] = uniform(r, 1)
	}
	src[0] = 1 // the embedding marker must survive exactly
	src[5] = 0
	tol := map[TensorType]float64{F32: 0, F16: 1e-3, Q8_0: 1.0 / 127, Q6_K: 1.0 / 24, Q4_0: 1.0 / 7, Q4_K: 1.0 / 7, Q5_K: 1.0 / 14}
	for typ, tl := range tol {
		buf := make([]byte, typ.rowBytes(len(src)))
		typ.quantizeRow(buf, src)
		got := make([]float32, len(src))
		typ.dequantizeRow(got, buf)
		for i := range src {
			if d := math.Abs(float64(got[i] - src[i])); d > tl {
				t.Fatalf("%v: value %d: wrote %g, read back %g (tolerance %g)", typ, i, src[i], got[i], tl)
			}
		}
		if math.Abs(float64(got[0])-1) > 1e-3 && typ != Q4_K && typ != Q5_K {
			t.Errorf("%v: marker 1.0 read back as %g", typ, got[0])
		}
	}
}

// The fast random blocks decode to values inside the requested amplitude
// (with the coarse step of the type) and are not all equal.
func TestRandomRowAmplitude(t *testing.T) {
	for _, typ := range []TensorType{F32, F16, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K} {
		r := rand.NewChaCha8([32]byte{2})
		buf := make([]byte, typ.rowBytes(1024))
		typ.randomRow(buf, r, 0.05)
		got := make([]float32, 1024)
		typ.dequantizeRow(got, buf)
		var lo, hi float32
		for _, v := range got {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo < -0.06 || hi > 0.06 || hi-lo < 0.05 {
			t.Errorf("%v: random values span [%g, %g], want about [-0.05, 0.05]", typ, lo, hi)
		}
	}
}

func TestHalfConversion(t *testing.T) {
	for _, v := range []float32{0, 1, -1, 0.5, 65504, 1e-5, -3.14159, 6e-8} {
		h := float32ToHalf(v)
		back := halfToFloat32(h)
		if math.Abs(float64(back-v)) > math.Abs(float64(v))*1e-3+6e-8 {
			t.Errorf("%g -> %#04x -> %g", v, h, back)
		}
	}
	if float32ToHalf(1) != 0x3C00 || float32ToHalf(-2) != 0xC000 || float32ToHalf(1e6) != 0x7C00 {
		t.Error("known half encodings wrong")
	}
}
