package benchscore

import (
	"math"
	"sort"
)

// PromptSummary is one prompt's figures over its measured repetitions.
// The JSON names are the stable output of `kicheck bench --json`.
type PromptSummary struct {
	Index       int    `json:"index"`
	PromptID    string `json:"prompt_id"`
	UseCase     string `json:"use_case"`
	Title       string `json:"title"`
	Repetitions int    `json:"repetitions"` // measured without error
	Errors      int    `json:"errors"`

	DecodeTPS        Stat `json:"decode_tps"`         // client side
	RuntimeDecodeTPS Stat `json:"runtime_decode_tps"` // the runtime's own figure (n = 0: it gives none)
	PromptTPS        Stat `json:"prompt_tps"`         // client side: tokens in / TTFT
	RuntimePromptTPS Stat `json:"runtime_prompt_tps"`
	TTFTms           Stat `json:"ttft_ms"`
	LoadMS           Stat `json:"load_ms"` // the runtime's load time per answer (Ollama); ~0 once loaded
	E2Ems            Stat `json:"e2e_ms"`
	TokensIn         Stat `json:"tokens_in"`
	TokensOut        Stat `json:"tokens_out"`
	CachedTokens     Stat `json:"cached_tokens"`

	ChecksPassed int      `json:"checks_passed"`
	ChecksTotal  int      `json:"checks_total"`
	PassRate     *float64 `json:"pass_rate"` // null without checks
}

// ScoreParts are the three figures the score is made of (docs/score.md).
type ScoreParts struct {
	PromptTPS float64 `json:"prompt_tps"` // geometric mean over prompts of the median client prompt tok/s
	DecodeTPS float64 `json:"decode_tps"` // same for decode tok/s (prompts generating ≥ 2 tokens)
	TTFTms    float64 `json:"ttft_ms"`    // same for time to first token
	Prompts   int     `json:"prompts"`    // prompts that contributed
}

// RunSummary is what the runs table keeps about a bench run.
type RunSummary struct {
	Model        string      `json:"model"`
	Runtime      string      `json:"runtime"`
	Bundle       string      `json:"bundle"`
	BundleVer    string      `json:"bundle_version"`
	Complete     bool        `json:"complete"`
	Score        *float64    `json:"score"` // null when a part is missing
	Parts        *ScoreParts `json:"score_parts,omitempty"`
	ChecksPassed int         `json:"checks_passed"`
	ChecksTotal  int         `json:"checks_total"`
	Error        string      `json:"error,omitempty"`
}

// Score is KI-Check's one number for a model on a PC (docs/score.md):
//
//	score = ∛( P × D × 1000/T )
//
// with P, D, T the geometric means over the bundle's prompts of the median
// client-side prompt tok/s, decode tok/s and TTFT in ms. Like LocalScore it
// rewards fast prompt processing, fast generation and a short wait, each
// with the same weight; a PC twice as fast in all three scores twice as
// high. It returns nil when one of the three has no figure.
func Score(prompts []PromptSummary) (*float64, *ScoreParts) {
	var lp, ld, lt []float64
	for _, p := range prompts {
		if p.PromptTPS.N > 0 && p.PromptTPS.Median > 0 {
			lp = append(lp, math.Log(p.PromptTPS.Median))
		}
		if p.DecodeTPS.N > 0 && p.DecodeTPS.Median > 0 {
			ld = append(ld, math.Log(p.DecodeTPS.Median))
		}
		if p.TTFTms.N > 0 && p.TTFTms.Median > 0 {
			lt = append(lt, math.Log(p.TTFTms.Median))
		}
	}
	if len(lp) == 0 || len(ld) == 0 || len(lt) == 0 {
		return nil, nil
	}
	parts := &ScoreParts{PromptTPS: expMean(lp), DecodeTPS: expMean(ld), TTFTms: expMean(lt), Prompts: len(lt)}
	v := math.Cbrt(parts.PromptTPS * parts.DecodeTPS * 1000 / parts.TTFTms)
	return &v, parts
}

func expMean(logs []float64) float64 {
	var s float64
	for _, l := range logs {
		s += l
	}
	return math.Exp(s / float64(len(logs)))
}

// Stat summarises samples of one figure. A figure nobody measured (a
// runtime without its own timings) has N = 0 and is left out of JSON
// consumers' calculations.
type Stat struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	Stddev float64 `json:"stddev"` // sample standard deviation (n-1)
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Summarise computes the statistics of xs, skipping NaN (not measured).
func Summarise(xs []float64) Stat {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	s := Stat{N: len(v)}
	if s.N == 0 {
		return s
	}
	sort.Float64s(v)
	s.Min, s.Max = v[0], v[len(v)-1]
	var sum float64
	for _, x := range v {
		sum += x
	}
	s.Mean = sum / float64(s.N)
	if s.N%2 == 1 {
		s.Median = v[s.N/2]
	} else {
		s.Median = (v[s.N/2-1] + v[s.N/2]) / 2
	}
	if s.N > 1 {
		var sq float64
		for _, x := range v {
			sq += (x - s.Mean) * (x - s.Mean)
		}
		s.Stddev = math.Sqrt(sq / float64(s.N-1))
	}
	return s
}
