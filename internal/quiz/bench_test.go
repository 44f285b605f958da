package quiz

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// benchQuestions is a bank of 1000 generated questions of every type.
func benchQuestions(b *testing.B) []Question {
	b.Helper()
	return genQuestions(rand.New(rand.NewPCG(7, 8)), 1000)
}

// BenchmarkParseGIFT reads 1000 questions from GIFT; BenchmarkParseYAML
// reads the same questions from a YAML bundle (schema validation
// included) as the reference for the ratio.
func BenchmarkParseGIFT(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteGIFT(&buf, benchQuestions(b)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := ParseGIFT("bench.gift", data); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

func BenchmarkParseYAML(b *testing.B) {
	qs := benchQuestions(b)
	for i := range qs {
		qs[i].ID = "q" + formatNumber(float64(i)) // bundle ids are plain
	}
	var buf bytes.Buffer
	if err := WriteBundle(&buf, &Bundle{ID: "bench", Version: "1", Title: "Bench", Questions: qs}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := ParseBundle("bench.yaml", data); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

func BenchmarkWriteGIFT(b *testing.B) {
	qs := benchQuestions(b)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteGIFT(&buf, qs); err != nil {
			b.Fatal(err)
		}
	}
}
