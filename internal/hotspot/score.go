package hotspot

import (
	"math"

	"github.com/ki-reise/kicheck/internal/aiact"
	"sort"
	"time"

	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Params are the municipality's figures the scoring needs, from the cost
// parameters (bundles/cost, docs/cost.md).
type Params struct {
	// StaffEURPerHour is the staff-cost rate per hour (cost parameter
	// staff_eur_per_hour); nil: "von der Kommune einzutragen", and no €
	// figure is given.
	StaffEURPerHour *float64 `json:"staff_eur_per_hour"`
	// RateSource names the file the rate came from.
	RateSource string `json:"rate_source,omitempty"`
	// AVV: a processing contract (Art. 28 DSGVO) with the cloud provider
	// exists (cost parameter cloud.avv_available).
	AVV bool `json:"avv_available"`
	// Land is the municipality's federal state (aiact.Lands, e.g. "ST"):
	// the § 35a VwVfG duty then names the Land's provision.
	Land aiact.Land `json:"land,omitempty"`
}

// UseCaseReadiness is the fit verdict of one use case on this PC and the
// model it recommends.
type UseCaseReadiness struct {
	Verdict fit.Verdict `json:"verdict"`
	Model   string      `json:"model,omitempty"`
}

// Readiness is what was measured: on this PC (the fit verdict per use
// case) and, in the Sammelstelle, the share of each unit's PCs that are
// ready. Both may be empty (not measured).
type Readiness struct {
	UseCases map[string]UseCaseReadiness `json:"usecases,omitempty"`
	// Measured is when the probe behind UseCases ran.
	Measured time.Time `json:"measured,omitempty"`
	// UnitReadyShare: organisational unit → share (0..1) of its PCs whose
	// verdict is ready (from the Sammelstelle's fleet).
	UnitReadyShare map[string]float64 `json:"unit_ready_share,omitempty"`
}

// ReadinessFrom takes the verdicts of fit.AssessUseCase (as `kicheck
// models` computes them) for the use cases of the task types.
func ReadinessFrom(as []fit.Assessment, measured time.Time) Readiness {
	r := Readiness{UseCases: map[string]UseCaseReadiness{}, Measured: measured}
	for _, a := range as {
		r.UseCases[a.UseCase.ID] = UseCaseReadiness{Verdict: a.Verdict, Model: a.Best}
	}
	return r
}

// Inputs is everything Score needs besides the processes.
type Inputs struct {
	Catalogue *Catalogue
	Params    Params
	Readiness Readiness
}

// Weights of the parts of Umsetzbarkeit (they add up to 1) and the
// feasibility that counts as high. They are the KI-Reise's assumptions,
// documented in docs/hotspots.md.
const (
	WeightDigital        = 0.2
	WeightQuality        = 0.2
	WeightPlace          = 0.2
	WeightReadiness      = 0.4
	FeasibilityThreshold = 50.0
)

// Quadrants of the portfolio, in the order of the ranking.
const (
	QuickWin  = "schnell_umsetzen"
	Strategic = "strategisch"
	Examine   = "pruefen"
	Postpone  = "zurueckstellen"
)

// Quadrants lists them in ranking order.
var Quadrants = []string{QuickWin, Strategic, Examine, Postpone}

// Places where a model may run.
const (
	PlacePC     = "arbeitsplatz"
	PlaceServer = "server"
	PlaceCloud  = "cloud"
)

// Part is one part of Umsetzbarkeit: its weight, its value (0..1) and
// what it rests on.
type Part struct {
	ID     string   `json:"id"` // digital, quality, place, readiness
	Weight float64  `json:"weight"`
	Value  float64  `json:"value"`
	Known  bool     `json:"known"` // false: not asked or not measured (the value is the stated default)
	Basis  i18n.Msg `json:"-"`
	Text   string   `json:"basis,omitempty"`
}

// Place is where the AI for a process may run, and why.
type Place struct {
	ID      string      `json:"id"`
	Allowed bool        `json:"allowed"`
	Verdict fit.Verdict `json:"verdict,omitempty"` // measured readiness there ("" = not measured)
	Reason  i18n.Msg    `json:"-"`
	Text    string      `json:"reason,omitempty"`
}

// Hotspot is one scored process.
type Hotspot struct {
	Process Process  `json:"process"`
	Task    TaskType `json:"task"`
	// Nutzen.
	Hours float64  `json:"hours_per_year"`
	EUR   *float64 `json:"eur_per_year"` // nil without a staff-cost rate
	// Umsetzbarkeit, 0..100.
	Feasibility float64 `json:"feasibility"`
	Parts       []Part  `json:"feasibility_parts"`
	Places      []Place `json:"places"`
	Model       string  `json:"recommended_model,omitempty"`
	// Recht.
	Legal Legal `json:"legal"`
	// Portfolio.
	Quadrant string     `json:"quadrant"`
	Rank     int        `json:"rank"`
	Trace    []i18n.Msg `json:"-"`
	Next     []i18n.Msg `json:"-"`
	// Rendered by Localize.
	TraceText    []string `json:"trace,omitempty"`
	NextText     []string `json:"next_steps,omitempty"`
	QuadrantText string   `json:"quadrant_label,omitempty"`
}

// Portfolio is every scored process, ranked.
type Portfolio struct {
	Hotspots []Hotspot `json:"hotspots"`
	// BenefitThreshold: hours at or above which the benefit counts as high
	// (the median of the portfolio's hours).
	BenefitThreshold     float64   `json:"benefit_threshold_hours"`
	FeasibilityThreshold float64   `json:"feasibility_threshold"`
	Params               Params    `json:"params"`
	Readiness            Readiness `json:"readiness"`
	LegalStand           string    `json:"legal_stand"`
}

// Get returns the hotspot of a process id.
func (p *Portfolio) Get(id string) (*Hotspot, bool) {
	for i := range p.Hotspots {
		if p.Hotspots[i].Process.ID == id {
			return &p.Hotspots[i], true
		}
	}
	return nil, false
}

// Hours is the benefit in hours per year: cases × minutes × text share ×
// the task type's saving, ÷ 60.
func Hours(p Process, t TaskType) float64 {
	return float64(p.CasesPerYear) * p.MinutesPerCase * (p.TextSharePercent / 100) * (t.SavingPercent / 100) / 60
}

// CloudAllowed says whether a data class may go to a cloud service:
// public data always; intern, personal, special-category and social data
// only with a processing contract (AVV, Art. 28 DSGVO); VS-NfD never
// (it stays on the municipality's own systems).
func CloudAllowed(c dataclass.Class, avv bool) bool {
	switch c {
	case dataclass.Public:
		return true
	case dataclass.Classified:
		return false
	}
	return avv
}

func verdictValue(v fit.Verdict) float64 {
	switch v {
	case fit.Ready:
		return 1
	case fit.Limited:
		return 0.5
	}
	return 0
}

func levelValue(s string, good, mid string) (float64, bool) {
	switch s {
	case good:
		return 1, true
	case mid:
		return 0.5, true
	case "":
		return 0.5, false
	}
	return 0, true
}

// Score scores every process and ranks them. A process whose task type is
// unknown (a task type removed from the bundle since the import) is
// scored with no saving and says so.
func Score(ps []Process, in Inputs) Portfolio {
	pf := Portfolio{Params: in.Params, Readiness: in.Readiness, FeasibilityThreshold: FeasibilityThreshold, LegalStand: LegalStand()}
	for _, p := range ps {
		pf.Hotspots = append(pf.Hotspots, scoreOne(p, in))
	}
	hours := make([]float64, 0, len(pf.Hotspots))
	for _, h := range pf.Hotspots {
		hours = append(hours, h.Hours)
	}
	pf.BenefitThreshold = median(hours)
	for i := range pf.Hotspots {
		h := &pf.Hotspots[i]
		h.Quadrant = quadrant(h.Hours >= pf.BenefitThreshold && h.Hours > 0, h.Feasibility >= FeasibilityThreshold, h.Legal)
		h.Trace = append(h.Trace, msg("trace.quadrant", "Hours", dec1(h.Hours), "Threshold", dec1(pf.BenefitThreshold),
			"Feasibility", dec0(h.Feasibility), "FThreshold", dec0(FeasibilityThreshold), "Quadrant", msg("quadrant."+h.Quadrant)))
	}
	order := map[string]int{}
	for i, q := range Quadrants {
		order[q] = i
	}
	sort.SliceStable(pf.Hotspots, func(i, j int) bool {
		a, b := pf.Hotspots[i], pf.Hotspots[j]
		if order[a.Quadrant] != order[b.Quadrant] {
			return order[a.Quadrant] < order[b.Quadrant]
		}
		if a.Hours != b.Hours {
			return a.Hours > b.Hours
		}
		return a.Process.ID < b.Process.ID
	})
	for i := range pf.Hotspots {
		pf.Hotspots[i].Rank = i + 1
	}
	return pf
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64{}, xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// quadrant places a hotspot; the legal class can move it: a prohibited
// use is always Zurückstellen, a high-risk one is never "schnell".
func quadrant(benefit, feasible bool, l Legal) string {
	if l.Prohibited() {
		return Postpone
	}
	q := Postpone
	switch {
	case benefit && feasible:
		q = QuickWin
	case benefit:
		q = Strategic
	case feasible:
		q = Examine
	}
	if q == QuickWin && l.HighRisk() {
		q = Strategic
	}
	return q
}

type dec1 float64

func (d dec1) Text(lang string) string { return i18n.Grouped(lang, float64(d), 1) }

type dec0 float64

func (d dec0) Text(lang string) string { return i18n.Grouped(lang, float64(d), 0) }

type pct float64

func (d pct) Text(lang string) string { return i18n.Grouped(lang, float64(d), -1) + " %" }

func scoreOne(p Process, in Inputs) Hotspot {
	h := Hotspot{Process: p}
	t, ok := in.Catalogue.TaskType(p.Task)
	if !ok {
		t = TaskType{ID: p.Task, Name: p.Task, SavingSource: "–"}
		h.Next = append(h.Next, msg("next.unknown_task", "Task", p.Task))
	}
	h.Task = t
	// Nutzen.
	h.Hours = Hours(p, t)
	h.Trace = append(h.Trace, msg("trace.hours", "Cases", i18n.Int(p.CasesPerYear), "Minutes", dec(p.MinutesPerCase),
		"Share", pct(p.TextSharePercent), "Saving", pct(t.SavingPercent), "Hours", dec1(h.Hours), "Source", savingSource(t)))
	if r := in.Params.StaffEURPerHour; r != nil {
		eur := h.Hours * *r
		h.EUR = &eur
		h.Trace = append(h.Trace, msg("trace.eur", "Hours", dec1(h.Hours), "Rate", dec(*r), "EUR", dec0(eur), "Source", in.Params.RateSource))
	} else {
		h.Trace = append(h.Trace, msg("trace.eur_missing"))
		h.Next = append(h.Next, msg("next.rate"))
	}
	// Umsetzbarkeit.
	dv, dk := levelValue(p.DigitalInput, "ja", "teilweise")
	qv, qk := levelValue(p.DataQuality, "gut", "mittel")
	h.Parts = append(h.Parts,
		Part{ID: "digital", Weight: WeightDigital, Value: dv, Known: dk, Basis: partBasis("digital", p.DigitalInput, dk)},
		Part{ID: "quality", Weight: WeightQuality, Value: qv, Known: qk, Basis: partBasis("quality", p.DataQuality, qk)})
	if !dk || !qk {
		h.Next = append(h.Next, msg("next.ask_input"))
	}
	cls := dataclass.Class(p.DataClass)
	cloud := CloudAllowed(cls, in.Params.AVV)
	uc, measured := in.Readiness.UseCases[t.UseCase]
	pcPlace := Place{ID: PlacePC, Allowed: true}
	if measured {
		pcPlace.Verdict = uc.Verdict
		pcPlace.Reason = msg("place.pc_measured", "Verdict", i18n.Msg{ID: "fit.verdict." + string(uc.Verdict)}, "UseCase", t.UseCase)
		h.Model = uc.Model
		if uc.Verdict == fit.NotReady {
			h.Next = append(h.Next, msg("next.not_ready", "UseCase", t.UseCase))
		}
	} else {
		pcPlace.Reason = msg("place.pc_unmeasured")
	}
	cloudPlace := Place{ID: PlaceCloud, Allowed: cloud}
	switch {
	case cls == dataclass.Classified:
		cloudPlace.Reason = msg("place.cloud_vsnfd")
	case cloud && cls == dataclass.Public:
		cloudPlace.Reason = msg("place.cloud_public")
	case cloud:
		cloudPlace.Reason = msg("place.cloud_avv")
	default:
		cloudPlace.Reason = msg("place.cloud_no_avv", "Class", cls.Label())
		h.Next = append(h.Next, msg("next.avv"))
	}
	h.Places = []Place{pcPlace, {ID: PlaceServer, Allowed: true, Reason: msg("place.server_reason")}, cloudPlace}
	placeV := 0.5
	if cloud {
		placeV = 1
	}
	h.Parts = append(h.Parts, Part{ID: "place", Weight: WeightPlace, Value: placeV, Known: true,
		Basis: msg("part.place." + map[bool]string{true: "cloud", false: "local"}[cloud])})
	// Measured readiness: the mean of what is known.
	var vals []float64
	var basis []any
	if measured {
		vals = append(vals, verdictValue(uc.Verdict))
		basis = append(basis, msg("part.readiness.pc", "Verdict", i18n.Msg{ID: "fit.verdict." + string(uc.Verdict)}, "Value", dec(verdictValue(uc.Verdict))))
	}
	if share, ok := in.Readiness.UnitReadyShare[p.Unit]; ok {
		vals = append(vals, share)
		basis = append(basis, msg("part.readiness.unit", "Share", pct(math.Round(share*1000)/10)))
	}
	if p.PassRate != nil {
		vals = append(vals, *p.PassRate)
		basis = append(basis, msg("part.readiness.pass", "Rate", pct(math.Round(*p.PassRate*1000)/10)))
	} else {
		h.Next = append(h.Next, msg("next.trial", "ID", p.ID))
	}
	rp := Part{ID: "readiness", Weight: WeightReadiness}
	if len(vals) > 0 {
		sum := 0.0
		for _, v := range vals {
			sum += v
		}
		rp.Value, rp.Known = sum/float64(len(vals)), true
		rp.Basis = joinMsgs(basis)
	} else {
		rp.Basis = msg("part.readiness.none")
		h.Next = append(h.Next, msg("next.measure"))
	}
	h.Parts = append(h.Parts, rp)
	for _, pt := range h.Parts {
		h.Feasibility += 100 * pt.Weight * pt.Value
	}
	h.Trace = append(h.Trace, msg("trace.feasibility", "D", dec(h.Parts[0].Value), "Q", dec(h.Parts[1].Value),
		"P", dec(h.Parts[2].Value), "R", dec2(h.Parts[3].Value), "Result", dec1(h.Feasibility)))
	// Recht.
	h.Legal = ClassifyIn(p, in.Params.Land)
	h.Next = append(h.Next, h.Legal.NextSteps()...)
	return h
}

// savingSource renders the task type's source in the message's language.
type savingSource TaskType

func (s savingSource) Text(lang string) string { return TaskType(s).Source(lang) }

type dec float64

func (d dec) Text(lang string) string { return i18n.Grouped(lang, float64(d), -1) }

type dec2 float64

func (d dec2) Text(lang string) string { return i18n.Grouped(lang, math.Round(float64(d)*100)/100, -1) }

func partBasis(id, v string, known bool) i18n.Msg {
	if !known {
		return msg("part." + id + ".unknown")
	}
	return msg("part." + id + "." + v)
}

// msgList renders a list of messages joined with "; ".
type msgList []i18n.Msg

func (l msgList) Text(lang string) string {
	s := ""
	for i, m := range l {
		if i > 0 {
			s += "; "
		}
		s += m.Text(lang)
	}
	return s
}

func joinMsgs(ms []any) i18n.Msg {
	var l msgList
	for _, m := range ms {
		l = append(l, m.(i18n.Msg))
	}
	return msg("list", "Items", l)
}

// Localize renders the texts of every hotspot in lang (for JSON).
func (p *Portfolio) Localize(lang string) {
	for i := range p.Hotspots {
		h := &p.Hotspots[i]
		h.TraceText = i18n.Texts(h.Trace, lang)
		h.NextText = i18n.Texts(h.Next, lang)
		h.QuadrantText = msg("quadrant." + h.Quadrant).Text(lang)
		for j := range h.Parts {
			h.Parts[j].Text = h.Parts[j].Basis.Text(lang)
		}
		for j := range h.Places {
			h.Places[j].Text = h.Places[j].Reason.Text(lang)
		}
		h.Legal.Localize(lang)
	}
}
