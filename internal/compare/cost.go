package compare

import "github.com/ki-reise/kicheck/internal/cost"

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
