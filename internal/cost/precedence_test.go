package cost

import (
	"errors"
	"reflect"
	"testing"
)

// Apply's order: file, then measurements, then the bundle's estimates for
// what is still 0, then the fit verdict, then what a person entered.
func TestApplyOrderOfPrecedence(t *testing.T) {
	p := Defaults()
	p.Usage.TokensInPerRequest, p.Usage.TokensOutPerRequest = 0, 0
	p.Local.HardwareVerdict = VerdictNotReady
	a, err := Apply(&p, Layers{
		Measured: func(p *Params) ([]string, error) {
			p.Usage.TokensInPerRequest = 500
			p.Usage.Users = 7 // a person's entry below wins over this
			return []string{"usage.tokens_in_per_request"}, nil
		},
		Estimated: func(p *Params) ([]string, error) {
			var set []string
			if p.Usage.TokensInPerRequest == 0 {
				p.Usage.TokensInPerRequest = 1
				set = append(set, "in")
			}
			if p.Usage.TokensOutPerRequest == 0 {
				p.Usage.TokensOutPerRequest = 200
				set = append(set, "usage.tokens_out_per_request")
			}
			return set, nil
		},
		FitVerdict: VerdictLimited,
		Entered:    func(p *Params) { p.Usage.Users = 40 },
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Usage.TokensInPerRequest != 500 || p.Usage.TokensOutPerRequest != 200 || p.Usage.Users != 40 || p.Local.HardwareVerdict != VerdictLimited {
		t.Errorf("params: in %v out %v users %d verdict %s", p.Usage.TokensInPerRequest, p.Usage.TokensOutPerRequest, p.Usage.Users, p.Local.HardwareVerdict)
	}
	if !reflect.DeepEqual(a.Measured, []string{"usage.tokens_in_per_request"}) || !reflect.DeepEqual(a.Estimated, []string{"usage.tokens_out_per_request"}) || !a.VerdictFromFit {
		t.Errorf("applied: %+v", a)
	}

	// A person's verdict replaces the fit's.
	q := Defaults()
	if _, err := Apply(&q, Layers{FitVerdict: VerdictReady, Entered: func(p *Params) { p.Local.HardwareVerdict = VerdictNotReady }}); err != nil || q.Local.HardwareVerdict != VerdictNotReady {
		t.Errorf("entered verdict: %s %v", q.Local.HardwareVerdict, err)
	}
	// The estimate is not asked when the tokens are known; a failing layer
	// stops.
	r := Defaults()
	r.Usage.TokensInPerRequest, r.Usage.TokensOutPerRequest = 300, 150
	if _, err := Apply(&r, Layers{Estimated: func(*Params) ([]string, error) { return nil, errors.New("asked") }}); err != nil {
		t.Errorf("estimate asked though the file gives the tokens: %v", err)
	}
	boom := errors.New("no such run")
	if _, err := Apply(&r, Layers{Measured: func(*Params) ([]string, error) { return nil, boom }}); !errors.Is(err, boom) {
		t.Errorf("measured error: %v", err)
	}
}
