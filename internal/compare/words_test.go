package compare

import (
	"math"
	"strings"
	"testing"
)

func TestSimilarity(t *testing.T) {
	cases := []struct {
		a, b string
		want float64
	}{
		{"Das Ordnungsamt ist zuständig.", "das ordnungsamt ist zuständig", 1},
		// a: [zuständig ist das ordnungsamt] b: [zuständig ist das bauamt]; common 3 → 2·3/8 = 0,75
		{"Zuständig ist das Ordnungsamt.", "Zuständig ist das Bauamt.", 0.75},
		{"ja", "nein", 0},
		{"", "", 1},
		// a 2 words, b 0 → 0
		{"zwei Wörter", "", 0},
	}
	for _, c := range cases {
		if got := Similarity(c.a, c.b); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Similarity(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestWordDiff(t *testing.T) {
	got := WordDiff("Zuständig ist das Ordnungsamt.", "Zuständig ist das Bauamt.", 200)
	if got != "zuständig ist das [-ordnungsamt-] {+bauamt+}" {
		t.Fatalf("diff = %q", got)
	}
	long := strings.Repeat("wort ", 300)
	if d := WordDiff(long+"a", long+"b", 80); len(d) > 90 {
		t.Fatalf("diff not limited: %d chars", len(d))
	}
}

func FuzzWordDiff(f *testing.F) {
	f.Add("Zuständig ist das Ordnungsamt.", "Zuständig ist das Bauamt.")
	f.Fuzz(func(t *testing.T, a, b string) {
		s := Similarity(a, b)
		if s < 0 || s > 1 || math.IsNaN(s) {
			t.Fatalf("similarity %v out of range", s)
		}
		WordDiff(a, b, 100)
	})
}
