package strategy

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/store"
)

// Inputs are the municipality's data, gathered by the caller with the
// same functions the app's own commands use.
type Inputs struct {
	Kommune string
	Policy  *policy.Policy
	// Fleet is the Sammelstelle's overview (kicheck fleet --db FILE);
	// nil: PC is this PC's fit verdict instead (nil when none is stored).
	Fleet       *collect.Fleet
	FleetSource string
	PC          *fit.StoredVerdict
	// Cost is the cost comparison as `kicheck cost` computes it.
	Cost       *cost.Result
	CostParams cost.Params
	CostSource string
	// Qualification is per role from the quiz sessions (Qualify).
	Qualification Qualification
	// Hotspots is the scored portfolio (kicheck hotspot score); nil: no
	// process survey yet.
	Hotspots *hotspot.Portfolio
	TopN     int // hotspots shown, default 5
	Now      time.Time
	Creator  string
}

// Figure is one figure of the strategy with its source in the app.
type Figure struct {
	ID     string  `json:"id"`
	Value  float64 `json:"value"`
	Text   string  `json:"text"`   // as printed
	Source string  `json:"source"` // the command that shows the same figure
}

// Qualification is the qualification plan's data: per staff role the
// participants, how many hold the KI-Pass, and the modules their learning
// paths recommend most.
type Qualification struct {
	Roles  []RoleCount `json:"roles"`
	Source string      `json:"source"`
}

// RoleCount is one staff role.
type RoleCount struct {
	Role         string         `json:"role"`
	Participants int            `json:"participants"` // distinct pseudonyms with a finished attempt
	Pass         int            `json:"ki_pass"`      // of those, with a complete KI-Pass for every tool
	Modules      []ModuleDemand `json:"modules"`      // recommended by their learning paths, most first
	PassModules  []string       `json:"ki_pass_modules"`
}

// ModuleDemand is how many participants' paths recommend a module.
type ModuleDemand struct {
	Module string `json:"module"`
	Title  string `json:"title"`
	People int    `json:"people"`
}

// Qualify counts, per staff role, the quiz participants (their newest
// finished attempt decides the role), their KI-Pass under p and the
// modules their learning paths recommend.
func Qualify(ctx context.Context, db *store.DB, c *learning.Content, p *policy.Policy) (Qualification, error) {
	q := Qualification{Source: "kicheck quiz session list / kicheck quiz result NAME"}
	ss, err := quizsession.List(ctx, db)
	if err != nil {
		return q, err
	}
	type person struct {
		role     string
		finished time.Time
		results  []policy.QuizResult
		modules  map[string]string
	}
	people := map[string]*person{}
	for _, sum := range ss {
		s, err := quizsession.Get(ctx, db, sum.ID)
		if err != nil {
			return q, err
		}
		as, err := quizsession.Attempts(ctx, db, sum.ID)
		if err != nil {
			return q, err
		}
		for i := range as {
			a := &as[i]
			if a.Finished.IsZero() || a.MaxScore <= 0 {
				continue
			}
			pp := people[a.Pseudonym]
			if pp == nil {
				pp = &person{modules: map[string]string{}}
				people[a.Pseudonym] = pp
			}
			if a.Finished.After(pp.finished) {
				pp.finished, pp.role = a.Finished, string(a.Role)
				if pp.role == "" {
					pp.role = policy.StaffRoles[0]
				}
			}
			pp.results = append(pp.results, policy.QuizResult{Quiz: s.BundleID, Percent: 100 * a.Score / a.MaxScore})
			if c != nil {
				if r, err := quizsession.ResultOf(s, a, c); err == nil && r.Evaluation != nil {
					for _, rec := range r.Evaluation.Recommendations {
						pp.modules[rec.Module.ID] = rec.Module.Title
					}
				}
			}
		}
	}
	for _, role := range policy.StaffRoles {
		rc := RoleCount{Role: role}
		demand := map[string]*ModuleDemand{}
		for _, pp := range people {
			if pp.role != role {
				continue
			}
			rc.Participants++
			if passAll(p, role, pp.results) {
				rc.Pass++
			}
			for id, title := range pp.modules {
				if demand[id] == nil {
					demand[id] = &ModuleDemand{Module: id, Title: title}
				}
				demand[id].People++
			}
		}
		for _, d := range demand {
			rc.Modules = append(rc.Modules, *d)
		}
		sort.Slice(rc.Modules, func(i, j int) bool {
			if rc.Modules[i].People != rc.Modules[j].People {
				return rc.Modules[i].People > rc.Modules[j].People
			}
			return rc.Modules[i].Module < rc.Modules[j].Module
		})
		for _, t := range p.Tools {
			st, _ := p.Pass(role, t.ID, nil)
			for _, m := range st.Training {
				if !slices.Contains(rc.PassModules, m) {
					rc.PassModules = append(rc.PassModules, m)
				}
			}
		}
		q.Roles = append(q.Roles, rc)
	}
	return q, nil
}

func passAll(p *policy.Policy, role string, results []policy.QuizResult) bool {
	for _, t := range p.Tools {
		st, err := p.Pass(role, t.ID, results)
		if err != nil || !st.Ready {
			return false
		}
	}
	return true
}

// Build writes the strategy: the figures with their sources and the
// document in lang (the municipality's name and the policy's texts as
// given).
func Build(in Inputs, lang string) ([]Figure, *document.Document) {
	t := func(id string, data ...any) string { return i18n.T(lang, "strategy."+id, data...) }
	// level is a verdict's word: fit's label, the one for every view.
	level := func(id string) string {
		switch v := fit.Verdict(id); v {
		case fit.Ready, fit.Limited, fit.NotReady:
			return v.Label(lang)
		}
		return t("level.unknown")
	}
	if in.TopN <= 0 {
		in.TopN = 5
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	kommune := strings.TrimSpace(in.Kommune)
	if kommune == "" && in.Policy != nil {
		kommune = in.Policy.Kommune
	}
	if kommune == "" {
		kommune = "[" + i18n.T(lang, "common.municipality_to_fill") + "]"
	}
	var figs []Figure
	add := func(id string, v float64, text, source string) Figure {
		f := Figure{ID: id, Value: v, Text: text, Source: source}
		figs = append(figs, f)
		return f
	}
	num := func(v float64, prec int) string { return i18n.Grouped(lang, v, prec) }
	eur := func(v float64) string { return num(v, 0) + " €" }

	d := document.New(document.Meta{
		Title:    t("title", map[string]any{"Kommune": policy.Printable(kommune)}),
		Subtitle: t("subtitle"),
		Language: map[string]string{"de": "de-DE", "en": "en-GB"}[lang],
		Version:  in.Now.Format("2006-01-02"),
		Date:     in.Now,
		Creator:  in.Creator,
		Subject:  t("subject"),
		Labels: document.DocLabels(i18n.T(lang, "policy.doc.label.contents"), i18n.T(lang, "policy.doc.label.version"),
			i18n.T(lang, "policy.doc.label.stand"), i18n.T(lang, "policy.doc.label.page")).
			WithAccessible(i18n.T(lang, "document.a11y_note_title"), i18n.T(lang, "document.a11y_note")),
		Keywords: []string{"KI", "Strategie", "KI-Reise"},
	})
	d.TOC = true
	d.P(t("intro"))
	d.Small(t("sources_note"))

	// 1. Ziele.
	d.H(1, "1. "+t("goals"))
	d.L(t("goal1"), t("goal2"), t("goal3"), t("goal4"))
	d.Small(t("goals_own"))

	// 2. Hotspots.
	d.H(1, "2. "+t("hotspots"))
	if in.Hotspots == nil || len(in.Hotspots.Hotspots) == 0 {
		d.P(t("no_survey"))
	} else {
		hs := in.Hotspots.Hotspots
		n := min(in.TopN, len(hs))
		var rows [][]string
		var sumH float64
		for _, h := range hs[:n] {
			sumH += h.Hours
			rows = append(rows, []string{fmt.Sprint(h.Rank), policy.Printable(h.Process.Name), policy.Printable(h.Process.Unit), num(h.Hours, 0), num(h.Feasibility, 0), legalLabel(h)})
			add("hotspot."+h.Process.ID+".hours", h.Hours, num(h.Hours, 0), "kicheck hotspot score")
		}
		add("hotspots.top_hours", sumH, num(sumH, 0), "kicheck hotspot score")
		add("hotspots.count", float64(len(hs)), num(float64(len(hs)), 0), "kicheck hotspot list")
		d.P(t("hotspots_text", map[string]any{"N": n, "Total": len(hs), "Hours": num(sumH, 0)}))
		d.T([]string{t("col.rank"), t("col.process"), t("col.unit"), t("col.hours"), t("col.feasibility"), t("col.legal")}, rows)
		d.Small(t("source", map[string]any{"Source": "kicheck hotspot score"}))
	}

	// 3. Infrastruktur.
	d.H(1, "3. "+t("infrastructure"))
	d.H(2, "3.1 "+t("readiness"))
	if f := in.Fleet; f != nil {
		total := f.Overall.Total()
		var rows [][]string
		for _, l := range []struct {
			id string
			n  int
		}{{"ready", f.Overall.Ready}, {"limited", f.Overall.Limited}, {"not_ready", f.Overall.NotReady}, {"unknown", f.Overall.Unknown}} {
			share := 0.0
			if total > 0 {
				share = 100 * float64(l.n) / float64(total)
			}
			add("fleet."+l.id, float64(l.n), num(float64(l.n), 0), "kicheck fleet --db "+in.FleetSource)
			rows = append(rows, []string{level(l.id), num(float64(l.n), 0), num(share, 0) + " %"})
		}
		add("fleet.devices", float64(f.Devices), num(float64(f.Devices), 0), "kicheck fleet --db "+in.FleetSource)
		d.P(t("fleet_text", map[string]any{"Devices": num(float64(f.Devices), 0)}))
		d.T([]string{t("col.level"), t("col.devices"), t("col.share")}, rows)
		if f.Upgrade.Best != nil {
			d.P(t("upgrade", map[string]any{"GB": f.Upgrade.Best.RAMGB, "Devices": f.Upgrade.Best.Devices}))
			add("fleet.upgrade_devices", float64(f.Upgrade.Best.Devices), num(float64(f.Upgrade.Best.Devices), 0), "kicheck fleet --db "+in.FleetSource)
		}
		d.Small(t("source", map[string]any{"Source": "kicheck fleet --db " + in.FleetSource}))
	} else if in.PC != nil {
		add("pc.verdict", 0, string(in.PC.Verdict), "kicheck models / kicheck cost (verdict_from fit)")
		d.P(t("pc_text", map[string]any{"Verdict": level(string(in.PC.Verdict)), "Date": in.PC.ProbeStarted.Format("02.01.2006")}))
		d.Small(t("source", map[string]any{"Source": "kicheck models (" + t("pc_only") + ")"}))
	} else {
		d.P(t("no_readiness"))
	}
	d.H(2, "3.2 "+t("cost"))
	if c := in.Cost; c != nil {
		src := "kicheck cost"
		add("cost.local_horizon", c.Local.Horizon, eur(c.Local.Horizon), src)
		add("cost.cloud_horizon", c.Cloud.Horizon, eur(c.Cloud.Horizon), src)
		add("cost.hybrid_horizon", c.Hybrid.Horizon, eur(c.Hybrid.Horizon), src)
		add("cost.requests_per_month", c.RequestsPerMonth, num(c.RequestsPerMonth, 0), src)
		d.P(t("cost_text", map[string]any{"Users": in.CostParams.Usage.Users, "Requests": num(c.RequestsPerMonth, 0), "Months": c.HorizonMonths, "PriceDate": c.PriceDate}))
		d.T([]string{t("col.option"), t("col.monthly"), t("col.horizon", map[string]any{"Months": c.HorizonMonths})}, [][]string{
			{t("option.local"), eur(c.Local.Monthly), eur(c.Local.Horizon)},
			{t("option.cloud"), eur(c.Cloud.Monthly), eur(c.Cloud.Horizon)},
			{t("option.hybrid"), eur(c.Hybrid.Monthly), eur(c.Hybrid.Horizon)},
		})
		d.P(c.Recommendation.Title)
		if len(c.Recommendation.Reasons) > 0 {
			d.L(c.Recommendation.Reasons...)
		}
		d.Small(t("source", map[string]any{"Source": src + " (" + in.CostSource + ")"}))
	}
	if in.Policy != nil {
		dec, _, _ := in.Policy.Cell(cloudClass(in.Policy), dataclass.Personal)
		d.P(t("policy_cloud", map[string]any{"Decision": policy.DecisionLabel(lang, dec), "Policy": in.Policy.ID, "Version": in.Policy.Version}))
	}

	// 4. Qualifizierung.
	d.H(1, "4. "+t("qualification"))
	var rows [][]string
	var people, pass int
	for _, r := range in.Qualification.Roles {
		people += r.Participants
		pass += r.Pass
		var mods []string
		for _, m := range r.Modules[:min(3, len(r.Modules))] {
			mods = append(mods, fmt.Sprintf("%s (%d)", m.Module, m.People))
		}
		add("quiz."+r.Role+".participants", float64(r.Participants), num(float64(r.Participants), 0), in.Qualification.Source)
		add("quiz."+r.Role+".ki_pass", float64(r.Pass), num(float64(r.Pass), 0), "kicheck policy check --role "+r.Role+" --participant NAME")
		rows = append(rows, []string{policy.StaffRoleLabel(lang, r.Role), num(float64(r.Participants), 0), num(float64(r.Pass), 0), strings.Join(r.PassModules, ", "), strings.Join(mods, ", ")})
	}
	add("quiz.participants", float64(people), num(float64(people), 0), in.Qualification.Source)
	d.P(t("qualification_text", map[string]any{"People": people, "Pass": pass}))
	d.T([]string{t("col.role"), t("col.participants"), t("col.pass"), t("col.pass_modules"), t("col.path_modules")}, rows)
	d.Small(t("source", map[string]any{"Source": in.Qualification.Source}))

	// 5. Governance.
	d.H(1, "5. "+t("governance"))
	if p := in.Policy; p != nil {
		d.P(t("governance_text", map[string]any{"ID": policy.Printable(p.ID), "Version": policy.Printable(p.Version), "Stand": p.Stand}))
		var roles []string
		for _, r := range p.Roles {
			roles = append(roles, policy.Printable(r.Name))
		}
		d.L(roles...)
		var steps []string
		for _, s := range p.Approval {
			steps = append(steps, policy.Printable(s.Name))
		}
		d.P(t("approval", map[string]any{"Steps": strings.Join(steps, " → ")}))
		d.Small(t("source", map[string]any{"Source": "kicheck policy show"}))
	}

	// 6. Zeitplan.
	d.H(1, "6. "+t("timeline"))
	d.T([]string{t("col.when"), t("col.what")}, [][]string{
		{"02.02.2025", t("tl.art4")},
		{"02.08.2026", t("tl.art50")},
		{"02.12.2026", t("tl.art5new")},
		{t("tl.own"), t("tl.policy")},
		{t("tl.own"), t("tl.pass")},
		{t("tl.own"), t("tl.trial")},
		{"02.12.2027", t("tl.annex3")},
	})
	d.Small(t("tl.stand"))
	return figs, d
}

// cloudClass is the tool class of the policy's cloud service.
func cloudClass(p *policy.Policy) string {
	if t, ok := p.CloudTool(""); ok {
		return t.Class()
	}
	return policy.ClassCloudNone
}

// legalLabel is the hotspot's AI Act class as the portfolio names it
// (after Localize), else its id.
func legalLabel(h hotspot.Hotspot) string {
	if h.Legal.ClassLabel != "" {
		return policy.Printable(h.Legal.ClassLabel)
	}
	return string(h.Legal.Result.Class)
}
