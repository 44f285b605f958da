package compare

import (
	"unicode/utf8"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cost"
)

// ApplyToCost fills the cost parameters that the two runs measured: tokens
// in and out per request (mean over the local run's answers, the bundle's
// shape of work), the local compute time per request (mean end-to-end time
// of a local answer) and both median latencies for the recommendation.
// Figures a run did not measure leave the parameter as it was. It returns
// the names of the parameters it set.
func ApplyToCost(c Comparison, p *cost.Params) []string {
	var set []string
	src := c.Local
	if src.TokensIn.N == 0 {
		src = c.Cloud
	}
	if src.TokensIn.N > 0 && src.TokensIn.Mean > 0 {
		p.Usage.TokensInPerRequest = src.TokensIn.Mean
		set = append(set, "usage.tokens_in_per_request")
	}
	if src.TokensOut.N > 0 && src.TokensOut.Mean > 0 {
		p.Usage.TokensOutPerRequest = src.TokensOut.Mean
		set = append(set, "usage.tokens_out_per_request")
	}
	if c.Local.E2Ems.N > 0 {
		p.Local.SecondsPerRequest = c.Local.E2Ems.Mean / 1000
		p.Criteria.LocalLatencyS = c.Local.E2Ems.Median / 1000
		set = append(set, "local.seconds_per_request", "criteria.local_latency_s")
	}
	if c.Cloud.E2Ems.N > 0 {
		p.Criteria.CloudLatencyS = c.Cloud.E2Ems.Median / 1000
		set = append(set, "criteria.cloud_latency_s")
	}
	return set
}

// charsPerToken is the rough size of a token in German text for the BPE
// tokenizers of current models (about 3.5–4.5 characters); used only until
// a run measured the real counts.
const charsPerToken = 4

// BundleUsage estimates tokens in and out per request from a bundle,
// before anything was measured: in = the prompt's characters / 4 (a
// synthetic prompt counts its stated length), out = its max_tokens (an
// upper bound). Both are means over the bundle's prompts.
func BundleUsage(b *bench.Bundle) (in, out float64) {
	if len(b.Prompts) == 0 {
		return 0, 0
	}
	for _, p := range b.Prompts {
		chars := 0
		for _, m := range p.Messages {
			chars += utf8.RuneCountInString(m.Content)
		}
		tokens := float64(chars) / charsPerToken
		if p.Synthetic != nil {
			tokens += float64(p.Synthetic.PromptTokens)
		}
		in += tokens
		out += float64(p.Params.MaxTokens)
	}
	n := float64(len(b.Prompts))
	return in / n, out / n
}

// ApplyBundle sets tokens in/out per request from the bundle where the
// parameters leave them at 0 and returns the names it set.
func ApplyBundle(b *bench.Bundle, p *cost.Params) []string {
	in, out := BundleUsage(b)
	var set []string
	if p.Usage.TokensInPerRequest == 0 && in > 0 {
		p.Usage.TokensInPerRequest = in
		set = append(set, "usage.tokens_in_per_request")
	}
	if p.Usage.TokensOutPerRequest == 0 && out > 0 {
		p.Usage.TokensOutPerRequest = out
		set = append(set, "usage.tokens_out_per_request")
	}
	return set
}
