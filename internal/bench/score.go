package bench

import (
	"math"
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

// SummarizePrompt computes a prompt's statistics.
func SummarizePrompt(p PromptResult) PromptSummary {
	ps := PromptSummary{Index: p.Index, PromptID: p.PromptID, UseCase: p.UseCase, Title: p.Title}
	var dec, rdec, ptps, rptps, ttft, load, e2e, tin, tout, cached []float64
	for _, s := range p.Samples {
		if s.Warmup {
			continue
		}
		if s.Error != "" {
			ps.Errors++
			continue
		}
		ps.Repetitions++
		dec = append(dec, s.DecodeTPS)
		rdec = append(rdec, s.Runtime.DecodeTPS)
		ptps = append(ptps, s.PromptTPS)
		rptps = append(rptps, s.Runtime.PromptTPS)
		ttft = append(ttft, s.TTFTms)
		load = append(load, s.Runtime.LoadMS)
		e2e = append(e2e, s.E2Ems)
		tin = append(tin, float64(s.TokensIn))
		tout = append(tout, float64(s.TokensOut))
		cached = append(cached, float64(s.CachedTokens))
		for _, c := range s.Checks {
			ps.ChecksTotal++
			if c.Passed {
				ps.ChecksPassed++
			}
		}
	}
	ps.DecodeTPS, ps.RuntimeDecodeTPS = Summarise(dec), Summarise(rdec)
	ps.PromptTPS, ps.RuntimePromptTPS = Summarise(ptps), Summarise(rptps)
	ps.TTFTms, ps.LoadMS, ps.E2Ems = Summarise(ttft), Summarise(load), Summarise(e2e)
	ps.TokensIn, ps.TokensOut, ps.CachedTokens = Summarise(tin), Summarise(tout), Summarise(cached)
	if ps.ChecksTotal > 0 {
		r := float64(ps.ChecksPassed) / float64(ps.ChecksTotal)
		ps.PassRate = &r
	}
	return ps
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

// Summarize condenses a run for the runs table.
func Summarize(r *Result) RunSummary {
	s := RunSummary{Model: r.Model.Name, Runtime: r.Runtime, Bundle: r.Bundle.ID, BundleVer: r.Bundle.Version,
		Complete: r.Complete, Error: r.Error}
	var prompts []PromptSummary
	for _, p := range r.Prompts {
		ps := SummarizePrompt(p)
		prompts = append(prompts, ps)
		s.ChecksPassed += ps.ChecksPassed
		s.ChecksTotal += ps.ChecksTotal
	}
	s.Score, s.Parts = Score(prompts)
	return s
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
