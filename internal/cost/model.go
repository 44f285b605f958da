package cost

import (
	"fmt"
	"math"
	"strings"
	"time"
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

// Recommendation is the advice with its reasons in plain German.
type Recommendation struct {
	Option  string   `json:"option"` // local, cloud or hybrid
	Title   string   `json:"title"`
	Reasons []string `json:"reasons"`
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
// and latency, then money.
func recommend(p Params, r Result, now time.Time) Recommendation {
	var reasons []string
	cheapest := OptionLocal
	for _, o := range []struct {
		name string
		b    Breakdown
	}{{OptionCloud, r.Cloud}, {OptionHybrid, r.Hybrid}} {
		if o.b.Monthly < costOf(r, cheapest).Monthly {
			cheapest = o.name
		}
	}
	reasons = append(reasons, fmt.Sprintf("Kosten pro Monat: lokal %s, Cloud %s, hybrid %s (über %d Monate: lokal %s, Cloud %s, hybrid %s).",
		euro(r.Local.Monthly), euro(r.Cloud.Monthly), euro(r.Hybrid.Monthly), r.HorizonMonths,
		euro(r.Local.Horizon), euro(r.Cloud.Horizon), euro(r.Hybrid.Horizon)))
	switch {
	case r.BreakEvenRequestsPerMonth != nil:
		cheaper := "der eigene Betrieb günstiger als die Cloud"
		if !r.LocalCheaperAboveBreakEven {
			cheaper = "die Cloud günstiger als der eigene Betrieb"
		}
		s := fmt.Sprintf("Ab etwa %s Anfragen im Monat ist %s", number(*r.BreakEvenRequestsPerMonth), cheaper)
		if r.BreakEvenUsers != nil {
			s += fmt.Sprintf(" (bei gleicher Nutzung etwa %s Beschäftigte)", number(math.Ceil(*r.BreakEvenUsers)))
		}
		reasons = append(reasons, s+fmt.Sprintf("; erwartet sind %s.", number(r.RequestsPerMonth)))
	case r.Cloud.Monthly < r.Local.Monthly:
		reasons = append(reasons, "Die Cloud ist bei jeder Nutzungsmenge günstiger als der eigene Betrieb (eine Anfrage kostet dort nicht mehr als der Strom für eine lokale Antwort, und die festen Kosten sind niedriger).")
	default:
		reasons = append(reasons, "Der eigene Betrieb ist bei jeder Nutzungsmenge günstiger als die Cloud.")
	}

	cloudBlocked := p.Criteria.PersonalData && !p.Cloud.AVVAvailable
	needLocal := cloudBlocked || p.Criteria.NeedsOffline
	if cloudBlocked {
		reasons = append(reasons, "Datenschutz: Es werden personenbezogene Daten verarbeitet, und mit dem Cloud-Anbieter besteht kein Auftragsverarbeitungsvertrag (AVV, Art. 28 DSGVO). Solche Daten dürfen nicht in die Cloud; die Cloud kommt höchstens für Aufgaben ohne Personenbezug in Frage.")
	} else if p.Criteria.PersonalData {
		reasons = append(reasons, "Datenschutz: Ein Auftragsverarbeitungsvertrag (AVV, Art. 28 DSGVO) liegt vor; prüfen Sie trotzdem Serverstandort (EU) und Unterauftragnehmer.")
	} else {
		reasons = append(reasons, "Datenschutz: Laut Angabe werden keine personenbezogenen Daten verarbeitet.")
	}
	if p.Criteria.NeedsOffline {
		reasons = append(reasons, "Verfügbarkeit: Die Arbeit muss auch ohne Internet weitergehen; das leistet nur ein lokales Modell.")
	}
	overloaded := r.LocalUtilisation > 1
	if overloaded {
		reasons = append(reasons, fmt.Sprintf("Kapazität: Ein lokaler Rechner wäre zu %s der Arbeitszeit ausgelastet und käme nicht hinterher; es braucht mehr Hardware oder einen Cloud-Anteil.", percent(r.LocalUtilisation)))
	} else if r.LocalUtilisation > 0 {
		reasons = append(reasons, fmt.Sprintf("Kapazität: Ein lokaler Rechner wäre zu %s der Arbeitszeit mit Antworten beschäftigt.", percent(r.LocalUtilisation)))
	}
	localSlow, cloudSlow := false, false
	if c := p.Criteria; c.MaxLatencyS > 0 {
		localSlow = c.LocalLatencyS > c.MaxLatencyS
		cloudSlow = c.CloudLatencyS > c.MaxLatencyS
		if c.LocalLatencyS > 0 || c.CloudLatencyS > 0 {
			reasons = append(reasons, fmt.Sprintf("Antwortzeit (gemessen, Median): lokal %s s, Cloud %s s; vertretbar sind bis %s s.",
				decimal(c.LocalLatencyS), decimal(c.CloudLatencyS), decimal(c.MaxLatencyS)))
		}
	} else if c := p.Criteria; c.LocalLatencyS > 0 && c.CloudLatencyS > 0 {
		reasons = append(reasons, fmt.Sprintf("Antwortzeit (gemessen, Median): lokal %s s, Cloud %s s.", decimal(c.LocalLatencyS), decimal(c.CloudLatencyS)))
	}

	option := cheapest
	switch {
	case needLocal && overloaded:
		option = OptionHybrid
	case needLocal:
		option = OptionLocal
		if cheapest != OptionLocal {
			reasons = append(reasons, "Die Cloud wäre günstiger, aber Datenschutz bzw. Verfügbarkeit gehen vor.")
		}
	case overloaded && cheapest == OptionLocal:
		option = OptionHybrid
	case localSlow && !cloudSlow && option == OptionLocal:
		option = OptionHybrid
		reasons = append(reasons, "Lokal sind die Antworten zu langsam; eilige Aufgaben sollten in die Cloud.")
	case cloudSlow && !localSlow && option == OptionCloud:
		option = OptionLocal
		reasons = append(reasons, "Die Cloud antwortet zu langsam; der lokale Betrieb ist schneller.")
	}
	if p.Cloud.PriceDate != "" {
		if d, err := time.Parse("2006-01-02", p.Cloud.PriceDate); err == nil && now.Sub(d) > 180*24*time.Hour {
			reasons = append(reasons, fmt.Sprintf("Achtung: Der Cloud-Preis stammt vom %s und ist älter als sechs Monate; bitte aktuellen Preis eintragen.", d.Format("02.01.2006")))
		} else if err == nil {
			reasons = append(reasons, fmt.Sprintf("Cloud-Preis %s je 1 Mio. Eingabe-Tokens und %s je 1 Mio. Ausgabe-Tokens, Stand %s.",
				euro(p.Cloud.PriceInputPerMillion), euro(p.Cloud.PriceOutputPerMillion), d.Format("02.01.2006")))
		}
	}
	titles := map[string]string{
		OptionLocal:  "Empfehlung: lokal betreiben",
		OptionCloud:  "Empfehlung: Cloud nutzen",
		OptionHybrid: "Empfehlung: hybrid – lokal für personenbezogene Daten, Cloud für den Rest",
	}
	return Recommendation{Option: option, Title: titles[option], Reasons: reasons}
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

// euro formats an amount the German way: 1.234,56 €.
func euro(v float64) string { return germanNumber(v, 2) + " €" }

func number(v float64) string  { return germanNumber(math.Round(v), 0) }
func decimal(v float64) string { return germanNumber(v, 1) }
func percent(v float64) string { return germanNumber(v*100, 0) + " %" }

func germanNumber(v float64, decimals int) string {
	s := fmt.Sprintf("%.*f", decimals, v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "," + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
