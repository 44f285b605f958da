package cost

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// BreakEven is the number of users at which two operating models cost the
// same; Users 0 = no crossing up to MaxBreakEvenUsers; Open: a model of the
// pair lacks figures.
type BreakEven struct {
	A, B  string
	Users int
	Open  bool
}

// MaxBreakEvenUsers bounds the search for a break-even.
const MaxBreakEvenUsers = 100000

// BreakEvens is the break-even between each pair of the models.
func BreakEvens(p Params, o Operating, ms []ModelCost) []BreakEven {
	comp := func(q Params) Result { return Compute(q, time.Now()) }
	var out []BreakEven
	for i := range ms {
		for j := i + 1; j < len(ms); j++ {
			a, b := ms[i], ms[j]
			be := BreakEven{A: a.Model, B: b.Model}
			if len(a.Open) > 0 || len(b.Open) > 0 {
				be.Open = true
			} else {
				be.Users = BreakEvenUsers(p, o, a.Model, b.Model, MaxBreakEvenUsers, comp)
			}
			out = append(out, be)
		}
	}
	return out
}

// WriteOperating prints the four operating models for p's users in lang:
// each model's monthly cost (or what the municipality has to enter), the
// prices entered with their date, the break-even between each pair, and
// the recommendation with its reasons.
func WriteOperating(w io.Writer, lang string, p Params, o Operating, ms []ModelCost) {
	T := func(id string, data ...any) string { return i18n.T(lang, "operating."+id, data...) }
	fmt.Fprintln(w, T("head", map[string]any{"Users": i18n.Grouped(lang, float64(p.Usage.Users), 0)}))
	for _, m := range ms {
		name := T("model." + m.Model)
		if len(m.Open) > 0 {
			var open []string
			for _, k := range m.Open {
				open = append(open, T("open."+k))
			}
			fmt.Fprintf(w, "  %s: %s\n", name, T("open", map[string]any{"What": strings.Join(open, ", ")}))
			continue
		}
		line := fmt.Sprintf("  %s: %s", name, T("monthly", map[string]any{"EUR": i18n.Grouped(lang, m.Monthly, 0)}))
		if m.Servers > 0 {
			line += " · " + T("servers", map[string]any{"N": m.Servers, "Per": o.ClerksPerServer})
		}
		fmt.Fprintln(w, line)
	}
	for _, pr := range []struct {
		id string
		p  Price
	}{{"price.server", o.Server}, {"price.upgrade", o.UpgradePerPC}} {
		if pr.p.Known() {
			fmt.Fprintln(w, "  "+T(pr.id, map[string]any{"EUR": i18n.Grouped(lang, *pr.p.EUR, 0), "Date": pr.p.Date}))
		}
	}
	open := 0
	for _, be := range BreakEvens(p, o, ms) {
		data := map[string]any{"A": T("model." + be.A), "B": T("model." + be.B), "N": i18n.Grouped(lang, float64(be.Users), 0), "Max": i18n.Grouped(lang, MaxBreakEvenUsers, 0)}
		switch {
		case be.Open:
			open++
		case be.Users > 0:
			fmt.Fprintln(w, "  "+T("break_even", data))
		default:
			fmt.Fprintln(w, "  "+T("no_break_even", data))
		}
	}
	if open > 0 {
		fmt.Fprintln(w, "  "+T("break_even_open", map[string]any{"N": open}))
	}
	choice := RecommendOperating(p, ms)
	if choice.Model != "" {
		fmt.Fprintln(w, T("recommend", map[string]any{"Model": T("model." + choice.Model)}))
	} else {
		fmt.Fprintln(w, T("recommend_none"))
	}
	for _, r := range choice.Reasons {
		fmt.Fprintln(w, "  – "+r.Text(lang))
	}
	fmt.Fprintln(w, "  "+T("note"))
}
