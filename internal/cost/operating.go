package cost

import (
	"math"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Operating models of issue 14, next to the local/cloud/hybrid model.
const (
	ModelWorkplace = "arbeitsplatz" // each PC runs its model
	ModelServer    = "server"       // one or more central AI servers
	ModelCloud     = "cloud"
	ModelHybrid    = "hybrid" // central server, CloudShare of requests to the cloud
)

// Price is a hardware price the municipality enters itself, with the date
// of the offer: KI-Check never invents one. Nil EUR = "von der Kommune
// einzutragen".
type Price struct {
	EUR  *float64 `json:"eur" yaml:"eur"`
	Date string   `json:"date" yaml:"date"` // YYYY-MM-DD of the offer; "" while EUR is nil
}

// Known reports whether the price was entered.
func (p Price) Known() bool { return p.EUR != nil }

// Operating are the figures the four operating models need beyond Params.
type Operating struct {
	// Workplace: the fleet's PCs and how many of them are not ready
	// (collect's fleet figures); that share of the users' PCs needs
	// UpgradePerPC.
	PCs          int   `json:"pcs" yaml:"pcs"`
	PCsNotReady  int   `json:"pcs_not_ready" yaml:"pcs_not_ready"`
	UpgradePerPC Price `json:"upgrade_per_pc" yaml:"upgrade_per_pc"`
	// Server: ClerksPerServer from the load measurement ("bedient bis zu N
	// … Sachbearbeiter:innen"); 0 = not measured, then the model stays open.
	ClerksPerServer    int     `json:"clerks_per_server" yaml:"clerks_per_server"`
	Server             Price   `json:"server" yaml:"server"`
	ServerWatts        float64 `json:"server_watts" yaml:"server_watts"` // average draw in working hours, 0 = not entered
	ServerAdminHours   float64 `json:"server_admin_hours_per_month" yaml:"server_admin_hours_per_month"`
	ServerHoursPerYear float64 `json:"server_hours_per_year" yaml:"server_hours_per_year"` // hours it runs; 0 = 8760 (always on)
}

// ModelCost is one operating model's cost per month; Open lists what is
// missing for it (message ids' keys), and Monthly is NaN then.
type ModelCost struct {
	Model   string  `json:"model"`
	Servers int     `json:"servers,omitempty"`
	Monthly float64 `json:"-"` // NaN while Open
	// MonthlyEUR is Monthly in JSON; null while the model is open.
	MonthlyEUR *float64  `json:"monthly_eur"`
	Parts      Breakdown `json:"parts"`
	Open       []string  `json:"open,omitempty"`
}

// OperatingModels computes the four models for p's users. Cloud and
// hybrid's cloud part come from Compute; the hybrid's own part is the
// central server sized for the requests that stay in-house.
func OperatingModels(p Params, o Operating, r Result) []ModelCost {
	depMonths := p.Local.DepreciationYears * 12
	if depMonths <= 0 {
		depMonths = 36
	}
	// Am Arbeitsplatz: upgrades of the PCs that are not ready, the PCs'
	// extra power per answer (Params.Local), admin time per month.
	wp := ModelCost{Model: ModelWorkplace}
	if o.PCs <= 0 {
		wp.Open = append(wp.Open, "pcs")
	}
	if o.PCsNotReady > 0 && !o.UpgradePerPC.Known() {
		wp.Open = append(wp.Open, "upgrade_per_pc")
	} else if o.UpgradePerPC.Known() && o.PCs > 0 {
		// The fleet's share of PCs that are not ready, applied to the users
		// (one PC each), so the model scales with the users like the others.
		notReady := math.Round(float64(p.Usage.Users) * float64(o.PCsNotReady) / float64(o.PCs))
		wp.Parts.Hardware = notReady * *o.UpgradePerPC.EUR / depMonths
	}
	wp.Parts.Energy = r.Local.Energy
	wp.Parts.Admin = r.Local.Admin

	// Zentraler Server: ⌈users / clerks per server⌉ servers.
	server := func(users float64) ModelCost {
		m := ModelCost{Model: ModelServer}
		if o.ClerksPerServer <= 0 {
			m.Open = append(m.Open, "clerks_per_server")
		} else {
			m.Servers = int(math.Ceil(users / float64(o.ClerksPerServer)))
		}
		if !o.Server.Known() {
			m.Open = append(m.Open, "server_price")
		}
		if o.ServerWatts <= 0 {
			m.Open = append(m.Open, "server_watts")
		}
		if len(m.Open) > 0 {
			return m
		}
		hours := o.ServerHoursPerYear
		if hours <= 0 {
			hours = 8760
		}
		n := float64(m.Servers)
		m.Parts.Hardware = n * *o.Server.EUR / depMonths
		m.Parts.Energy = n * o.ServerWatts / 1000 * hours / 12 * p.Local.ElectricityEURPerKWh
		m.Parts.Admin = o.ServerAdminHours * p.AdminEURPerHour
		return m
	}
	sv := server(float64(p.Usage.Users))
	cl := ModelCost{Model: ModelCloud, Parts: r.Cloud}
	s := math.Min(math.Max(p.Hybrid.CloudShare, 0), 1)
	hy := server(float64(p.Usage.Users) * (1 - s))
	hy.Model = ModelHybrid
	hy.Parts.CloudUsage = s * r.Cloud.CloudUsage
	hy.Parts.CloudFixed = r.Cloud.CloudFixed
	hy.Parts.Admin += r.Cloud.Admin
	out := []ModelCost{wp, sv, cl, hy}
	for i := range out {
		b := &out[i].Parts
		b.Monthly = b.Hardware + b.Energy + b.Admin + b.CloudUsage + b.CloudFixed
		b.Horizon = b.Monthly * float64(r.HorizonMonths)
		out[i].Monthly = b.Monthly
		if len(out[i].Open) > 0 {
			out[i].Monthly = math.NaN()
		} else {
			v := b.Monthly
			out[i].MonthlyEUR = &v
		}
	}
	return out
}

// BreakEvenUsers is the smallest number of users at which models a and b
// swap places in price (they cost the same about there), or 0 when they
// do not in 1…maxUsers (or a model is open). Both are evaluated at every
// count up to 100, then in steps of 2 %, and a change of sign is narrowed
// down to the exact count by bisection: about 500 evaluations instead of
// maxUsers (the models are linear in the users between the steps of
// whole servers, so a crossing inside one 2 % step and back is not
// looked for).
func BreakEvenUsers(p Params, o Operating, a, b string, maxUsers int, now func(Params) Result) int {
	diff := func(users int) float64 {
		q := p
		q.Usage.Users = users
		ms := OperatingModels(q, o, now(q))
		var x, y float64
		for _, m := range ms {
			if m.Model == a {
				x = m.Monthly
			}
			if m.Model == b {
				y = m.Monthly
			}
		}
		return x - y
	}
	prevU, prev := 1, diff(1)
	if math.IsNaN(prev) {
		return 0
	}
	for u := 2; u <= maxUsers; {
		d := diff(u)
		if math.IsNaN(d) {
			return 0
		}
		if (prev < 0) != (d < 0) {
			lo, hi := prevU, u // sign(lo) = sign(prev), sign(hi) differs
			for hi-lo > 1 {
				mid := (lo + hi) / 2
				if (diff(mid) < 0) == (prev < 0) {
					lo = mid
				} else {
					hi = mid
				}
			}
			return hi
		}
		prevU, prev = u, d
		next := u + 1
		if u >= 100 {
			next = max(u+1, int(float64(u)*1.02))
		}
		if next > maxUsers && u < maxUsers {
			next = maxUsers
		}
		u = next
	}
	return 0
}

// OperatingChoice is the recommendation among the four models: the
// cheapest one that the criteria allow, with the reasons as message ids.
type OperatingChoice struct {
	Model   string     `json:"model"` // "" = no model has all its figures
	Reasons []i18n.Msg `json:"-"`
}

// RecommendOperating applies the existing criteria (personal data without
// an AVV and offline work rule out the cloud and the hybrid's cloud part;
// a latency limit the cloud misses rules it out) and then the price.
func RecommendOperating(p Params, ms []ModelCost) OperatingChoice {
	var c OperatingChoice
	allowed := map[string]bool{ModelWorkplace: true, ModelServer: true, ModelCloud: true, ModelHybrid: true}
	if p.Criteria.PersonalData && !p.Cloud.AVVAvailable {
		allowed[ModelCloud], allowed[ModelHybrid] = false, false
		c.Reasons = append(c.Reasons, i18n.Msg{ID: "operating.reason.personal_no_avv"})
	}
	if p.Criteria.NeedsOffline {
		allowed[ModelCloud], allowed[ModelHybrid] = false, false
		c.Reasons = append(c.Reasons, i18n.Msg{ID: "operating.reason.offline"})
	}
	if p.Criteria.MaxLatencyS > 0 && p.Criteria.CloudLatencyS > p.Criteria.MaxLatencyS {
		allowed[ModelCloud] = false
		c.Reasons = append(c.Reasons, i18n.Msg{ID: "operating.reason.cloud_latency"})
	}
	best := math.Inf(1)
	var open []string
	for _, m := range ms {
		if !allowed[m.Model] {
			continue
		}
		if math.IsNaN(m.Monthly) {
			open = append(open, m.Model)
			continue
		}
		if m.Monthly < best {
			best, c.Model = m.Monthly, m.Model
		}
	}
	if c.Model != "" {
		c.Reasons = append(c.Reasons, i18n.Msg{ID: "operating.reason.cheapest", Data: map[string]any{"Model": i18n.Msg{ID: "operating.model." + c.Model}}})
	}
	if len(open) > 0 {
		c.Reasons = append(c.Reasons, i18n.Msg{ID: "operating.reason.open", Data: map[string]any{"N": len(open)}})
	}
	return c
}
