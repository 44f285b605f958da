package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Sections in the order the documents have them.
var Sections = []string{"grundsaetze", "werkzeuge", "verbote", "pruefpflicht", "kennzeichnung", "rollen", "freigabe", "schulung", "mitbestimmung", "schluss"}

// ParseVariant reads a variant name.
func ParseVariant(s string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if slices.Contains(Variants, v) {
		return v, nil
	}
	return "", &UnknownError{What: "variant", Name: s, Valid: Variants}
}

// VariantClauses are the clauses of a variant, in section order.
func (p *Policy) VariantClauses(variant string) []Clause {
	var out []Clause
	for _, s := range Sections {
		for _, c := range p.Clauses {
			if c.Section == s && slices.Contains(c.Variants, variant) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Labels of things the documents and screens name.
func decisionLabel(lang, d string) string { return i18n.T(lang, "policy.decision_label."+d) }

func tr(lang, id string, data ...any) string { return i18n.T(lang, id, data...) }

// ToolClassLabel names a tool class.
func ToolClassLabel(lang, class string) string { return i18n.T(lang, "policy.toolclass."+class) }

// DecisionLabel names a decision.
func DecisionLabel(lang, d string) string { return decisionLabel(lang, d) }

// Render builds the document of a variant: the variant's clauses by
// section, each with its legal references, and the policy's tables (the
// matrix, the conditions, roles, approval path, KI-Pass) in the sections
// that speak of them. Clause texts are the policy's own (German); the
// document's own words follow lang. The Stand date is on the title page
// and in every page footer (PDF).
func (p *Policy) Render(variant, lang string, creator string) (*document.Document, error) {
	if _, err := ParseVariant(variant); err != nil {
		return nil, err
	}
	t := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	date, _ := time.Parse("2006-01-02", p.Stand)
	kommune := p.Kommune
	if kommune == "" {
		kommune = t("common.municipality_to_fill")
	}
	d := document.New(document.Meta{
		Title:    t("policy.doc.title."+variant, map[string]any{"Title": p.Title}),
		Subtitle: kommune,
		Language: map[string]string{"de": "de-DE", "en": "en-GB"}[lang],
		Version:  p.Version,
		Date:     date,
		Creator:  creator,
		Subject:  t("policy.doc.subject", map[string]any{"ID": p.ID, "Version": p.Version}),
		Labels: document.DocLabels(i18n.T(lang, "policy.doc.label.contents"), i18n.T(lang, "policy.doc.label.version"),
			i18n.T(lang, "policy.doc.label.stand"), i18n.T(lang, "policy.doc.label.page")).
			WithAccessible(i18n.T(lang, "document.a11y_note_title"), i18n.T(lang, "document.a11y_note")),
		Keywords: []string{"KI", "KI-Verordnung", "Richtlinie", variant},
	})
	d.TOC = true
	d.P(t("policy.doc.intro." + variant))
	d.Small(t("policy.doc.stand", map[string]any{"Stand": dateText(lang, date), "ID": p.ID, "Version": p.Version, "License": p.License}))
	clauses := p.VariantClauses(variant)
	n := 0
	for _, sec := range Sections {
		var cs []Clause
		for _, c := range clauses {
			if c.Section == sec {
				cs = append(cs, c)
			}
		}
		if len(cs) == 0 {
			continue
		}
		n++
		d.H(1, fmt.Sprintf("%d. %s", n, t("policy.section."+sec)))
		for i, c := range cs {
			d.H(2, fmt.Sprintf("%d.%d %s", n, i+1, c.Title))
			d.P(c.Text)
			if len(c.Refs) > 0 {
				d.Small(t("policy.doc.refs", map[string]any{"Refs": strings.Join(c.Refs, "; ")}))
			}
		}
		k := len(cs)
		p.sectionTables(d, sec, lang, func(title string) string { k++; return fmt.Sprintf("%d.%d %s", n, k, title) })
	}
	// Who adopts the variant: the council (Leitlinie), the head of the
	// administration (Dienstanweisung), both parties (Dienstvereinbarung).
	missing := t("common.municipality_to_fill")
	d.H(1, t("policy.doc.adoption"))
	switch variant {
	case Leitlinie:
		d.T([]string{t("policy.doc.col.who"), t("policy.doc.col.date")}, [][]string{{t("policy.doc.council"), missing}})
	case Dienstanweisung:
		d.T([]string{t("policy.doc.col.who"), t("policy.doc.col.date")}, [][]string{{p.roleName("verwaltungsleitung"), missing}})
	case Dienstvereinbarung:
		d.P(t("policy.doc.parties"))
		d.T([]string{t("policy.doc.col.who"), t("policy.doc.col.date"), t("policy.doc.col.signature")},
			[][]string{{p.roleName("verwaltungsleitung"), missing, ""}, {p.roleName("personalrat"), missing, ""}})
	}
	return d, nil
}

func dateText(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	return t.Format("02.01.2006")
}

// sectionTables adds the tables of a section; num numbers their headings
// after the section's clauses.
func (p *Policy) sectionTables(d *document.Document, sec, lang string, num func(string) string) {
	t := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	switch sec {
	case "werkzeuge":
		d.H(2, num(t("policy.doc.tools")))
		var rows [][]string
		for _, tool := range p.Tools {
			rows = append(rows, []string{tool.Name, ToolClassLabel(lang, tool.Class())})
		}
		d.T([]string{t("policy.doc.col.tool"), t("policy.doc.col.class")}, rows)
		d.H(2, num(t("policy.doc.matrix")))
		header := []string{t("policy.doc.col.class")}
		for _, dc := range dataclass.All {
			header = append(header, dc.Label().Text(lang))
		}
		rows = nil
		var conds [][]string
		for _, tc := range ToolClasses {
			row := []string{ToolClassLabel(lang, tc)}
			for _, dc := range dataclass.All {
				dec, cs, _ := p.Cell(tc, dc)
				row = append(row, decisionLabel(lang, dec))
				if len(cs) > 0 {
					conds = append(conds, []string{ToolClassLabel(lang, tc), dc.Label().Text(lang), strings.Join(cs, " ")})
				}
			}
			rows = append(rows, row)
		}
		d.T(header, rows)
		if len(conds) > 0 {
			d.H(2, num(t("policy.doc.conditions")))
			d.T([]string{t("policy.doc.col.class"), t("policy.doc.col.dataclass"), t("policy.doc.conditions")}, conds)
		}
		var special [][]string
		for _, r := range p.Rules {
			if len(r.Purposes) > 0 {
				special = append(special, []string{ToolClassLabel(lang, r.Tool), strings.Join(r.DataClasses, ", "), strings.Join(p.purposeNames(r.Purposes), ", "), decisionLabel(lang, r.Decision)})
			}
		}
		if len(special) > 0 {
			d.H(2, num(t("policy.doc.purpose_rules")))
			d.T([]string{t("policy.doc.col.class"), t("policy.doc.col.dataclass"), t("policy.doc.col.purpose"), t("policy.doc.col.decision")}, special)
		}
		d.Small(t("policy.doc.unlisted"))
	case "rollen":
		var rows [][]string
		for _, r := range p.Roles {
			person := r.Person
			if person == "" {
				person = t("common.municipality_to_fill")
			}
			rows = append(rows, []string{r.Name, r.Duties, person})
		}
		d.T([]string{t("common.role"), t("policy.doc.col.duties"), t("policy.doc.col.person")}, rows)
	case "freigabe":
		var rows [][]string
		for i, s := range p.Approval {
			var who []string
			for _, r := range s.Roles {
				if role, ok := p.Role(r); ok {
					who = append(who, role.Name)
				}
			}
			if len(who) == 0 {
				who = []string{t("policy.doc.requester")}
			}
			text := s.Text
			if s.ReviewMonths > 0 {
				text += " " + t("policy.doc.review", map[string]any{"Months": s.ReviewMonths})
			}
			rows = append(rows, []string{fmt.Sprintf("%d. %s", i+1, s.Name), strings.Join(who, ", "), text})
		}
		d.T([]string{t("policy.doc.col.step"), t("policy.doc.col.who"), t("policy.doc.col.what")}, rows)
	case "schulung":
		var rows [][]string
		for _, k := range p.KIPass {
			var tools []string
			for _, id := range k.Tools {
				if tool, ok := p.Tool(id); ok {
					tools = append(tools, tool.Name)
				}
			}
			rows = append(rows, []string{t("policy.staffrole." + k.Role), strings.Join(tools, ", "), strings.Join(k.Quizzes, ", "), strings.Join(k.Training, ", ")})
		}
		d.T([]string{t("common.role"), t("policy.doc.col.tools"), t("common.quiz"), t("policy.doc.col.training")}, rows)
		d.Small(t("policy.doc.pass_percent", map[string]any{"Percent": i18n.Decimal(lang, p.PassPercent, 0)}))
	}
}

func (p *Policy) purposeNames(ids []string) []string {
	var out []string
	for _, id := range ids {
		for _, x := range p.Purposes {
			if x.ID == id {
				out = append(out, x.Name)
			}
		}
	}
	return out
}

// VariantLabel names a variant for people.
func VariantLabel(lang, v string) string { return i18n.T(lang, "policy.variant."+v) }

func (p *Policy) roleName(id string) string {
	if r, ok := p.Role(id); ok {
		return r.Name
	}
	return id
}
