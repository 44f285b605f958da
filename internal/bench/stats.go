package bench

import (
	"math"
	"sort"
)

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
