package quiz

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Type is a question type. The names are those of the YAML bundle format
// and of `kicheck quiz import --json`.
type Type string

const (
	Single      Type = "single"      // one choice; the chosen answer's fraction counts
	Multi       Type = "multi"       // several choices; fractions add up, clamped to 0..1
	TrueFalse   Type = "truefalse"   // answers "true" and "false"
	Short       Type = "short"       // typed text compared with accepted answers
	Numerical   Type = "numerical"   // a number within value±tolerance or min..max
	Matching    Type = "matching"    // pairs of sub-question and answer
	Essay       Type = "essay"       // free text, collected, not scored
	Description Type = "description" // text only, no answer
	SelfRating  Type = "selfrating"  // Likert statement ("Ich kann …"), not a knowledge item
)

// Types lists every question type in a stable order.
var Types = []Type{Single, Multi, TrueFalse, Short, Numerical, Matching, Essay, Description, SelfRating}

// Scored reports whether responses to the type get a fraction. Essays,
// descriptions and self-ratings are collected but not scored.
func (t Type) Scored() bool {
	switch t {
	case Essay, Description, SelfRating:
		return false
	}
	return true
}

// TextFormat says how a question's texts are to be rendered.
type TextFormat string

const (
	Markdown TextFormat = "markdown"
	HTML     TextFormat = "html"
	Plain    TextFormat = "plain"
	Moodle   TextFormat = "moodle" // Moodle's auto-format: plain text with line breaks and links
)

// TextFormats lists the accepted formats.
var TextFormats = []TextFormat{Markdown, HTML, Plain, Moodle}

// Level is a DigComp 2.2 proficiency level as used by the competency
// framework.
type Level string

const (
	Grundlage         Level = "grundlage"
	Mittel            Level = "mittel"
	Fortgeschritten   Level = "fortgeschritten"
	Hochspezialisiert Level = "hochspezialisiert"
)

// Levels lists the levels from lowest to highest.
var Levels = []Level{Grundlage, Mittel, Fortgeschritten, Hochspezialisiert}

// Role is a role profile of the competency framework.
type Role string

const (
	Anwender           Role = "anwender"
	Fachverantwortlich Role = "fachverantwortlich"
	Fuehrungskraft     Role = "fuehrungskraft"
	IT                 Role = "it"
)

// Roles lists the role profiles.
var Roles = []Role{Anwender, Fachverantwortlich, Fuehrungskraft, IT}

// Answer is one answer of a single, multi, truefalse or short question.
// Fraction is the share of the question's mark it earns, -1..1 (Moodle
// stores it as a percentage).
//
// Format and FeedbackFormat are the text formats of the answer and its
// feedback when they differ from the question's (Moodle's GIFT accepts a
// [html], [moodle], [plain] or [markdown] marker before each part); empty
// means the question's format.
type Answer struct {
	Text           string     `json:"text" yaml:"text"`
	Format         TextFormat `json:"format,omitempty" yaml:"format,omitempty"`
	Fraction       float64    `json:"fraction" yaml:"fraction"`
	Feedback       string     `json:"feedback,omitempty" yaml:"feedback,omitempty"`
	FeedbackFormat TextFormat `json:"feedback_format,omitempty" yaml:"feedback_format,omitempty"`
}

// Pair is one sub-question of a matching question. A pair with an empty
// Question only adds its Answer as an extra (wrong) choice, as in Moodle.
// Format is the sub-question's text format when it differs from the
// question's; the answer side is plain text, as in Moodle.
type Pair struct {
	Question string     `json:"question" yaml:"question"`
	Answer   string     `json:"answer" yaml:"answer"`
	Format   TextFormat `json:"format,omitempty" yaml:"format,omitempty"`
}

// NumericAnswer is one accepted range of a numerical question. It is
// written either as Value±Tolerance or as Min..Max; for a range, Min and Max
// are kept and Value/Tolerance are its middle and half-width, so code that
// scores only needs Value and Tolerance. Other marks Moodle's "*" answer,
// which matches any number (used for feedback on wrong answers).
type NumericAnswer struct {
	Value     float64  `json:"value" yaml:"value,omitempty"`
	Tolerance float64  `json:"tolerance" yaml:"tolerance,omitempty"`
	Min       *float64 `json:"min,omitempty" yaml:"min,omitempty"`
	Max       *float64 `json:"max,omitempty" yaml:"max,omitempty"`
	Other     bool     `json:"other,omitempty" yaml:"other,omitempty"`
	Fraction  float64  `json:"fraction" yaml:"fraction"`
	Feedback  string   `json:"feedback,omitempty" yaml:"feedback,omitempty"`
	// FeedbackFormat: see Answer.
	FeedbackFormat TextFormat `json:"feedback_format,omitempty" yaml:"feedback_format,omitempty"`
}

// IsRange reports whether the answer was written as min..max.
func (n NumericAnswer) IsRange() bool { return n.Min != nil && n.Max != nil }

// Interval returns the accepted interval.
func (n NumericAnswer) Interval() (lo, hi float64) {
	if n.IsRange() {
		return *n.Min, *n.Max
	}
	return n.Value - n.Tolerance, n.Value + n.Tolerance
}

// Question is one item of the bank. Which of Answers, Pairs, Numeric and
// Scale is used depends on Type.
type Question struct {
	ID       string     `json:"id" yaml:"id"`
	Type     Type       `json:"type" yaml:"type"`
	Title    string     `json:"title" yaml:"title,omitempty"`
	Text     string     `json:"text" yaml:"text"`
	Format   TextFormat `json:"format" yaml:"format,omitempty"`
	Area     string     `json:"area,omitempty" yaml:"area,omitempty"`
	Level    Level      `json:"level,omitempty" yaml:"level,omitempty"`
	Roles    []Role     `json:"roles,omitempty" yaml:"roles,omitempty"`
	Tags     []string   `json:"tags" yaml:"tags,omitempty"`
	Category string     `json:"category" yaml:"category,omitempty"`

	GeneralFeedback string `json:"general_feedback,omitempty" yaml:"general_feedback,omitempty"`
	// GeneralFeedbackFormat is the general feedback's text format when it
	// differs from the question's.
	GeneralFeedbackFormat TextFormat `json:"general_feedback_format,omitempty" yaml:"general_feedback_format,omitempty"`

	Answers []Answer        `json:"answers,omitempty" yaml:"answers,omitempty"`
	Pairs   []Pair          `json:"pairs,omitempty" yaml:"pairs,omitempty"`
	Numeric []NumericAnswer `json:"numeric,omitempty" yaml:"numeric,omitempty"`
	Scale   []string        `json:"scale,omitempty" yaml:"scale,omitempty"`
}

// Truth values are the answer texts of a truefalse question, in this order.
const (
	TrueText  = "true"
	FalseText = "false"
)

// NormalizeFraction rounds a fraction to Moodle's precision (7 decimals), so
// that a fraction survives the trip through a percentage in GIFT or XML.
// A negative zero (%-0%) becomes 0: it is written as no weight at all.
func NormalizeFraction(f float64) float64 {
	if r := math.Round(f*1e7) / 1e7; r != 0 {
		return r
	}
	return 0
}

// Problem is one thing wrong with a question, naming the field.
type Problem struct {
	Field string // relative to the question, e.g. "answers[2].text"
	Msg   i18n.Msg
}

// Text returns the message in lang ("de" or "en").
func (p Problem) Text(lang string) string { return p.Msg.Text(lang) }

// String is the problem in English, field first.
func (p Problem) String() string {
	if p.Field == "" {
		return p.Text("en")
	}
	return p.Field + ": " + p.Text("en")
}

const fractionEps = 1e-6

// Check returns what is wrong with q, or nil. It checks what every format
// needs; a bundle additionally needs an id (see Bundle.Check).
func (q *Question) Check() []Problem {
	var ps []Problem
	add := func(field, id string, kv ...any) {
		ps = append(ps, Problem{Field: field, Msg: msg(id, kv...)})
	}
	if !slices.Contains(Types, q.Type) {
		add("type", "quizparse.unknown_type", "Type", esc(string(q.Type)), "Types", joinTypes())
		return ps
	}
	if strings.TrimSpace(q.Text) == "" {
		add("text", "quizparse.text_empty")
	}
	if q.Format != "" && !slices.Contains(TextFormats, q.Format) {
		add("format", "quizparse.unknown_format", "Format", esc(string(q.Format)))
	}
	partFormat := func(field string, f TextFormat) {
		if f != "" && !slices.Contains(TextFormats, f) {
			add(field, "quizparse.unknown_format", "Format", esc(string(f)))
		}
	}
	partFormat("general_feedback_format", q.GeneralFeedbackFormat)
	for i, a := range q.Answers {
		partFormat(fmt.Sprintf("answers[%d].format", i), a.Format)
		partFormat(fmt.Sprintf("answers[%d].feedback_format", i), a.FeedbackFormat)
	}
	for i, n := range q.Numeric {
		partFormat(fmt.Sprintf("numeric[%d].feedback_format", i), n.FeedbackFormat)
	}
	for i, p := range q.Pairs {
		partFormat(fmt.Sprintf("pairs[%d].format", i), p.Format)
	}
	if q.Level != "" && !slices.Contains(Levels, q.Level) {
		add("level", "quizparse.unknown_level", "Level", esc(string(q.Level)))
	}
	for i, r := range q.Roles {
		if !slices.Contains(Roles, r) {
			add(fmt.Sprintf("roles[%d]", i), "quizparse.unknown_role", "Role", esc(string(r)))
		}
	}
	for i, t := range q.Tags {
		if strings.TrimSpace(t) == "" {
			add(fmt.Sprintf("tags[%d]", i), "quizparse.tag_empty")
		} else if _, _, ok := reservedTag(t); ok {
			add(fmt.Sprintf("tags[%d]", i), "quizparse.tag_reserved", "Tag", esc(t))
		}
	}
	// Fields that do not belong to the type are a mistake in hand-written
	// bundles; say so rather than silently ignore them.
	uses := map[string]bool{
		"answers": q.Type == Single || q.Type == Multi || q.Type == TrueFalse || q.Type == Short,
		"pairs":   q.Type == Matching,
		"numeric": q.Type == Numerical,
		"scale":   q.Type == SelfRating,
	}
	lens := map[string]int{"answers": len(q.Answers), "pairs": len(q.Pairs), "numeric": len(q.Numeric), "scale": len(q.Scale)}
	for _, f := range []string{"answers", "pairs", "numeric", "scale"} {
		if !uses[f] && lens[f] > 0 {
			add(f, "quizparse.field_not_used", "Type", string(q.Type), "Field", f)
		}
	}
	for i, a := range q.Answers {
		if strings.TrimSpace(a.Text) == "" {
			add(fmt.Sprintf("answers[%d].text", i), "quizparse.answer_empty", "N", i+1)
		}
		if a.Fraction < -1-fractionEps || a.Fraction > 1+fractionEps {
			add(fmt.Sprintf("answers[%d].fraction", i), "quizparse.fraction_range", "Fraction", number(a.Fraction))
		}
	}
	switch q.Type {
	case Single:
		if len(q.Answers) < 2 {
			add("answers", "quizparse.single_two", "Count", len(q.Answers))
		}
		if maxFraction(q.Answers) < 1-fractionEps {
			add("answers", "quizparse.single_right")
		}
	case Multi:
		if len(q.Answers) < 2 {
			add("answers", "quizparse.multi_two", "Count", len(q.Answers))
		}
		if maxFraction(q.Answers) <= 0 {
			add("answers", "quizparse.positive")
		}
	case TrueFalse:
		if len(q.Answers) != 2 || q.Answers[0].Text != TrueText || q.Answers[1].Text != FalseText {
			add("answers", "quizparse.truefalse_answers", "True", TrueText, "False", FalseText)
		} else if !(isOne(q.Answers[0].Fraction) && q.Answers[1].Fraction == 0 || q.Answers[0].Fraction == 0 && isOne(q.Answers[1].Fraction)) {
			add("answers", "quizparse.truefalse_right")
		}
	case Short:
		for i, a := range q.Answers {
			if strings.Contains(a.Text, "->") {
				add(fmt.Sprintf("answers[%d].text", i), "quizparse.short_arrow")
			}
		}
		if len(q.Answers) == 0 {
			add("answers", "quizparse.short_none")
		} else if maxFraction(q.Answers) <= 0 {
			add("answers", "quizparse.positive")
		}
	case Numerical:
		if len(q.Numeric) == 0 {
			add("numeric", "quizparse.numerical_none")
		}
		best := -2.0
		for i, n := range q.Numeric {
			f := fmt.Sprintf("numeric[%d]", i)
			if n.Fraction < -1-fractionEps || n.Fraction > 1+fractionEps {
				add(f+".fraction", "quizparse.fraction_range", "Fraction", number(n.Fraction))
			}
			if n.Tolerance < 0 {
				add(f+".tolerance", "quizparse.tolerance_negative", "Tolerance", number(n.Tolerance))
			}
			if (n.Min == nil) != (n.Max == nil) {
				add(f, "quizparse.range_both")
			}
			if n.IsRange() && *n.Min > *n.Max {
				add(f, "quizparse.range_order", "Min", number(*n.Min), "Max", number(*n.Max))
			}
			if isNaNOrInf(n.Value) || isNaNOrInf(n.Tolerance) {
				add(f+".value", "quizparse.not_finite")
			}
			if !n.Other {
				best = max(best, n.Fraction)
			}
		}
		if len(q.Numeric) > 0 && best <= 0 {
			add("numeric", "quizparse.positive")
		}
	case Matching:
		subs := 0
		for i, p := range q.Pairs {
			if strings.TrimSpace(p.Answer) == "" {
				add(fmt.Sprintf("pairs[%d].answer", i), "quizparse.pair_answer_empty", "N", i+1)
			}
			if strings.TrimSpace(p.Question) != "" {
				subs++
			}
			if strings.Contains(p.Question, "->") {
				add(fmt.Sprintf("pairs[%d].question", i), "quizparse.subquestion_arrow")
			}
		}
		if subs < 2 {
			add("pairs", "quizparse.matching_two", "Count", subs)
		}
	case SelfRating:
		if len(q.Scale) < 2 {
			add("scale", "quizparse.scale_two", "Count", len(q.Scale))
		}
		for i, s := range q.Scale {
			if strings.TrimSpace(s) == "" {
				add(fmt.Sprintf("scale[%d]", i), "quizparse.scale_step_empty", "N", i+1)
			}
		}
	}
	return ps
}

func isOne(f float64) bool      { return math.Abs(f-1) < fractionEps }
func isNaNOrInf(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }
func maxFraction(as []Answer) float64 {
	m := math.Inf(-1)
	for _, a := range as {
		m = max(m, a.Fraction)
	}
	return m
}

func joinTypes() string {
	s := make([]string, len(Types))
	for i, t := range Types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// DisplayTitle is the title, or the start of the text when there is none
// (as Moodle names untitled GIFT questions).
func (q *Question) DisplayTitle() string {
	if q.Title != "" {
		return q.Title
	}
	t := strings.Join(strings.Fields(q.Text), " ")
	r := []rune(t)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return t
}

// partFormat is f for a part of q, empty when it is q's own format (the
// part then follows the question).
func (q *Question) partFormat(f TextFormat) TextFormat {
	if f == q.Format {
		return ""
	}
	return f
}

// PartFormat is the format a part written in f is shown in: f, or the
// question's format when f is empty.
func (q *Question) PartFormat(f TextFormat) TextFormat {
	if f != "" {
		return f
	}
	return q.Format
}

// Normalize fills defaults and canonical forms after loading: trimmed
// texts, fractions at Moodle's precision, range answers with their
// middle/half-width, truefalse answers in the order true, false.
func (q *Question) Normalize() {
	q.ID = strings.TrimSpace(q.ID)
	q.Title = strings.TrimSpace(q.Title)
	q.Text = strings.TrimSpace(q.Text)
	q.Category = trimCategory(q.Category)
	for i := range q.Answers {
		q.Answers[i].Text = strings.TrimSpace(q.Answers[i].Text)
		q.Answers[i].Fraction = NormalizeFraction(q.Answers[i].Fraction)
		q.Answers[i].Feedback = strings.TrimSpace(q.Answers[i].Feedback)
		q.Answers[i].Format = q.partFormat(q.Answers[i].Format)
		q.Answers[i].FeedbackFormat = q.partFormat(q.Answers[i].FeedbackFormat)
		if q.Answers[i].Feedback == "" {
			q.Answers[i].FeedbackFormat = ""
		}
	}
	for i := range q.Numeric {
		n := &q.Numeric[i]
		n.Fraction = NormalizeFraction(n.Fraction)
		n.Feedback = strings.TrimSpace(n.Feedback)
		n.FeedbackFormat = q.partFormat(n.FeedbackFormat)
		if n.Feedback == "" {
			n.FeedbackFormat = ""
		}
		if n.IsRange() {
			n.Value = (*n.Min + *n.Max) / 2
			n.Tolerance = *n.Max - n.Value
		}
	}
	for i := range q.Pairs {
		q.Pairs[i].Question = strings.TrimSpace(q.Pairs[i].Question)
		q.Pairs[i].Answer = strings.TrimSpace(q.Pairs[i].Answer)
		q.Pairs[i].Format = q.partFormat(q.Pairs[i].Format)
	}
	q.GeneralFeedback = strings.TrimSpace(q.GeneralFeedback)
	q.GeneralFeedbackFormat = q.partFormat(q.GeneralFeedbackFormat)
	if q.GeneralFeedback == "" {
		q.GeneralFeedbackFormat = ""
	}
	if q.Type == TrueFalse {
		q.Answers = canonicalTrueFalse(q.Answers)
	}
	if q.Tags == nil {
		q.Tags = []string{}
	}
}

// canonicalTrueFalse accepts T/TRUE/wahr … spellings and a missing second
// answer and returns [true, false].
func canonicalTrueFalse(as []Answer) []Answer {
	var t, f *Answer
	for i := range as {
		switch strings.ToLower(as[i].Text) {
		case "true", "t", "wahr", "richtig":
			t = &as[i]
		case "false", "f", "falsch":
			f = &as[i]
		default:
			return as // Check reports it
		}
	}
	out := []Answer{{Text: TrueText}, {Text: FalseText}}
	if t != nil {
		out[0].Fraction, out[0].Feedback, out[0].FeedbackFormat = t.Fraction, t.Feedback, t.FeedbackFormat
	}
	if f != nil {
		out[1].Fraction, out[1].Feedback, out[1].FeedbackFormat = f.Fraction, f.Feedback, f.FeedbackFormat
	}
	// Only one side given: the other is the wrong (or right) one.
	if t != nil && f == nil && out[0].Fraction == 0 {
		out[1].Fraction = 1
	}
	if f != nil && t == nil && out[1].Fraction == 0 {
		out[0].Fraction = 1
	}
	return out
}

// CorrectTrue reports whether "true" is the right answer of a truefalse
// question.
func (q *Question) CorrectTrue() bool {
	return len(q.Answers) == 2 && q.Answers[0].Fraction > q.Answers[1].Fraction
}

// MatchChoices returns the distinct answers of a matching question in the
// order they first appear; these are the choices offered for every
// sub-question.
func (q *Question) MatchChoices() []string {
	var out []string
	for _, p := range q.Pairs {
		if !slices.Contains(out, p.Answer) {
			out = append(out, p.Answer)
		}
	}
	return out
}

// SubQuestions returns the pairs that ask something (not only a distractor).
func (q *Question) SubQuestions() []Pair {
	var out []Pair
	for _, p := range q.Pairs {
		if p.Question != "" {
			out = append(out, p)
		}
	}
	return out
}

// Reserved tag prefixes carry the competency fields through formats that
// only know tags (GIFT, Moodle XML): area:A1, level:grundlage, role:it,
// type:selfrating.
const (
	tagArea  = "area"
	tagLevel = "level"
	tagRole  = "role"
	tagType  = "type"
)

func reservedTag(t string) (key, value string, ok bool) {
	k, v, found := strings.Cut(t, ":")
	if !found {
		return "", "", false
	}
	switch k {
	case tagArea, tagLevel, tagRole, tagType:
		return k, v, true
	}
	return "", "", false
}

// exportTags returns the question's tags plus the reserved ones for its
// competency fields, as written to GIFT and Moodle XML.
func (q *Question) exportTags() []string {
	out := append([]string{}, q.Tags...)
	if q.Area != "" {
		out = append(out, tagArea+":"+q.Area)
	}
	if q.Level != "" {
		out = append(out, tagLevel+":"+string(q.Level))
	}
	for _, r := range q.Roles {
		out = append(out, tagRole+":"+string(r))
	}
	if q.Type == SelfRating {
		out = append(out, tagType+":"+string(SelfRating))
	}
	return out
}

// importTags moves reserved tags into the competency fields. It returns
// a problem for contradicting ones (two areas) and the selfrating marker.
func (q *Question) importTags(tags []string) (selfRating bool, problems []i18n.Msg) {
	q.Tags = []string{}
	for _, t := range tags {
		k, v, ok := reservedTag(t)
		if !ok {
			q.Tags = append(q.Tags, t)
			continue
		}
		switch k {
		case tagArea:
			if q.Area != "" && q.Area != v {
				problems = append(problems, msg("quizparse.two_areas", "A", esc(q.Area), "B", esc(v)))
			}
			q.Area = v
		case tagLevel:
			if q.Level != "" && string(q.Level) != v {
				problems = append(problems, msg("quizparse.two_levels", "A", esc(string(q.Level)), "B", esc(v)))
			}
			q.Level = Level(v)
		case tagRole:
			if !slices.Contains(q.Roles, Role(v)) {
				q.Roles = append(q.Roles, Role(v))
			}
		case tagType:
			if v != string(SelfRating) {
				problems = append(problems, msg("quizparse.tag_type", "Value", esc(v)))
			}
			selfRating = true
		}
	}
	return selfRating, problems
}

// trimCategory drops white space and slashes around a category path.
func trimCategory(c string) string {
	for {
		t := strings.TrimSpace(strings.Trim(strings.TrimSpace(c), "/"))
		if t == c {
			return c
		}
		c = t
	}
}
