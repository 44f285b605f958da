package load

import (
	"math"
	"slices"
)

var nan = math.NaN()

// Quantile is one percentile with its 95 % distribution-free confidence
// interval from order statistics (docs/load.md): the ranks l and u around
// n·q with P(X(l) ≤ true quantile ≤ X(u)) ≈ 0.95 by the binomial's normal
// approximation. Lo or Hi is NaN when there are too few samples.
type Quantile struct {
	Value float64 `json:"value"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
}

// Dist is p50/p90/p99 of a set of values plus their mean and count.
type Dist struct {
	N    int      `json:"n"`
	Mean float64  `json:"mean"`
	P50  Quantile `json:"p50"`
	P90  Quantile `json:"p90"`
	P99  Quantile `json:"p99"`
}

// NewDist summarises xs (NaN values are dropped).
func NewDist(xs []float64) Dist {
	v := make([]float64, 0, len(xs))
	sum := 0.0
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
			sum += x
		}
	}
	slices.Sort(v)
	d := Dist{N: len(v), Mean: nan}
	if len(v) > 0 {
		d.Mean = sum / float64(len(v))
	}
	d.P50, d.P90, d.P99 = quantile(v, 0.5), quantile(v, 0.9), quantile(v, 0.99)
	return d
}

// quantile of sorted v: the nearest-rank value (rank ⌈n·q⌉) and its
// order-statistic interval.
func quantile(v []float64, q float64) Quantile {
	n := len(v)
	if n == 0 {
		return Quantile{nan, nan, nan}
	}
	rank := int(math.Ceil(q * float64(n)))
	rank = max(1, min(n, rank))
	out := Quantile{Value: v[rank-1], Lo: nan, Hi: nan}
	const z = 1.959964
	sd := math.Sqrt(float64(n) * q * (1 - q))
	l := int(math.Floor(float64(n)*q - z*sd))
	u := int(math.Ceil(float64(n)*q+z*sd)) + 1
	if l >= 1 {
		out.Lo = v[l-1]
	}
	if u <= n {
		out.Hi = v[u-1]
	}
	return out
}

// Share is a proportion with its 95 % Wilson score interval.
type Share struct {
	K  int     `json:"k"`
	N  int     `json:"n"`
	P  float64 `json:"p"`
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// NewShare is k of n with the Wilson interval.
func NewShare(k, n int) Share {
	if n == 0 {
		return Share{P: nan, Lo: nan, Hi: nan}
	}
	const z = 1.959964
	p := float64(k) / float64(n)
	fn := float64(n)
	den := 1 + z*z/fn
	c := (p + z*z/(2*fn)) / den
	h := z * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn)) / den
	return Share{K: k, N: n, P: p, Lo: math.Max(0, c-h), Hi: math.Min(1, c+h)}
}

// Level is what one load level measured.
type Level struct {
	Level     int            `json:"level"` // concurrency, clerks, or requests/min for Poisson
	Requests  int            `json:"requests"`
	OK        int            `json:"ok"`
	Seconds   float64        `json:"seconds"`   // first request sent → last answer ended
	ReqPerS   float64        `json:"req_per_s"` // successful requests / seconds
	TokPerS   float64        `json:"tok_per_s"` // output tokens of successful requests / seconds
	TokPerSPU float64        `json:"tok_per_s_per_user"`
	TTFT      Dist           `json:"ttft_ms"`
	ITL       Dist           `json:"itl_ms"`  // pooled over all gaps of all requests
	TPOT      Dist           `json:"tpot_ms"` // per request, without the first token
	E2E       Dist           `json:"e2e_ms"`
	Goodput   Share          `json:"goodput"`
	Errors    map[string]int `json:"errors,omitempty"`
	Reloads   int            `json:"reloads"` // answers whose load_duration showed a model load
	Tokens    int            `json:"tokens"`  // client-counted
	ServerTok int            `json:"server_tokens"`
}

// reloadMS is the load_duration above which a request paid for a model
// (re)load; a loaded model reports well under a millisecond.
const reloadMS = 100

func summarise(level int, ss []*Sample, users int) Level {
	lv := Level{Level: level, Requests: len(ss), Errors: map[string]int{}}
	var ttft, itl, tpot, e2e []float64
	start, end := math.Inf(1), math.Inf(-1)
	tok, good := 0, 0
	for _, s := range ss {
		start = math.Min(start, s.StartMS)
		end = math.Max(end, s.StartMS+s.E2Ems)
		if s.Error != "" {
			lv.Errors[s.Error]++
			continue
		}
		lv.OK++
		if s.LoadMS > reloadMS {
			lv.Reloads++
		}
		ttft = append(ttft, s.TTFTms)
		e2e = append(e2e, s.E2Ems)
		tpot = append(tpot, s.TPOTms())
		itl = append(itl, s.gaps...)
		tok += s.tokenCount()
		lv.Tokens += s.Tokens
		lv.ServerTok += s.Server
		if s.Good {
			good++
		}
	}
	if len(lv.Errors) == 0 {
		lv.Errors = nil
	}
	if end > start {
		lv.Seconds = (end - start) / 1000
		lv.ReqPerS = float64(lv.OK) / lv.Seconds
		lv.TokPerS = float64(tok) / lv.Seconds
		if users > 0 {
			lv.TokPerSPU = lv.TokPerS / float64(users)
		}
	}
	lv.TTFT, lv.ITL, lv.TPOT, lv.E2E = NewDist(ttft), NewDist(itl), NewDist(tpot), NewDist(e2e)
	lv.Goodput = NewShare(good, len(ss))
	return lv
}
