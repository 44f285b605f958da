package hotspot

import (
	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Legal is a process's class under the AI Act and German law, decided by
// internal/aiact from the survey's columns, with the automation level
// (wirkung).
type Legal struct {
	Facts  aiact.Facts  `json:"-"`
	Result aiact.Result `json:"-"`
	// Rendered by Localize: the aiact result in one language and the
	// automation level.
	aiact.Local
	Automation string `json:"automation,omitempty"`
}

// LegalStand is the date of the legal reference the classes rest on.
func LegalStand() string { return aiact.Stand }

// Facts are the legal facts the survey row states.
func (p Process) Facts() aiact.Facts {
	c := dataclass.Class(p.DataClass)
	return aiact.Facts{
		Area: aiact.Area(p.Area), Profiling: p.Profiling, Effect: aiact.Effect(p.Effect),
		Exception: aiact.Exception(p.Exception), ExceptionDocumented: p.ExceptionDocumented,
		InteractsWithPublic: p.PublicContact, PublishesText: p.PublishesText, Practice: aiact.Practice(p.Practice),
		PersonalData: c.PersonalData(), AffectsStaff: p.AffectsStaff || p.Area == string(aiact.AreaEmployment),
		Point: aiact.Point(p.Point), EditorialReview: p.EditorialReview, DataClass: c,
	}
}

// Classify decides the process's legal class (aiact.Classify).
func Classify(p Process) Legal { return ClassifyIn(p, "") }

// ClassifyIn is Classify for a municipality in Land (so § 35a VwVfG names
// the Land's provision); "" leaves the provision to the municipality.
func ClassifyIn(p Process, land aiact.Land) Legal {
	f := p.Facts()
	f.Land = land
	return Legal{Facts: f, Result: aiact.Classify(f)}
}

// Prohibited: an Art. 5 practice.
func (l Legal) Prohibited() bool { return l.Result.Class == aiact.Prohibited }

// HighRisk: Art. 6(2) with Annex III.
func (l Legal) HighRisk() bool { return l.Result.Class == aiact.HighRisk }

// NextSteps are the legal to-dos for the Steckbrief: the class's main
// step; the duties themselves are listed with the class.
func (l Legal) NextSteps() []i18n.Msg {
	var out []i18n.Msg
	switch l.Result.Class {
	case aiact.Prohibited:
		out = append(out, msg("next.legal.verboten"))
		return out
	case aiact.HighRisk:
		out = append(out, msg("next.legal.hochrisiko", "Date", l.Result.Since))
	case aiact.Transparency:
		out = append(out, msg("next.legal.transparenz"))
	}
	if l.Facts.Exception != aiact.ExceptionNone && !l.Facts.ExceptionDocumented && !l.HighRisk() {
		out = append(out, msg("next.legal.document_exception"))
	}
	if l.Result.HasDuty("vwvfg35a") {
		out = append(out, msg("next.legal.vwvfg35a"))
	}
	if l.Result.HasDuty("personalrat") {
		out = append(out, msg("next.legal.personalrat"))
	}
	return out
}

// Localize renders the class, basis, duties and notes in lang.
func (l *Legal) Localize(lang string) {
	l.Local = l.Result.Localize(lang)
	if l.Facts.Effect != "" {
		l.Automation = l.Facts.Effect.Label().Text(lang)
	}
}
