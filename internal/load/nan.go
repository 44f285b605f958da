package load

import (
	"encoding/json"
	"math"
)

// NaN (too few samples for a figure or a bound) is written as JSON null
// and read back from null as NaN.

func nf(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func fn(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

type quantileJSON struct {
	Value *float64 `json:"value"`
	Lo    *float64 `json:"lo"`
	Hi    *float64 `json:"hi"`
}

// MarshalJSON writes NaN as null.
func (q Quantile) MarshalJSON() ([]byte, error) {
	return json.Marshal(quantileJSON{nf(q.Value), nf(q.Lo), nf(q.Hi)})
}

// UnmarshalJSON reads null as NaN.
func (q *Quantile) UnmarshalJSON(b []byte) error {
	var j quantileJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*q = Quantile{fn(j.Value), fn(j.Lo), fn(j.Hi)}
	return nil
}

type distJSON struct {
	N    int      `json:"n"`
	Mean *float64 `json:"mean"`
	P50  Quantile `json:"p50"`
	P90  Quantile `json:"p90"`
	P99  Quantile `json:"p99"`
}

// MarshalJSON writes NaN as null.
func (d Dist) MarshalJSON() ([]byte, error) {
	return json.Marshal(distJSON{d.N, nf(d.Mean), d.P50, d.P90, d.P99})
}

// UnmarshalJSON reads null as NaN.
func (d *Dist) UnmarshalJSON(b []byte) error {
	var j distJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Dist{j.N, fn(j.Mean), j.P50, j.P90, j.P99}
	return nil
}

type shareJSON struct {
	K  int      `json:"k"`
	N  int      `json:"n"`
	P  *float64 `json:"p"`
	Lo *float64 `json:"lo"`
	Hi *float64 `json:"hi"`
}

// MarshalJSON writes NaN as null.
func (s Share) MarshalJSON() ([]byte, error) {
	return json.Marshal(shareJSON{s.K, s.N, nf(s.P), nf(s.Lo), nf(s.Hi)})
}

// UnmarshalJSON reads null as NaN.
func (s *Share) UnmarshalJSON(b []byte) error {
	var j shareJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Share{j.K, j.N, fn(j.P), fn(j.Lo), fn(j.Hi)}
	return nil
}
