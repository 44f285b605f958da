package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/policy"
)

// aiPolicy is the AI policy in force for this window: the one IT's
// central policy file names, else the municipality's own, else the Muster
// (internal/policy). Problems (a refused file) come with it.
func (st *state) aiPolicy() *policy.Loaded {
	cp, err := check.LoadPolicy("")
	sel := policy.Selection{ID: cp.KIPolicy, Version: cp.KIPolicyVersion, Source: cp.Source}
	l := policy.Load(st.dataDir, sel)
	if err != nil {
		l.Problems = append(l.Problems, err)
	}
	return l
}

// dataClassNames are the data classes' labels in the UI language, in the
// order of dataclass.All.
func dataClassNames(msgLang string) []string {
	out := make([]string, len(dataclass.All))
	for i, c := range dataclass.All {
		out[i] = c.Label().Text(msgLang)
	}
	return out
}

// policyInfo is the part of the KI-Test and cloud screens that asks for
// the data class of the test inputs and shows the rule of the AI policy
// that applies, and which training the user's role still needs (KI-Pass).
// decide says which rule applies to a data class.
type policyInfo struct {
	st     *state
	tool   string // policy tool id for the KI-Pass
	decide func(p *policy.Policy, dc dataclass.Class) policy.Decision

	dataClass *widget.Select
	note      *widget.Label
	rule      *widget.Label
	pass      *widget.Label

	loaded *policy.Loaded
	// relayout lays the screen out again after a text grew (set by the
	// screen; may be nil).
	relayout func()
}

func newPolicyInfo(st *state, tool string, decide func(p *policy.Policy, dc dataclass.Class) policy.Decision) *policyInfo {
	return &policyInfo{st: st, tool: tool, decide: decide}
}

func (pi *policyInfo) buildUI() fyne.CanvasObject {
	msgLang := pi.st.settings.Language
	pi.dataClass = widget.NewSelect(dataClassNames(msgLang), func(string) { pi.refresh() })
	pi.note = wrapped(lang.L("policy.dataclass_synthetic"))
	pi.rule = wrapped("")
	pi.pass = wrapped("")
	pi.dataClass.SetSelectedIndex(0) // synthetic test prompts: oeffentlich
	return container.NewVBox(widget.NewForm(widget.NewFormItem(lang.L("policy.dataclass_prompt"), pi.dataClass)), pi.note, pi.rule, pi.pass)
}

// selected is the data class chosen.
func (pi *policyInfo) selected() dataclass.Class {
	i := pi.dataClass.SelectedIndex()
	if i < 0 {
		return dataclass.Synthetic()
	}
	return dataclass.All[i]
}

// policy is the policy in force (read again on each refresh, so a change
// in Einstellungen shows at once).
func (pi *policyInfo) policy() *policy.Policy {
	if pi.loaded == nil {
		pi.loaded = pi.st.aiPolicy()
	}
	return pi.loaded.Policy
}

// decision is the rule for the data class chosen.
func (pi *policyInfo) decision() policy.Decision {
	return pi.decide(pi.policy(), pi.selected())
}

// refresh shows the rule that applies and, in the background, the
// KI-Pass of the user's role.
func (pi *policyInfo) refresh() {
	if pi.rule == nil {
		return
	}
	pi.loaded = pi.st.aiPolicy()
	msgLang := pi.st.settings.Language
	d := pi.decision()
	text := lang.L("policy.rule_applies", map[string]any{"Text": policy.Printable(d.Summary().Text(msgLang))})
	if len(d.Conditions) > 0 {
		text += "\n" + lang.L("policy.conditions", map[string]any{"List": policy.Printable(strings.Join(d.Conditions, " "))})
	}
	pi.rule.SetText(text)
	pi.laidOut()
	pi.refreshPass(d.Tool.ID)
}

func (pi *policyInfo) laidOut() {
	if pi.relayout != nil {
		pi.relayout()
	}
}

// refreshPass shows the KI-Pass for pi.tool, or else for tool (the tool
// the rule is about).
func (pi *policyInfo) refreshPass(tool string) {
	if pi.tool != "" {
		tool = pi.tool
	}
	p := pi.policy()
	role, pseudonym, msgLang := pi.st.role(), pi.st.settings.Pseudonym, pi.st.settings.Language
	db := pi.st.db
	pi.st.goBackground(func(ctx context.Context) {
		var results []policy.QuizResult
		if db != nil {
			results, _ = policy.QuizResultsOf(ctx, db, pseudonym)
		}
		text := passText(msgLang, p, role, tool, results)
		fyne.Do(func() {
			pi.pass.SetText(text)
			pi.laidOut()
		})
	})
}

// role is the user's staff role for the KI-Pass (default: anwender).
func (st *state) role() string {
	if st.settings.Role != "" {
		return st.settings.Role
	}
	return policy.StaffRoles[0]
}

// passText says, per tool (or for one), what the KI-Pass of role still
// needs.
func passText(msgLang string, p *policy.Policy, role, tool string, results []policy.QuizResult) string {
	var lines []string
	for _, t := range p.Tools {
		if tool != "" && t.ID != tool {
			continue
		}
		st, err := p.Pass(role, t.ID, results)
		if err != nil {
			continue
		}
		data := map[string]any{"Role": policy.StaffRoleLabel(msgLang, role), "Tool": policy.Named(t.Name, t.ID).Text(msgLang), "Quizzes": strings.Join(st.Missing, ", ")}
		if st.Ready {
			lines = append(lines, i18n.T(msgLang, "policy.pass.ready", data))
		} else {
			lines = append(lines, i18n.T(msgLang, "policy.pass.missing", data))
		}
		if len(st.Training) > 0 && !st.Ready {
			lines = append(lines, "  "+i18n.T(msgLang, "policy.pass.training", map[string]any{"Modules": strings.Join(st.Training, ", ")}))
		}
	}
	return strings.Join(lines, "\n")
}
