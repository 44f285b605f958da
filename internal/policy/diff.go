package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ki-reise/kicheck/internal/dataclass"
)

// Change is one difference between two policies, named so a person finds
// it: the kind of part (clause, rule, tool, role, approval, ki_pass,
// purpose, meta), its id and, for a changed part, the fields that differ.
type Change struct {
	Kind   string   `json:"kind"`
	ID     string   `json:"id"`
	Change string   `json:"change"` // added, removed, changed
	Fields []string `json:"fields,omitempty"`
	Old    string   `json:"old,omitempty"`
	New    string   `json:"new,omitempty"`
}

// String is the change in one line: "geändert clause cloud-avv (text)".
func (c Change) String() string {
	s := fmt.Sprintf("%s %s %s", c.Change, c.Kind, c.ID)
	if len(c.Fields) > 0 {
		s += " (" + strings.Join(c.Fields, ", ") + ")"
	}
	return s
}

// Diff lists what b changed against a, part by part, in document order:
// metadata, tools, purposes, the matrix cell by cell (tool class × data
// class, and purpose rules), roles, approval steps, KI-Pass rows and
// clauses. The rules are compared by what they decide, not by how the
// file groups them, so regrouping rules is no change.
func Diff(a, b *Policy) []Change {
	var out []Change
	for _, f := range []struct{ name, x, y string }{
		{"title", a.Title, b.Title}, {"kommune", a.Kommune, b.Kommune}, {"stand", a.Stand, b.Stand},
		{"license", a.License, b.License}, {"pass_percent", fmt.Sprint(a.PassPercent), fmt.Sprint(b.PassPercent)},
	} {
		if f.x != f.y {
			out = append(out, Change{Kind: "meta", ID: f.name, Change: "changed", Old: f.x, New: f.y})
		}
	}
	out = append(out, diffByID("tool", a.Tools, b.Tools, func(t Tool) string { return t.ID }, func(x, y Tool) []string {
		return fields(pair{"kind", x.Kind, y.Kind}, pair{"name", x.Name, y.Name}, pair{"host", x.Host, y.Host}, pair{"avv", fmt.Sprint(x.AVV), fmt.Sprint(y.AVV)})
	})...)
	out = append(out, diffByID("purpose", a.Purposes, b.Purposes, func(p Purpose) string { return p.ID }, func(x, y Purpose) []string {
		return fields(pair{"name", x.Name, y.Name})
	})...)
	out = append(out, diffByID("rule", a.cells(), b.cells(), func(c cell) string { return c.key }, func(x, y cell) []string {
		return fields(pair{"decision", x.decision, y.decision}, pair{"conditions", strings.Join(x.conditions, "\n"), strings.Join(y.conditions, "\n")}, pair{"clause", x.clause, y.clause})
	})...)
	out = append(out, diffByID("role", a.Roles, b.Roles, func(r Role) string { return r.ID }, func(x, y Role) []string {
		return fields(pair{"name", x.Name, y.Name}, pair{"duties", x.Duties, y.Duties}, pair{"person", x.Person, y.Person})
	})...)
	out = append(out, diffByID("approval", a.Approval, b.Approval, func(s Step) string { return s.ID }, func(x, y Step) []string {
		return fields(pair{"name", x.Name, y.Name}, pair{"roles", strings.Join(x.Roles, ","), strings.Join(y.Roles, ",")},
			pair{"review_months", fmt.Sprint(x.ReviewMonths), fmt.Sprint(y.ReviewMonths)}, pair{"text", x.Text, y.Text})
	})...)
	out = append(out, diffByID("ki_pass", a.passRows(), b.passRows(), func(r passRow) string { return r.key }, func(x, y passRow) []string {
		return fields(pair{"quizzes", strings.Join(x.quizzes, ","), strings.Join(y.quizzes, ",")}, pair{"training", strings.Join(x.training, ","), strings.Join(y.training, ",")})
	})...)
	out = append(out, diffByID("clause", a.Clauses, b.Clauses, func(c Clause) string { return c.ID }, func(x, y Clause) []string {
		return fields(pair{"section", x.Section, y.Section}, pair{"variants", strings.Join(x.Variants, ","), strings.Join(y.Variants, ",")},
			pair{"title", x.Title, y.Title}, pair{"text", x.Text, y.Text}, pair{"refs", strings.Join(x.Refs, "\n"), strings.Join(y.Refs, "\n")})
	})...)
	// Old and new values of a changed clause's text help a reader; keep
	// them for one-field changes.
	for i, c := range out {
		if c.Change != "changed" || len(c.Fields) != 1 || c.Kind == "meta" {
			continue
		}
		out[i].Old, out[i].New = valueOf(a, c), valueOf(b, c)
	}
	return out
}

type pair struct{ name, x, y string }

func fields(ps ...pair) []string {
	var out []string
	for _, p := range ps {
		if p.x != p.y {
			out = append(out, p.name)
		}
	}
	return out
}

func diffByID[T any](kind string, a, b []T, id func(T) string, cmp func(x, y T) []string) []Change {
	var out []Change
	inB := map[string]T{}
	for _, y := range b {
		inB[id(y)] = y
	}
	inA := map[string]bool{}
	for _, x := range a {
		inA[id(x)] = true
		y, ok := inB[id(x)]
		if !ok {
			out = append(out, Change{Kind: kind, ID: id(x), Change: "removed"})
			continue
		}
		if f := cmp(x, y); len(f) > 0 {
			out = append(out, Change{Kind: kind, ID: id(x), Change: "changed", Fields: f})
		}
	}
	for _, y := range b {
		if !inA[id(y)] {
			out = append(out, Change{Kind: kind, ID: id(y), Change: "added"})
		}
	}
	return out
}

// cell is one decision of the matrix: tool class × data class, or with a
// purpose for purpose rules.
type cell struct {
	key        string
	decision   string
	conditions []string
	clause     string
}

func (p *Policy) cells() []cell {
	var out []cell
	for _, tc := range ToolClasses {
		for _, dc := range dataclass.All {
			d, cs, cl := p.Cell(tc, dc)
			out = append(out, cell{key: tc + "×" + string(dc), decision: d, conditions: cs, clause: cl})
		}
	}
	for _, r := range p.Rules {
		for _, dc := range r.DataClasses {
			for _, pu := range r.Purposes {
				out = append(out, cell{key: r.Tool + "×" + dc + "×" + pu, decision: r.Decision, conditions: r.Conditions, clause: r.Clause})
			}
		}
	}
	return out
}

type passRow struct {
	key               string
	quizzes, training []string
}

func (p *Policy) passRows() []passRow {
	var out []passRow
	for _, r := range StaffRoles {
		for _, t := range p.Tools {
			st, _ := p.Pass(r, t.ID, nil)
			if len(st.Quizzes) > 0 || len(st.Training) > 0 {
				out = append(out, passRow{key: r + "×" + t.ID, quizzes: st.Quizzes, training: st.Training})
			}
		}
	}
	return out
}

// StaffRoles are the role profiles of the competency framework the
// KI-Pass is written for.
var StaffRoles = []string{"anwender", "fachverantwortlich", "fuehrungskraft", "it"}

func valueOf(p *Policy, c Change) string {
	f := c.Fields[0]
	switch c.Kind {
	case "clause":
		if x, ok := p.Clause(c.ID); ok {
			return map[string]string{"section": x.Section, "variants": strings.Join(x.Variants, ", "), "title": x.Title, "text": x.Text, "refs": strings.Join(x.Refs, "; ")}[f]
		}
	case "tool":
		i := slices.IndexFunc(p.Tools, func(t Tool) bool { return t.ID == c.ID })
		if i >= 0 {
			t := p.Tools[i]
			return map[string]string{"kind": t.Kind, "name": t.Name, "host": t.Host, "avv": fmt.Sprint(t.AVV)}[f]
		}
	case "rule":
		for _, x := range p.cells() {
			if x.key == c.ID {
				return map[string]string{"decision": x.decision, "conditions": strings.Join(x.conditions, " "), "clause": x.clause}[f]
			}
		}
	}
	return ""
}
