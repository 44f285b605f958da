package bench

import "github.com/ki-reise/kicheck/internal/benchscore"

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

// The figures of a run as data live in benchscore (no network clients), so
// that report and collect read them without importing the runner.
type (
	PromptSummary = benchscore.PromptSummary
	ScoreParts    = benchscore.ScoreParts
	RunSummary    = benchscore.RunSummary
	Stat          = benchscore.Stat
)

// Score is benchscore.Score (docs/score.md).
func Score(prompts []PromptSummary) (*float64, *ScoreParts) { return benchscore.Score(prompts) }

// Summarise is benchscore.Summarise.
func Summarise(xs []float64) Stat { return benchscore.Summarise(xs) }
