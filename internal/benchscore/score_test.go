package benchscore

import (
	"math"
	"testing"
)

// Summarise by hand: 1, 2, 3, 4 and a NaN that was not measured.
func TestSummariseByHand(t *testing.T) {
	s := Summarise([]float64{4, 1, math.NaN(), 3, 2})
	if s.N != 4 || s.Mean != 2.5 || s.Median != 2.5 || s.Min != 1 || s.Max != 4 || math.Abs(s.Stddev-1.2909944) > 1e-6 {
		t.Errorf("%+v", s)
	}
	if z := Summarise(nil); z.N != 0 || z.Mean != 0 {
		t.Errorf("empty: %+v", z)
	}
}

// Score by hand: two prompts, P = √(100·400) = 200, D = √(10·40) = 20,
// T = √(250·1000) = 500 ms: ∛(200 · 20 · 1000/500) = ∛8000 = 20. Without a
// decode figure there is no score.
func TestScoreByHand(t *testing.T) {
	st := func(v float64) Stat { return Stat{N: 1, Median: v} }
	ps := []PromptSummary{
		{PromptTPS: st(100), DecodeTPS: st(10), TTFTms: st(250)},
		{PromptTPS: st(400), DecodeTPS: st(40), TTFTms: st(1000)},
	}
	v, parts := Score(ps)
	if v == nil || math.Abs(*v-20) > 1e-9 || parts.Prompts != 2 || math.Abs(parts.PromptTPS-200) > 1e-9 {
		t.Fatalf("score %v, parts %+v", v, parts)
	}
	if v, _ := Score([]PromptSummary{{PromptTPS: st(100), TTFTms: st(250)}}); v != nil {
		t.Errorf("score without decode figures: %v", *v)
	}
}
