package cost

import (
	"math"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Options are the three ways of running AI that are compared.
const (
	OptionLocal  = "local"
	OptionCloud  = "cloud"
	OptionHybrid = "hybrid"
)

// Breakdown is one option's cost per month, in euro.
type Breakdown struct {
	Hardware   float64 `json:"hardware"`    // depreciation per month
	Energy     float64 `json:"energy"`      // electricity for the answers
	Admin      float64 `json:"admin"`       // IT staff time
	CloudUsage float64 `json:"cloud_usage"` // tokens bought
	CloudFixed float64 `json:"cloud_fixed"` // base fee
	Monthly    float64 `json:"monthly"`
	Horizon    float64 `json:"horizon"` // Monthly × horizon months
}

// Result is the model's output.
type Result struct {
	RequestsPerMonth  float64   `json:"requests_per_month"`
	HorizonMonths     int       `json:"horizon_months"`
	CloudPerRequest   float64   `json:"cloud_per_request_eur"`
	EnergyPerRequest  float64   `json:"local_energy_per_request_eur"`
	HardwareInvestEUR float64   `json:"hardware_invest_eur"`
	Local             Breakdown `json:"local"`
	Cloud             Breakdown `json:"cloud"`
	Hybrid            Breakdown `json:"hybrid"`
	// BreakEvenRequestsPerMonth is the volume above which local is cheaper
	// than cloud; nil when one option is cheaper at every volume.
	BreakEvenRequestsPerMonth *float64 `json:"break_even_requests_per_month"`
	BreakEvenUsers            *float64 `json:"break_even_users"` // at this usage per person
	// LocalCheaperAboveBreakEven is true when local is the cheaper option
	// above the break-even volume (cloud tokens cost more than local
	// power), false when the cloud is cheaper above it.
	LocalCheaperAboveBreakEven bool `json:"local_cheaper_above_break_even"`
	// LocalUtilisation is the share of working hours one local machine is
	// busy answering (1 = fully busy; above 1 it cannot keep up).
	LocalUtilisation float64        `json:"local_utilisation"`
	Recommendation   Recommendation `json:"recommendation"`
	PriceDate        string         `json:"price_date"`
}

// Recommendation is the advice with its reasons in plain language: German
// from Compute, another language through Localize.
type Recommendation struct {
	Option  string   `json:"option"` // local, cloud or hybrid
	Title   string   `json:"title"`
	Reasons []string `json:"reasons"`
	// title and reasons are the message ids behind Title and Reasons.
	title   i18n.Msg
	reasons []i18n.Msg
}

// Compute runs the model. now is used only to say how old the cloud price
// is.
func Compute(p Params, now time.Time) Result {
	u := p.Usage
	r := Result{HorizonMonths: p.HorizonMonths, PriceDate: p.Cloud.PriceDate}
	if r.HorizonMonths <= 0 {
		r.HorizonMonths = 36
	}
	h := float64(r.HorizonMonths)

	// Requests per month = users × requests per user per day × working days.
	r.RequestsPerMonth = float64(u.Users) * u.RequestsPerUserPerDay * u.WorkingDaysPerMonth
	// Cloud cost of one request = (tokens in × input price + tokens out ×
	// output price) / 1,000,000.
	r.CloudPerRequest = (u.TokensInPerRequest*p.Cloud.PriceInputPerMillion + u.TokensOutPerRequest*p.Cloud.PriceOutputPerMillion) / 1e6
	// Local energy of one request = watts × seconds / 3,600,000 (→ kWh) × price.
	r.EnergyPerRequest = p.Local.PowerWatts * p.Local.SecondsPerRequest / 3.6e6 * p.Local.ElectricityEURPerKWh
	r.HardwareInvestEUR = p.Local.HardwareInvestEUR()

	hwMonthly := 0.0
	if p.Local.DepreciationYears > 0 {
		hwMonthly = r.HardwareInvestEUR / (p.Local.DepreciationYears * 12)
	}
	localAdmin := p.Local.AdminHoursPerMonth * p.AdminEURPerHour
	cloudAdmin := p.Cloud.AdminHoursPerMonth * p.AdminEURPerHour

	r.Local = Breakdown{Hardware: hwMonthly, Energy: r.RequestsPerMonth * r.EnergyPerRequest, Admin: localAdmin}
	r.Cloud = Breakdown{Admin: cloudAdmin, CloudUsage: r.RequestsPerMonth * r.CloudPerRequest, CloudFixed: p.Cloud.FixedPerMonth}
	s := p.Hybrid.CloudShare
	r.Hybrid = Breakdown{Hardware: hwMonthly, Energy: (1 - s) * r.RequestsPerMonth * r.EnergyPerRequest, Admin: localAdmin + cloudAdmin,
		CloudUsage: s * r.RequestsPerMonth * r.CloudPerRequest, CloudFixed: p.Cloud.FixedPerMonth}
	for _, b := range []*Breakdown{&r.Local, &r.Cloud, &r.Hybrid} {
		b.Monthly = b.Hardware + b.Energy + b.Admin + b.CloudUsage + b.CloudFixed
		b.Horizon = b.Monthly * h
	}

	// Break-even: fixed_local + e·R = fixed_cloud + c·R  ⇒  R = (fixed_local − fixed_cloud) / (c − e).
	// With c > e local gets cheaper above R; with c < e the cloud does. A
	// negative R or c = e means one option is cheaper at every volume.
	fixedLocal := hwMonthly + localAdmin
	fixedCloud := p.Cloud.FixedPerMonth + cloudAdmin
	if c, e := r.CloudPerRequest, r.EnergyPerRequest; c != e {
		if be := (fixedLocal - fixedCloud) / (c - e); be > 0 {
			r.BreakEvenRequestsPerMonth = &be
			r.LocalCheaperAboveBreakEven = c > e
			if perUser := u.RequestsPerUserPerDay * u.WorkingDaysPerMonth; perUser > 0 {
				users := be / perUser
				r.BreakEvenUsers = &users
			}
		}
	}
	if hours := u.WorkingDaysPerMonth * u.HoursPerWorkingDay; hours > 0 {
		r.LocalUtilisation = r.RequestsPerMonth * p.Local.SecondsPerRequest / 3600 / hours
	}
	r.Recommendation = recommend(p, r, now)
	return r
}

// recommend weighs money against the criteria that decide in public
// administration. Order of precedence: the law (personal data without an
// AVV stay in-house), then availability without internet, then capacity
// and latency, then money. The texts are message ids (assets/lang,
// "cost.reason.*"), rendered in German here and again by Localize.
func recommend(p Params, r Result, now time.Time) Recommendation {
	var reasons []i18n.Msg
	reason := func(id string, data map[string]any) {
		reasons = append(reasons, i18n.Msg{ID: "cost.reason." + id, Data: data})
	}
	cheapest := OptionLocal
	for _, o := range []struct {
		name string
		b    Breakdown
	}{{OptionCloud, r.Cloud}, {OptionHybrid, r.Hybrid}} {
		if o.b.Monthly < costOf(r, cheapest).Monthly {
			cheapest = o.name
		}
	}
	reason("monthly", map[string]any{"Local": euroAmount(r.Local.Monthly), "Cloud": euroAmount(r.Cloud.Monthly), "Hybrid": euroAmount(r.Hybrid.Monthly),
		"Months": r.HorizonMonths, "LocalTotal": euroAmount(r.Local.Horizon), "CloudTotal": euroAmount(r.Cloud.Horizon), "HybridTotal": euroAmount(r.Hybrid.Horizon)})
	switch {
	case r.BreakEvenRequestsPerMonth != nil:
		data := map[string]any{"Requests": count(*r.BreakEvenRequestsPerMonth), "Expected": count(r.RequestsPerMonth)}
		id := "break_even_local"
		if !r.LocalCheaperAboveBreakEven {
			id = "break_even_cloud"
		}
		if r.BreakEvenUsers != nil {
			id += "_users"
			data["Users"] = count(math.Ceil(*r.BreakEvenUsers))
		}
		reason(id, data)
	case r.Cloud.Monthly < r.Local.Monthly:
		reason("cloud_always_cheaper", nil)
	default:
		reason("local_always_cheaper", nil)
	}

	cloudBlocked := p.Criteria.PersonalData && !p.Cloud.AVVAvailable
	needLocal := cloudBlocked || p.Criteria.NeedsOffline
	if cloudBlocked {
		reason("personal_no_avv", nil)
	} else if p.Criteria.PersonalData {
		reason("personal_avv", nil)
	} else {
		reason("no_personal", nil)
	}
	if p.Criteria.NeedsOffline {
		reason("offline", nil)
	}
	overloaded := r.LocalUtilisation > 1
	if overloaded {
		reason("overloaded", map[string]any{"Share": percent(r.LocalUtilisation)})
	} else if r.LocalUtilisation > 0 {
		reason("utilisation", map[string]any{"Share": percent(r.LocalUtilisation)})
	}
	localSlow, cloudSlow := false, false
	if c := p.Criteria; c.MaxLatencyS > 0 {
		localSlow = c.LocalLatencyS > c.MaxLatencyS
		cloudSlow = c.CloudLatencyS > c.MaxLatencyS
		if c.LocalLatencyS > 0 || c.CloudLatencyS > 0 {
			reason("latency_max", map[string]any{"Local": decimal(c.LocalLatencyS), "Cloud": decimal(c.CloudLatencyS), "Max": decimal(c.MaxLatencyS)})
		}
	} else if c := p.Criteria; c.LocalLatencyS > 0 && c.CloudLatencyS > 0 {
		reason("latency", map[string]any{"Local": decimal(c.LocalLatencyS), "Cloud": decimal(c.CloudLatencyS)})
	}

	option := cheapest
	switch {
	case needLocal && overloaded:
		option = OptionHybrid
	case needLocal:
		option = OptionLocal
		if cheapest != OptionLocal {
			reason("cloud_cheaper_but", nil)
		}
	case overloaded && cheapest == OptionLocal:
		option = OptionHybrid
	case localSlow && !cloudSlow && option == OptionLocal:
		option = OptionHybrid
		reason("local_slow", nil)
	case cloudSlow && !localSlow && option == OptionCloud:
		option = OptionLocal
		reason("cloud_slow", nil)
	}
	if p.Cloud.PriceDate != "" {
		if d, err := time.Parse("2006-01-02", p.Cloud.PriceDate); err == nil && now.Sub(d) > 180*24*time.Hour {
			reason("price_old", map[string]any{"Date": day(d)})
		} else if err == nil {
			reason("price", map[string]any{"In": euroAmount(p.Cloud.PriceInputPerMillion), "Out": euroAmount(p.Cloud.PriceOutputPerMillion), "Date": day(d)})
		}
	}
	rec := Recommendation{Option: option, title: i18n.Msg{ID: "cost.title." + option}, reasons: reasons}
	return rec.Localize(i18n.Default)
}

// Localize returns the recommendation with title and reasons in lang
// ("de", "en"). One read back from JSON has no message ids and is
// returned as it is.
func (r Recommendation) Localize(lang string) Recommendation {
	if r.title.ID == "" {
		return r
	}
	r.Title = r.title.Text(lang)
	r.Reasons = make([]string, len(r.reasons))
	for i, m := range r.reasons {
		r.Reasons[i] = m.Text(lang)
	}
	return r
}

// Localize returns the result with its recommendation in lang.
func (r Result) Localize(lang string) Result {
	r.Recommendation = r.Recommendation.Localize(lang)
	return r
}

func costOf(r Result, option string) Breakdown {
	switch option {
	case OptionCloud:
		return r.Cloud
	case OptionHybrid:
		return r.Hybrid
	}
	return r.Local
}

// The values of the texts, each written the way its language writes it.
type (
	euroAmount float64   // 1.234,56 € (German), €1,234.56 (English)
	euroFine   float64   // a small amount per request, five decimals
	count      float64   // a rounded count: 1.920 / 1,920
	decimal    float64   // one decimal: 2,5 / 2.5
	percent    float64   // a share (1 = 100 %): 21 % / 21%
	day        time.Time // 01.11.2026 / 2026-11-01
)

func (v euroAmount) Text(lang string) string { return money(lang, float64(v), 2) }
func (v euroFine) Text(lang string) string   { return money(lang, float64(v), 5) }
func (v count) Text(lang string) string      { return i18n.Grouped(lang, math.Round(float64(v)), 0) }
func (v decimal) Text(lang string) string    { return i18n.Grouped(lang, float64(v), 1) }
func (v percent) Text(lang string) string {
	if lang == "en" {
		return i18n.Grouped(lang, float64(v)*100, 0) + "%"
	}
	return i18n.Grouped(lang, float64(v)*100, 0) + " %"
}
func (v day) Text(lang string) string {
	if lang == "en" {
		return time.Time(v).Format("2006-01-02")
	}
	return time.Time(v).Format("02.01.2006")
}

func money(lang string, v float64, decimals int) string {
	if lang == "en" {
		if v < 0 {
			return "-€" + i18n.Grouped(lang, -v, decimals)
		}
		return "€" + i18n.Grouped(lang, v, decimals)
	}
	return i18n.Grouped(lang, v, decimals) + " €"
}
