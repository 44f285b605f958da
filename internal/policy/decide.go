package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Decision is the policy's answer for one tool, data class and purpose.
type Decision struct {
	Policy    Ref             `json:"policy"`
	Tool      Tool            `json:"tool"`
	ToolClass string          `json:"tool_class"`
	DataClass dataclass.Class `json:"data_class"`
	Purpose   string          `json:"purpose,omitempty"`
	// Decision is erlaubt, erlaubt_mit_auflagen or verboten.
	Decision   string   `json:"decision"`
	Conditions []string `json:"conditions,omitempty"`
	// Rule is the index of the rule in the file (-1: none applies, which
	// means verboten: what the policy does not allow is not allowed).
	Rule   int    `json:"rule"`
	Clause Clause `json:"clause"`
}

// Allowed reports whether the use is allowed (with or without conditions).
func (d Decision) Allowed() bool { return d.Decision != Forbidden }

// RuleName is how messages name the rule: "rules[12] (Klausel cloud-ohne-avv)".
func (d Decision) RuleName() string {
	if d.Rule < 0 {
		return "—"
	}
	return fmt.Sprintf("rules[%d]", d.Rule)
}

// Summary says the decision in a sentence, as a message id.
func (d Decision) Summary() i18n.Msg {
	return i18n.Msg{ID: "policy.decision." + d.Decision, Data: map[string]any{
		"Tool": Named(d.Tool.Name, d.Tool.ID), "Class": d.DataClass.Label(), "Policy": d.Policy.ID, "Version": d.Policy.Version,
		"Rule": d.RuleName(), "Clause": Named(d.Clause.Title, d.Clause.ID), "ClauseID": d.Clause.ID,
	}}
}

// Check decides whether tool (an id or kind of p.Tools) may process data
// of class dc for purpose ("" = any). The rule that applies comes with
// the decision; with no rule the answer is verboten.
func (p *Policy) Check(tool string, dc dataclass.Class, purpose string) (Decision, error) {
	t, ok := p.Tool(tool)
	if !ok {
		return Decision{}, &UnknownError{What: "tool", Name: tool, Valid: p.toolIDs()}
	}
	if purpose != "" && !slices.ContainsFunc(p.Purposes, func(x Purpose) bool { return x.ID == purpose }) {
		return Decision{}, &UnknownError{What: "purpose", Name: purpose, Valid: p.purposeIDs()}
	}
	return p.decide(t, dc, purpose), nil
}

func (p *Policy) decide(t Tool, dc dataclass.Class, purpose string) Decision {
	d := Decision{Policy: p.Ref(), Tool: t, ToolClass: t.Class(), DataClass: dc, Purpose: purpose, Decision: Forbidden, Rule: -1}
	// A purpose-specific rule is more precise than a general one.
	best := -1
	for i, r := range p.Rules {
		if !r.covers(d.ToolClass, dc, purpose) {
			continue
		}
		if best < 0 || (len(r.Purposes) > 0 && len(p.Rules[best].Purposes) == 0) {
			best = i
		}
	}
	if best >= 0 {
		r := p.Rules[best]
		d.Decision, d.Conditions, d.Rule = r.Decision, r.Conditions, best
		d.Clause, _ = p.Clause(r.Clause)
	}
	return d
}

// Cell is the decision for a tool class and data class over all purposes,
// for the matrix table.
func (p *Policy) Cell(toolClass string, dc dataclass.Class) (decision string, conditions []string, clause string) {
	for _, r := range p.Rules {
		if r.covers(toolClass, dc, "") && len(r.Purposes) == 0 {
			return r.Decision, r.Conditions, r.Clause
		}
	}
	return Forbidden, nil, ""
}

// SetCell sets the general decision for a tool class and data class (the
// GUI's matrix editor): the data class is taken out of the rule that held
// it and a rule of its own is added (or one with the same decision,
// conditions and clause is extended). Conditions are kept only for
// erlaubt_mit_auflagen.
func (p *Policy) SetCell(toolClass string, dc dataclass.Class, decision string, conditions []string, clause string) {
	var rules []Rule
	for _, r := range p.Rules {
		if r.Tool == toolClass && len(r.Purposes) == 0 && slices.Contains(r.DataClasses, string(dc)) {
			r.DataClasses = slices.DeleteFunc(slices.Clone(r.DataClasses), func(s string) bool { return s == string(dc) })
			if len(r.DataClasses) == 0 {
				continue
			}
		}
		rules = append(rules, r)
	}
	if decision != AllowedConditions {
		conditions = nil
	}
	for i, r := range rules {
		if r.Tool == toolClass && len(r.Purposes) == 0 && r.Decision == decision && r.Clause == clause && slices.Equal(r.Conditions, conditions) {
			rules[i].DataClasses = append(slices.Clone(r.DataClasses), string(dc))
			p.Rules = rules
			return
		}
	}
	p.Rules = append(rules, Rule{Tool: toolClass, DataClasses: []string{string(dc)}, Decision: decision, Conditions: conditions, Clause: clause})
}

func (p *Policy) toolIDs() []string {
	var out []string
	for _, t := range p.Tools {
		out = append(out, t.ID)
	}
	return out
}

func (p *Policy) purposeIDs() []string {
	var out []string
	for _, x := range p.Purposes {
		out = append(out, x.ID)
	}
	return out
}

// UnknownError is an unknown tool, purpose or variant on the command line.
// It renders itself in the reader's language (i18n.Localizer); Error and
// Hint are the English texts for logs.
type UnknownError struct {
	What, Name string // What: tool, purpose or variant
	Valid      []string
}

func (e *UnknownError) Error() string {
	msg, _ := e.Localize("en")
	return msg
}

// Hint says what to do (English).
func (e *UnknownError) Hint() string {
	_, hint := e.Localize("en")
	return hint
}

// Localize renders the message and the hint in lang: what is unknown,
// the valid ids, and where they are listed.
func (e *UnknownError) Localize(lang string) (msg, hint string) {
	data := map[string]any{"Name": i18n.Escape(e.Name), "Valid": strings.Join(e.Valid, ", ")}
	hintID := "policy.unknown.hint"
	if e.What == "variant" {
		hintID = "policy.unknown.variant_hint"
	}
	return i18n.T(lang, "policy.unknown."+e.What, data), i18n.T(lang, hintID, data)
}

// QuizResult is one finished quiz of a person: the quiz (bundle) id and
// the score in percent.
type QuizResult struct {
	Quiz    string  `json:"quiz"`
	Percent float64 `json:"percent"`
}

// PassStatus is the KI-Pass of a staff role for one tool.
type PassStatus struct {
	Role  string `json:"role"`
	Tool  string `json:"tool"`
	Ready bool   `json:"ready"`
	// Quizzes the role needs for the tool; Missing those not yet passed
	// (at least PassPercent).
	Quizzes []string `json:"quizzes"`
	Missing []string `json:"missing_quizzes"`
	// Training modules the role needs (attendance is recorded outside
	// KI-Check; they are listed so the person knows what to book).
	Training []string `json:"training"`
	PassPct  float64  `json:"pass_percent"`
}

// Pass checks the KI-Pass of a staff role (anwender, fachverantwortlich,
// fuehrungskraft, it) for a tool against the person's quiz results: the
// best result per quiz counts.
func (p *Policy) Pass(role, tool string, results []QuizResult) (PassStatus, error) {
	t, ok := p.Tool(tool)
	if !ok {
		return PassStatus{}, &UnknownError{What: "tool", Name: tool, Valid: p.toolIDs()}
	}
	st := PassStatus{Role: role, Tool: t.ID, PassPct: p.PassPercent}
	for _, k := range p.KIPass {
		if k.Role != role || !slices.Contains(k.Tools, t.ID) {
			continue
		}
		for _, q := range k.Quizzes {
			if !slices.Contains(st.Quizzes, q) {
				st.Quizzes = append(st.Quizzes, q)
			}
		}
		for _, m := range k.Training {
			if !slices.Contains(st.Training, m) {
				st.Training = append(st.Training, m)
			}
		}
	}
	best := map[string]float64{}
	for _, r := range results {
		best[r.Quiz] = max(best[r.Quiz], r.Percent)
	}
	for _, q := range st.Quizzes {
		if v, ok := best[q]; !ok || v < p.PassPercent {
			st.Missing = append(st.Missing, q)
		}
	}
	st.Ready = len(st.Missing) == 0
	return st, nil
}

// Printable makes a text from a policy file safe for a terminal or log:
// control characters (escape sequences, line ends) become spaces.
func Printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
}

// CloudTool is the policy's tool for a cloud endpoint on host: the cloud
// tool with that host, else the first cloud tool without a host, else the
// first cloud tool. ok is false when the policy approves no cloud service.
func (p *Policy) CloudTool(host string) (Tool, bool) {
	var first, noHost *Tool
	for i := range p.Tools {
		t := &p.Tools[i]
		if t.Kind != KindCloud {
			continue
		}
		if t.Host != "" && strings.EqualFold(t.Host, host) {
			return *t, true
		}
		if first == nil {
			first = t
		}
		if t.Host == "" && noHost == nil {
			noHost = t
		}
	}
	if noHost != nil {
		return *noHost, true
	}
	if first != nil {
		return *first, true
	}
	return Tool{}, false
}

// CheckCloud decides a run against a cloud endpoint on host with data of
// class dc for purpose. Without an approved cloud service the answer is
// verboten (no rule).
func (p *Policy) CheckCloud(host string, dc dataclass.Class, purpose string) Decision {
	t, ok := p.CloudTool(host)
	if !ok {
		return Decision{Policy: p.Ref(), Tool: Tool{ID: host, Kind: KindCloud, Name: host}, ToolClass: ClassCloudNone, DataClass: dc, Purpose: purpose, Decision: Forbidden, Rule: -1}
	}
	if purpose != "" && !slices.ContainsFunc(p.Purposes, func(x Purpose) bool { return x.ID == purpose }) {
		purpose = ""
	}
	return p.decide(t, dc, purpose)
}

// PurposeTest is the purpose id of KI-Check's own KI-Test runs.
const PurposeTest = "test"

// RefusedError is a run the policy forbids; nothing was sent. It renders
// in Lang.
type RefusedError struct {
	Decision Decision
	Lang     string
}

func (e *RefusedError) Error() string {
	d := e.Decision
	clause := Named(d.Clause.Title, d.Clause.ID).Text(e.Lang)
	if clause == "" {
		clause = "—"
	}
	return tr(e.Lang, "policy.refused", map[string]any{"Tool": Printable(Named(d.Tool.Name, d.Tool.ID).Text(e.Lang)), "Class": d.DataClass.Label().Text(e.Lang),
		"Policy": Printable(d.Policy.ID), "Version": Printable(d.Policy.Version), "Rule": d.RuleName(), "Clause": Printable(clause)})
}

// Hint says what to do.
func (e *RefusedError) Hint() string { return tr(e.Lang, "policy.refused.hint") }

// Name is a text from the policy file (written in German, the
// municipality's language) with its id: German output shows the text,
// other languages the id, so an English message stays English.
type Name struct{ Text_, ID string }

// Named pairs a policy text with its id.
func Named(text, id string) Name { return Name{Text_: text, ID: id} }

// Text is the text in German, else the id.
func (n Name) Text(lang string) string {
	if lang == "" || lang == i18n.Default || n.ID == "" {
		return Printable(n.Text_)
	}
	return Printable(n.ID)
}
