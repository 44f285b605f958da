package cost

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestOperatingModelsOpenWithoutPrices(t *testing.T) {
	p := Defaults()
	p.Usage.Users = 400
	r := Compute(p, time.Now())
	ms := OperatingModels(p, Operating{PCs: 400, PCsNotReady: 120, ClerksPerServer: 40}, r)
	if len(ms) != 4 {
		t.Fatalf("%d models", len(ms))
	}
	for _, m := range ms {
		switch m.Model {
		case ModelWorkplace:
			if !slices.Contains(m.Open, "upgrade_per_pc") || !math.IsNaN(m.Monthly) {
				t.Errorf("workplace without an upgrade price: %+v", m)
			}
		case ModelServer, ModelHybrid:
			if !slices.Contains(m.Open, "server_price") || !math.IsNaN(m.Monthly) {
				t.Errorf("%s without a server price: %+v", m.Model, m)
			}
		case ModelCloud:
			if m.Monthly != r.Cloud.Monthly {
				t.Errorf("cloud %v, Compute %v", m.Monthly, r.Cloud.Monthly)
			}
		}
	}
}

func TestOperatingModelsServerSizedFromMeasurement(t *testing.T) {
	p := Defaults()
	p.Usage.Users = 400
	p.Hybrid.CloudShare = 0.5
	r := Compute(p, time.Now())
	price, up := 20000.0, 1000.0 // test figures, not prices
	o := Operating{PCs: 400, PCsNotReady: 100, UpgradePerPC: Price{EUR: &up, Date: "2026-12-01"}, ClerksPerServer: 40,
		Server: Price{EUR: &price, Date: "2026-12-01"}, ServerWatts: 500, ServerAdminHours: 8}
	ms := OperatingModels(p, o, r)
	sv, hy, wp := ms[1], ms[3], ms[0]
	if sv.Servers != 10 || hy.Servers != 5 {
		t.Fatalf("servers %d and hybrid %d, want 10 and 5 (400 users, 40 per server, half to the cloud)", sv.Servers, hy.Servers)
	}
	dep := p.Local.DepreciationYears * 12
	if want := 10 * price / dep; math.Abs(sv.Parts.Hardware-want) > 1e-9 {
		t.Errorf("server hardware %v, want %v", sv.Parts.Hardware, want)
	}
	if want := 10 * 0.5 * 8760 / 12 * p.Local.ElectricityEURPerKWh; math.Abs(sv.Parts.Energy-want) > 1e-9 {
		t.Errorf("server energy %v, want %v", sv.Parts.Energy, want)
	}
	if want := 100 * up / dep; math.Abs(wp.Parts.Hardware-want) > 1e-9 {
		t.Errorf("workplace hardware %v, want %v", wp.Parts.Hardware, want)
	}
	// Break-even: the sign of (server − cloud) flips exactly there.
	comp := func(q Params) Result { return Compute(q, time.Now()) }
	diff := func(users int) float64 {
		q := p
		q.Usage.Users = users
		ms := OperatingModels(q, o, comp(q))
		return ms[1].Monthly - ms[2].Monthly
	}
	// Heavy use with long answers (test figures): the servers pay off at some size.
	p.Usage.RequestsPerUserPerDay, p.Usage.TokensOutPerRequest, p.Cloud.PriceOutputPerMillion = 100, 1000, 10
	n := BreakEvenUsers(p, o, ModelServer, ModelCloud, 20000, comp)
	if n < 2 || (diff(n-1) < 0) == (diff(n) < 0) {
		t.Errorf("break-even at %d users: difference %v at %d, %v at %d", n, diff(n-1), n-1, diff(n), n)
	}
}

func TestRecommendOperating(t *testing.T) {
	p := Defaults()
	open := ModelCost{Model: ModelWorkplace, Monthly: math.NaN(), Open: []string{"pcs"}}
	ms := []ModelCost{open, {Model: ModelServer, Monthly: 900}, {Model: ModelCloud, Monthly: 100}, {Model: ModelHybrid, Monthly: 500}}
	p.Criteria.PersonalData, p.Cloud.AVVAvailable, p.Criteria.NeedsOffline = true, false, false
	if c := RecommendOperating(p, ms); c.Model != ModelServer || len(c.Reasons) != 3 {
		t.Errorf("personal data without AVV: %q, %d reasons", c.Model, len(c.Reasons))
	}
	p.Cloud.AVVAvailable = true
	if c := RecommendOperating(p, ms); c.Model != ModelCloud {
		t.Errorf("with an AVV the cheapest (cloud) wins, got %q", c.Model)
	}
	if c := RecommendOperating(p, []ModelCost{open}); c.Model != "" {
		t.Errorf("only open models: %q", c.Model)
	}
}

// TestBreakEvenMatchesFullScan: the stepped search finds the same first
// crossing as evaluating every user count (test figures, not prices).
func TestBreakEvenMatchesFullScan(t *testing.T) {
	p := Defaults()
	price, up := 20000.0, 1000.0
	o := Operating{PCs: 400, PCsNotReady: 100, UpgradePerPC: Price{EUR: &up, Date: "2026-12-01"}, ClerksPerServer: 40,
		Server: Price{EUR: &price, Date: "2026-12-01"}, ServerWatts: 500, ServerAdminHours: 8}
	now := func(q Params) Result { return Compute(q, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) }
	full := func(a, b string, maxUsers int) int {
		cost := func(users int, m string) float64 {
			q := p
			q.Usage.Users = users
			for _, mc := range OperatingModels(q, o, now(q)) {
				if mc.Model == m {
					return mc.Monthly
				}
			}
			return math.NaN()
		}
		prev := cost(1, a) - cost(1, b)
		for u := 2; u <= maxUsers; u++ {
			d := cost(u, a) - cost(u, b)
			if (prev < 0) != (d < 0) {
				return u
			}
			prev = d
		}
		return 0
	}
	found := 0
	for _, pair := range [][2]string{{ModelWorkplace, ModelServer}, {ModelWorkplace, ModelCloud}, {ModelServer, ModelCloud}, {ModelServer, ModelHybrid}, {ModelCloud, ModelHybrid}} {
		want := full(pair[0], pair[1], 3000)
		got := BreakEvenUsers(p, o, pair[0], pair[1], 3000, now)
		if got != want {
			t.Errorf("%s/%s: stepped %d, full scan %d", pair[0], pair[1], got, want)
		}
		if got > 0 {
			found++
		}
	}
	if found == 0 {
		t.Error("no pair crosses: the test checks nothing")
	}
}
