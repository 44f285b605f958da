package aiact

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// The names of the Facts fields that questions set and test, as they
// appear in Answer.Set and Cond.Field (and in docs/aiact.md).
const (
	FieldPractice            = "practice"
	FieldArea                = "area"
	FieldPoint               = "point"
	FieldProfiling           = "profiling"
	FieldEffect              = "effect"
	FieldException           = "exception"
	FieldExceptionDocumented = "exception_documented"
	FieldInteractsWithPublic = "interacts_with_public"
	FieldPublishesText       = "publishes_text"
	FieldEditorialReview     = "editorial_review"
	FieldPersonalData        = "personal_data"
	FieldAffectsStaff        = "affects_staff"
	FieldLand                = "land" // not asked by the survey: a setting of the municipality
)

// Question is one plain-language survey question. A screen asks the
// questions in order, skips those whose When does not hold for the facts
// gathered so far, and applies the chosen Answer's Set.
type Question struct {
	ID   string   `json:"id"`
	Text i18n.Msg `json:"-"`
	Help i18n.Msg `json:"-"` // an example or explanation, in plain words
	// Field is the Facts field the question determines.
	Field   string   `json:"field"`
	When    []Cond   `json:"when,omitempty"` // all must hold
	Answers []Answer `json:"answers"`
}

// Answer is one choice; Set maps Facts fields to values (the ids of Area,
// Effect, …, or "true"/"false").
type Answer struct {
	ID   string            `json:"id"`
	Text i18n.Msg          `json:"-"`
	Set  map[string]string `json:"set"`
}

// Cond holds when the Facts field's value is (or, with Not, is not) one of
// Values.
type Cond struct {
	Field  string   `json:"field"`
	Not    bool     `json:"not,omitempty"`
	Values []string `json:"values"`
}

func yesNo(field string) []Answer {
	return []Answer{
		{ID: "ja", Text: i18n.Msg{ID: "aiact.answer.ja"}, Set: map[string]string{field: "true"}},
		{ID: "nein", Text: i18n.Msg{ID: "aiact.answer.nein"}, Set: map[string]string{field: "false"}},
	}
}

func choice(qid string, field string, ids ...string) []Answer {
	out := make([]Answer, len(ids))
	for i, id := range ids {
		v := id
		if v == "keine" {
			v = ""
		}
		out[i] = Answer{ID: id, Text: i18n.Msg{ID: "aiact.q." + qid + "." + id}, Set: map[string]string{field: v}}
	}
	return out
}

func question(id, field string, when []Cond, answers []Answer) Question {
	return Question{ID: id, Text: i18n.Msg{ID: "aiact.q." + id}, Help: i18n.Msg{ID: "aiact.q." + id + ".help"}, Field: field, When: when, Answers: answers}
}

// noPractice: once a prohibited practice is chosen, nothing else matters.
var noPractice = Cond{Field: FieldPractice, Values: []string{""}}

// Questions returns the survey in the order a screen asks it. Each call
// returns a fresh copy.
func Questions() []Question {
	practiceIDs := make([]string, 0, len(Practices)+1)
	for _, p := range Practices {
		practiceIDs = append(practiceIDs, string(p))
	}
	practiceIDs = append(practiceIDs, "keine")
	areaIDs := make([]string, 0, len(Areas))
	for _, a := range Areas[1:] {
		areaIDs = append(areaIDs, string(a))
	}
	areaIDs = append(areaIDs, string(AreaNone))

	qs := []Question{
		question("verbot", FieldPractice, nil, choice("verbot", FieldPractice, practiceIDs...)),
		question("bereich", FieldArea, []Cond{noPractice}, choice("bereich", FieldArea, areaIDs...)),
	}
	// One question per area with points: which point of Annex III.
	for _, a := range Areas[1:] {
		var pts []string
		for _, p := range Points {
			if p.Area() == a {
				pts = append(pts, string(p))
			}
		}
		if len(pts) == 0 {
			continue
		}
		id := "nummer_" + string(a)
		qs = append(qs, question(id, FieldPoint, []Cond{noPractice, {Field: FieldArea, Values: []string{string(a)}}}, choice(id, FieldPoint, pts...)))
	}
	inArea := Cond{Field: FieldArea, Not: true, Values: []string{string(AreaNone)}}
	qs = append(qs,
		question("profiling", FieldProfiling, []Cond{noPractice}, yesNo(FieldProfiling)),
		question("wirkung", FieldEffect, []Cond{noPractice}, choice("wirkung", FieldEffect, string(EffectPreparatory), string(EffectSuggestion), string(EffectDecision))),
		question("ausnahme", FieldException, []Cond{noPractice, inArea,
			{Field: FieldProfiling, Values: []string{"false"}},
			{Field: FieldEffect, Not: true, Values: []string{string(EffectDecision)}}},
			choice("ausnahme", FieldException, string(ExceptionNarrowTask), string(ExceptionImprovement), string(ExceptionPatterns), string(ExceptionPreparatory), "keine")),
		question("ausnahme_dokumentiert", FieldExceptionDocumented, []Cond{noPractice, inArea,
			{Field: FieldProfiling, Values: []string{"false"}},
			{Field: FieldEffect, Not: true, Values: []string{string(EffectDecision)}},
			{Field: FieldException, Not: true, Values: []string{""}}},
			yesNo(FieldExceptionDocumented)),
		question("buerger_dialog", FieldInteractsWithPublic, []Cond{noPractice}, yesNo(FieldInteractsWithPublic)),
		question("veroeffentlichung", FieldPublishesText, []Cond{noPractice}, yesNo(FieldPublishesText)),
		question("redaktion", FieldEditorialReview, []Cond{noPractice, {Field: FieldPublishesText, Values: []string{"true"}}}, yesNo(FieldEditorialReview)),
		question("personenbezug", FieldPersonalData, []Cond{noPractice}, yesNo(FieldPersonalData)),
		question("beschaeftigte", FieldAffectsStaff, []Cond{noPractice}, yesNo(FieldAffectsStaff)),
	)
	return qs
}

// Asked reports whether the question is to be asked, given the facts
// gathered so far.
func (q Question) Asked(f Facts) bool {
	for _, c := range q.When {
		v, _ := f.Get(c.Field)
		if slices.Contains(c.Values, v) == c.Not {
			return false
		}
	}
	return true
}

// Answer returns the answer with this id.
func (q Question) Answer(id string) (Answer, bool) {
	for _, a := range q.Answers {
		if a.ID == id {
			return a, true
		}
	}
	return Answer{}, false
}

// Apply returns f with the answer's values set.
func (a Answer) Apply(f Facts) (Facts, error) {
	// Fixed order, so an error names the same field every time.
	fields := make([]string, 0, len(a.Set))
	for k := range a.Set {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	for _, k := range fields {
		if err := f.Set(k, a.Set[k]); err != nil {
			return f, err
		}
	}
	return f, nil
}

// Answered applies the answers (question id → answer id) in survey order
// to f. Answers to questions that are not asked, given the earlier
// answers, are ignored, so changing an early answer does not keep facts
// from a branch no longer taken.
func Answered(f Facts, answers map[string]string) (Facts, error) {
	for _, q := range Questions() {
		aid, ok := answers[q.ID]
		if !ok || !q.Asked(f) {
			continue
		}
		a, ok := q.Answer(aid)
		if !ok {
			ids := make([]string, len(q.Answers))
			for i, x := range q.Answers {
				ids[i] = x.ID
			}
			return f, i18n.NewError("aiact.err.answer", "", map[string]any{"Question": q.ID, "Value": i18n.Escape(aid), "Valid": strings.Join(ids, ", ")}, nil)
		}
		var err error
		if f, err = a.Apply(f); err != nil {
			return f, i18n.NewError("aiact.err.question_detail", "", map[string]any{"Question": q.ID, "Detail": errMsg{err}}, err)
		}
	}
	for id := range answers {
		if !slices.ContainsFunc(Questions(), func(q Question) bool { return q.ID == id }) {
			return f, i18n.NewError("aiact.err.question", "", map[string]any{"Value": i18n.Escape(id)}, nil)
		}
	}
	return f, nil
}

// Get returns the value of a Facts field by its name (see the Field
// constants) as Answer.Set writes it.
func (f Facts) Get(field string) (string, error) {
	switch field {
	case FieldPractice:
		return string(f.Practice), nil
	case FieldArea:
		if f.Area == "" {
			return string(AreaNone), nil
		}
		return string(f.Area), nil
	case FieldPoint:
		return string(f.Point), nil
	case FieldEffect:
		return string(f.Effect), nil
	case FieldException:
		return string(f.Exception), nil
	case FieldLand:
		return string(f.Land), nil
	}
	if b := f.boolField(field); b != nil {
		return strconv.FormatBool(*b), nil
	}
	return "", fmt.Errorf("unknown field %q", field)
}

func (f *Facts) boolField(field string) *bool {
	switch field {
	case FieldProfiling:
		return &f.Profiling
	case FieldExceptionDocumented:
		return &f.ExceptionDocumented
	case FieldInteractsWithPublic:
		return &f.InteractsWithPublic
	case FieldPublishesText:
		return &f.PublishesText
	case FieldEditorialReview:
		return &f.EditorialReview
	case FieldPersonalData:
		return &f.PersonalData
	case FieldAffectsStaff:
		return &f.AffectsStaff
	}
	return nil
}

// Set sets a Facts field by its name from its id or "true"/"false".
func (f *Facts) Set(field, value string) error {
	var err error
	switch field {
	case FieldPractice:
		f.Practice, err = ParsePractice(value)
	case FieldArea:
		f.Area, err = ParseArea(value)
	case FieldPoint:
		f.Point, err = ParsePoint(value)
	case FieldEffect:
		f.Effect, err = ParseEffect(value)
	case FieldException:
		f.Exception, err = ParseException(value)
	case FieldLand:
		f.Land, err = ParseLand(value)
	default:
		b := f.boolField(field)
		if b == nil {
			return fmt.Errorf("unknown field %q", field)
		}
		*b, err = strconv.ParseBool(value)
	}
	if err != nil && field != FieldArea && field != FieldEffect && field != FieldPractice && field != FieldException && field != FieldLand && field != FieldPoint {
		return i18n.NewError("aiact.err.bool", "", map[string]any{"Field": field, "Value": i18n.Escape(value)}, err)
	}
	return err
}
