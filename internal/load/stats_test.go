package load

import (
	"math"
	"net/http"
	"testing"
)

func broken2client() *http.Client { return &http.Client{} }

func TestQuantileOrderStatistics(t *testing.T) {
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	d := NewDist(xs)
	if d.P50.Value != 50 || d.P90.Value != 90 || d.P99.Value != 99 {
		t.Fatalf("%+v", d)
	}
	// n=100, q=0.5: sd 5, ranks floor(50-9.8)=40 and ceil(59.8)+1=61.
	if d.P50.Lo != 40 || d.P50.Hi != 61 {
		t.Errorf("p50 interval %v–%v, want 40–61", d.P50.Lo, d.P50.Hi)
	}
	// p99 of 100 samples has no upper bound.
	if !math.IsNaN(d.P99.Hi) {
		t.Errorf("p99 upper bound %v from 100 samples", d.P99.Hi)
	}
	if e := NewDist(nil); e.N != 0 || !math.IsNaN(e.P50.Value) {
		t.Errorf("empty: %+v", e)
	}
}

func TestWilson(t *testing.T) {
	s := NewShare(9, 10)
	// Wilson 95 % for 9/10: 0.596–0.982.
	if math.Abs(s.Lo-0.596) > 0.001 || math.Abs(s.Hi-0.982) > 0.001 {
		t.Errorf("%+v", s)
	}
	if z := NewShare(0, 0); !math.IsNaN(z.P) {
		t.Errorf("%+v", z)
	}
}

func TestSaturationRule(t *testing.T) {
	lv := func(c int, tp, e2e float64) Level {
		return Level{Level: c, TokPerS: tp, E2E: Dist{P50: Quantile{Value: e2e}}}
	}
	if s := saturation([]Level{lv(1, 100, 10), lv(2, 190, 11)}); s != 0 {
		t.Errorf("growing throughput called saturated at %d", s)
	}
	if s := saturation([]Level{lv(2, 190, 11), lv(4, 200, 20)}); s != 4 {
		t.Errorf("flat throughput with doubled latency: %d", s)
	}
}
