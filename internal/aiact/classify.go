package aiact

import (
	"fmt"

	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Citations, as German lawyers write them. Ref.ArticleIn renders them in
// English.
const (
	lawAIA       = "KI-VO"
	lawGDPR      = "DSGVO"
	citeAnnexIII = "Anhang III"
)

func msg(id string, kv ...any) i18n.Msg {
	m := i18n.Msg{ID: id}
	if len(kv) > 0 {
		m.Data = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m.Data[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

// Classify applies the decision procedure (docs/aiact.md) to one use of AI:
//
//  1. a prohibited practice of Art. 5(1) → verboten;
//  2. an Annex III area → hochrisiko (Art. 6(2)), unless an Art. 6(3)
//     exception holds; never when the system profiles persons, and not
//     when its output is the decision itself (then it influences the
//     outcome materially, which Art. 6(3) excludes);
//  3. otherwise a duty of Art. 50 → transparenz; else minimal.
//
// Then the duties that follow: Art. 26, 14, 27, 49 for high-risk systems;
// Art. 6(4) and 49(2) when relying on an exception; Art. 50; Art. 4; the
// DSGVO (Art. 35, 22, 28); § 35a VwVfG when the output is the decision;
// the staff council when staff are affected. Unknown values in f are
// noted and ignored (Facts.Validate reports them).
func Classify(f Facts) Result {
	r := Result{Stand: Stand}
	f = r.clean(f)

	if f.Practice != PracticeNone {
		return prohibited(f, r)
	}

	highRisk := false
	if f.Area != AreaNone {
		highRisk = r.annexIII(f)
	}

	// Art. 50, whatever the class.
	transparency := false
	if f.InteractsWithPublic {
		transparency = true
		r.Basis = append(r.Basis, Ref{"art50_1", "Art. 50 Abs. 1 " + lawAIA, msg("aiact.ref.art50_1")})
		r.Duties = append(r.Duties, Duty{"art50_1", "Art. 50 Abs. 1 " + lawAIA, msg("aiact.duty.art50_1"), DateArt50})
		r.Notes = append(r.Notes, msg("aiact.note.provider_own_name"))
	}
	if f.PublishesText {
		if f.EditorialReview {
			r.Notes = append(r.Notes, msg("aiact.note.art50_4_reviewed"))
		} else {
			transparency = true
			r.Basis = append(r.Basis, Ref{"art50_4", "Art. 50 Abs. 4 " + lawAIA, msg("aiact.ref.art50_4")})
			r.Duties = append(r.Duties, Duty{"art50_4", "Art. 50 Abs. 4 " + lawAIA, msg("aiact.duty.art50_4"), DateArt50})
		}
	}
	if f.Point == Point1Categorisation || f.Point == Point1Emotion {
		transparency = true
		r.Basis = append(r.Basis, Ref{"art50_3", "Art. 50 Abs. 3 " + lawAIA, msg("aiact.ref.art50_3")})
		r.Duties = append(r.Duties, Duty{"art50_3", "Art. 50 Abs. 3 " + lawAIA, msg("aiact.duty.art50_3"), DateArt50})
	}

	switch {
	case highRisk:
		r.Class, r.Since = HighRisk, DateAnnexIII
		r.highRiskDuties(f)
	case transparency:
		r.Class, r.Since = Transparency, DateArt50
		r.Notes = append(r.Notes, msg("aiact.note.since", "Date", DateArt50))
	default:
		r.Class = Minimal
		if f.Area == AreaNone {
			r.Basis = append(r.Basis, Ref{"minimal", "Art. 5, 6, 50 " + lawAIA, msg("aiact.ref.minimal")})
		}
	}

	r.Duties = append(r.Duties, Duty{"art4", "Art. 4 " + lawAIA, msg("aiact.duty.art4"), DateArt5})
	r.germanLaw(f)
	return r
}

// clean notes unknown values and drops them, so the rest of the procedure
// sees only known ids.
func (r *Result) clean(f Facts) Facts {
	if f.Area == "" {
		f.Area = AreaNone
	}
	if f.Area.Number() == 0 && f.Area != AreaNone {
		r.Notes = append(r.Notes, msg("aiact.note.invalid", "Field", "bereich", "Value", string(f.Area)))
		f.Area = AreaNone
	}
	if f.Effect != "" && !known(f.Effect, Effects) {
		r.Notes = append(r.Notes, msg("aiact.note.invalid", "Field", "wirkung", "Value", string(f.Effect)))
		f.Effect = ""
	}
	if _, ok := practiceTable[f.Practice]; !ok && f.Practice != PracticeNone {
		// An unknown practice id must not pass as "none": ask again.
		r.Notes = append(r.Notes, msg("aiact.note.invalid", "Field", "verbot", "Value", string(f.Practice)))
		f.Practice = PracticeNone
	}
	if f.Exception != ExceptionNone && f.Exception.Letter() == "" {
		r.Notes = append(r.Notes, msg("aiact.note.invalid", "Field", "ausnahme", "Value", string(f.Exception)))
		f.Exception = ExceptionNone
	}
	if f.Point != "" {
		if info, ok := f.Point.info(); !ok || info.area != f.Area {
			r.Notes = append(r.Notes, msg("aiact.note.invalid", "Field", "anhang_iii_nummer", "Value", string(f.Point)))
			f.Point = ""
		}
	}
	if f.Land != "" && !known(f.Land, Lands) {
		r.Notes = append(r.Notes, msg("aiact.note.invalid", "Field", "land", "Value", string(f.Land)))
		f.Land = ""
	}
	if f.DataClass != "" && !known(f.DataClass, dataclass.All) {
		r.Notes = append(r.Notes, msg("aiact.note.invalid", "Field", "datenklasse", "Value", string(f.DataClass)))
		f.DataClass = ""
	}
	return f
}

func prohibited(f Facts, r Result) Result {
	p := practiceTable[f.Practice]
	art := fmt.Sprintf("Art. 5 Abs. 1 Buchst. %s %s", p.letter, lawAIA)
	r.Class, r.Since = Prohibited, p.from
	r.Basis = []Ref{{"art5_" + p.letter, art, f.Practice.Label()}}
	r.Duties = []Duty{{"art5", art, msg("aiact.duty.art5"), p.from}}
	if p.limit != "" {
		r.Notes = append(r.Notes, msg(p.limit))
	}
	if p.from == DateArt5Omnibus {
		r.Notes = append(r.Notes, msg("aiact.note.art5_omnibus", "Date", p.from))
	} else {
		r.Notes = append(r.Notes, msg("aiact.note.art5_since", "Date", p.from))
	}
	r.Notes = append(r.Notes, msg("aiact.note.art99"))
	return r
}

// annexRef is the basis for the area (and point, if known).
func annexRef(a Area, p Point) Ref {
	n := a.Number()
	if p == "" {
		return Ref{fmt.Sprintf("anhang3_%d", n), fmt.Sprintf("Art. 6 Abs. 2 i. V. m. %s Nr. %d %s", citeAnnexIII, n, lawAIA), msg("aiact.area." + string(a) + ".desc")}
	}
	info, _ := p.info()
	if info.letter == "" {
		return Ref{"anhang3_" + string(p), fmt.Sprintf("Art. 6 Abs. 2 i. V. m. %s Nr. %d %s", citeAnnexIII, n, lawAIA), p.Label()}
	}
	return Ref{"anhang3_" + string(p), fmt.Sprintf("Art. 6 Abs. 2 i. V. m. %s Nr. %d Buchst. %s %s", citeAnnexIII, n, info.letter, lawAIA), p.Label()}
}

// annexIII decides a use in an Annex III area; it reports whether the
// system is high-risk.
func (r *Result) annexIII(f Facts) bool {
	r.Basis = append(r.Basis, annexRef(f.Area, f.Point))
	if f.Point == "" && f.Area.hasPoints() {
		r.Notes = append(r.Notes, msg("aiact.note.point_missing"))
	}
	switch {
	case f.Profiling:
		r.Basis = append(r.Basis, Ref{"art6_3_profiling", "Art. 6 Abs. 3 " + lawAIA, msg("aiact.ref.art6_3_profiling")})
		if f.Exception != ExceptionNone {
			r.Notes = append(r.Notes, msg("aiact.note.exception_profiling", "Exception", f.Exception.Label()))
		}
		return true
	case f.Exception != ExceptionNone && f.Effect == EffectDecision:
		r.Notes = append(r.Notes, msg("aiact.note.exception_decision", "Exception", f.Exception.Label()))
		return true
	case f.Exception != ExceptionNone:
		art := fmt.Sprintf("Art. 6 Abs. 3 Buchst. %s %s", f.Exception.Letter(), lawAIA)
		r.Basis = append(r.Basis, Ref{"art6_3_" + f.Exception.Letter(), art, f.Exception.Label()})
		if !f.ExceptionDocumented {
			r.Notes = append(r.Notes, msg("aiact.note.exception_undocumented"))
		}
		r.Duties = append(r.Duties,
			Duty{"art6_4", "Art. 6 Abs. 4 " + lawAIA, msg("aiact.duty.art6_4", "Done", f.ExceptionDocumented), ""},
			Duty{"art49_2", "Art. 49 Abs. 2 " + lawAIA, msg("aiact.duty.art49_2"), ""})
		r.Notes = append(r.Notes, msg("aiact.note.exception_provider"), msg("aiact.note.exception_conditions"))
		if f.Effect == EffectSuggestion {
			r.Notes = append(r.Notes, msg("aiact.note.exception_suggestion"))
		}
		if f.Effect == "" {
			r.Notes = append(r.Notes, msg("aiact.note.effect_missing"))
		}
		return false
	default:
		r.Notes = append(r.Notes, msg("aiact.note.no_exception"))
		return true
	}
}

func (r *Result) highRiskDuties(f Facts) {
	const d = DateAnnexIII
	r.Duties = append(r.Duties,
		Duty{"art26_instructions", "Art. 26 " + lawAIA, msg("aiact.duty.art26_instructions"), d},
		Duty{"art26_oversight", "Art. 26, Art. 14 " + lawAIA, msg("aiact.duty.art26_oversight"), d},
		Duty{"art26_input", "Art. 26 Abs. 4 " + lawAIA, msg("aiact.duty.art26_input"), d},
		Duty{"art26_monitoring", "Art. 26 " + lawAIA, msg("aiact.duty.art26_monitoring"), d},
		Duty{"art26_workers", "Art. 26 " + lawAIA, msg("aiact.duty.art26_workers", "Staff", f.AffectsStaff || f.Area == AreaEmployment), d},
		Duty{"art26_inform", "Art. 26 " + lawAIA, msg("aiact.duty.art26_inform"), d},
		Duty{"art49", "Art. 49 " + lawAIA, msg("aiact.duty.art49"), d},
	)
	if f.Area != AreaInfrastructure {
		r.Duties = append(r.Duties, Duty{"art27", "Art. 27 " + lawAIA, msg("aiact.duty.art27"), d})
	} else {
		r.Notes = append(r.Notes, msg("aiact.note.art27_area2"))
	}
	if f.Effect == EffectDecision {
		r.Notes = append(r.Notes, msg("aiact.note.oversight_decision"))
	}
	r.Notes = append(r.Notes, msg("aiact.note.annex3_date", "Date", DateAnnexIII), msg("aiact.note.art25"))
}

// germanLaw adds the DSGVO, § 35a VwVfG and staff-council parts.
func (r *Result) germanLaw(f Facts) {
	// Profiling evaluates persons, so it always processes their data.
	personal := f.personal() || f.Profiling
	switch {
	case f.Profiling:
		r.Duties = append(r.Duties, Duty{"dsfa_profiling", "Art. 35 " + lawGDPR, msg("aiact.duty.dsfa_profiling"), ""})
	case f.DataClass == dataclass.SpecialCat:
		r.Duties = append(r.Duties, Duty{"dsfa_art9", "Art. 35 " + lawGDPR, msg("aiact.duty.dsfa_art9"), ""})
	case personal:
		r.Notes = append(r.Notes, msg("aiact.note.dsfa_check"))
	}
	if f.DataClass == dataclass.SocialData {
		r.Notes = append(r.Notes, msg("aiact.note.sozialdaten"))
	}
	if personal {
		r.Notes = append(r.Notes, msg("aiact.note.avv"))
	}
	switch f.Effect {
	case EffectDecision:
		if personal {
			r.Duties = append(r.Duties, Duty{"art22", "Art. 22 " + lawGDPR, msg("aiact.duty.art22"), ""})
		}
		if art, why := vwvfgProvision(f.Land); why == "" {
			r.Duties = append(r.Duties, Duty{"vwvfg35a", art, msg("aiact.duty.vwvfg35a"), ""})
		} else {
			r.Duties = append(r.Duties, Duty{"vwvfg35a", art, msg("aiact.duty.vwvfg35a_land", "Why", msg(why)), ""})
		}
		r.Notes = append(r.Notes, msg("aiact.note.effect_decision"))
	case EffectSuggestion:
		r.Notes = append(r.Notes, msg("aiact.note.automation_bias"))
	case "":
		if !r.HasNote("aiact.note.effect_missing") {
			r.Notes = append(r.Notes, msg("aiact.note.effect_missing"))
		}
	}
	if f.AffectsStaff {
		r.Duties = append(r.Duties, Duty{"personalrat", "Personalvertretungsgesetz des Landes (Vorschrift von der Kommune einzutragen)", msg("aiact.duty.personalrat"), ""})
	}
}
