package bench

import (
	"math"
	"testing"
)

// Worked by hand: prompt A has P=100, D=10, T=100 ms; prompt B has P=400,
// D=40, T=400 ms. Geometric means: P=200, D=20, T=200. Score =
// ∛(200 × 20 × 1000/200) = ∛20000 = 27.144…
func TestScoreByHand(t *testing.T) {
	mk := func(p, d, tt float64) PromptSummary {
		return PromptSummary{PromptTPS: Stat{N: 1, Median: p}, DecodeTPS: Stat{N: 1, Median: d}, TTFTms: Stat{N: 1, Median: tt}}
	}
	s, parts := Score([]PromptSummary{mk(100, 10, 100), mk(400, 40, 400)})
	if s == nil {
		t.Fatal("no score")
	}
	if math.Abs(parts.PromptTPS-200) > 1e-9 || math.Abs(parts.DecodeTPS-20) > 1e-9 || math.Abs(parts.TTFTms-200) > 1e-9 {
		t.Errorf("parts %+v", parts)
	}
	if math.Abs(*s-math.Cbrt(20000)) > 1e-9 {
		t.Errorf("score %v", *s)
	}
	// Twice as fast everywhere: twice the score.
	s2, _ := Score([]PromptSummary{mk(200, 20, 50), mk(800, 80, 200)})
	if math.Abs(*s2/(*s)-2) > 1e-9 {
		t.Errorf("ratio %v", *s2/(*s))
	}
	// Without any decode figure (only pp512) there is no score.
	noDecode := mk(100, 0, 100)
	noDecode.DecodeTPS.N = 0
	if s, _ := Score([]PromptSummary{noDecode}); s != nil {
		t.Error("score without any decode figure")
	}
	// A prompt without decode figures still counts for P and T.
	s3, p3 := Score([]PromptSummary{mk(100, 10, 100), noDecode})
	if s3 == nil || math.Abs(p3.DecodeTPS-10) > 1e-9 || p3.Prompts != 2 {
		t.Errorf("mixed: %v %+v", s3, p3)
	}
}

func TestSummarizePrompt(t *testing.T) {
	nan := math.NaN()
	p := PromptResult{Samples: []Sample{
		{Warmup: true, DecodeTPS: 1000, Runtime: RuntimeFigures{DecodeTPS: nan}},
		{Rep: 1, DecodeTPS: 10, PromptTPS: 100, TTFTms: 50, Runtime: RuntimeFigures{DecodeTPS: 11, LoadMS: 0},
			Checks: []CheckResult{{Passed: true}, {Passed: false}}},
		{Rep: 2, DecodeTPS: 20, PromptTPS: 300, TTFTms: 70, Runtime: RuntimeFigures{DecodeTPS: 19, LoadMS: 2},
			Checks: []CheckResult{{Passed: true}, {Passed: true}}},
		{Rep: 3, Error: "stream_broken: x"},
	}}
	s := SummarizePrompt(p)
	if s.Repetitions != 2 || s.Errors != 1 || s.DecodeTPS.Mean != 15 || s.RuntimeDecodeTPS.Mean != 15 || s.LoadMS.Max != 2 {
		t.Errorf("%+v", s)
	}
	if s.ChecksPassed != 3 || s.ChecksTotal != 4 || *s.PassRate != 0.75 {
		t.Errorf("checks %d/%d", s.ChecksPassed, s.ChecksTotal)
	}
}

func TestBundleContext(t *testing.T) {
	c, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	speed, _ := c.Get("speed")
	basis, _ := c.Get(DefaultBundle)
	// ls-2048-256 needs 2048 + 256 + 64 = 2368 tokens: 3072.
	if n := bundleContext(speed); n != 3072 {
		t.Errorf("speed: %d", n)
	}
	if n := bundleContext(basis); n != 0 {
		t.Errorf("kommune-basis: %d", n)
	}
}
