package cost

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// WriteText prints the result as a table and the recommendation in lang
// ("de", "en"), as `kicheck cost` shows it.
func WriteText(w io.Writer, lang string, p Params, r Result) {
	r = r.Localize(lang)
	t := func(id string, data ...any) string { return i18n.T(lang, "cost.text."+id, data...) }
	fmt.Fprintln(w, t("heading", map[string]any{
		"Requests": count(r.RequestsPerMonth).Text(lang), "Users": p.Usage.Users, "PerDay": decimal(p.Usage.RequestsPerUserPerDay).Text(lang),
		"Days": decimal(p.Usage.WorkingDaysPerMonth).Text(lang), "TokensIn": count(p.Usage.TokensInPerRequest).Text(lang),
		"TokensOut": count(p.Usage.TokensOutPerRequest).Text(lang)}))
	fmt.Fprintln(w)
	type row struct {
		name string
		f    func(Breakdown) float64
	}
	rows := []row{
		{t("hardware"), func(b Breakdown) float64 { return b.Hardware }},
		{t("energy"), func(b Breakdown) float64 { return b.Energy }},
		{t("admin"), func(b Breakdown) float64 { return b.Admin }},
		{t("cloud_usage"), func(b Breakdown) float64 { return b.CloudUsage }},
		{t("cloud_fixed"), func(b Breakdown) float64 { return b.CloudFixed }},
		{t("monthly"), func(b Breakdown) float64 { return b.Monthly }},
		{t("horizon", map[string]any{"Months": r.HorizonMonths}), func(b Breakdown) float64 { return b.Horizon }},
	}
	cols := []string{t("local"), t("cloud"), t("hybrid")}
	amount := func(v float64) string { return euroAmount(v).Text(lang) }
	// Labels left, amounts right-aligned (widths in characters, not bytes).
	labelW, numW := 0, 0
	for _, c := range cols {
		numW = max(numW, utf8.RuneCountInString(c))
	}
	for _, x := range rows {
		labelW = max(labelW, utf8.RuneCountInString(x.name))
		for _, b := range []Breakdown{r.Local, r.Cloud, r.Hybrid} {
			numW = max(numW, utf8.RuneCountInString(amount(x.f(b))))
		}
	}
	pad := func(s string, w int, left bool) string {
		n := w - utf8.RuneCountInString(s)
		if n <= 0 {
			return s
		}
		if left {
			return s + strings.Repeat(" ", n)
		}
		return strings.Repeat(" ", n) + s
	}
	fmt.Fprintf(w, "%s  %s  %s  %s\n", pad("", labelW, true), pad(cols[0], numW, false), pad(cols[1], numW, false), pad(cols[2], numW, false))
	for _, x := range rows {
		fmt.Fprintf(w, "%s  %s  %s  %s\n", pad(x.name, labelW, true), pad(amount(x.f(r.Local)), numW, false),
			pad(amount(x.f(r.Cloud)), numW, false), pad(amount(x.f(r.Hybrid)), numW, false))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, t("per_request", map[string]any{"Cloud": euroFine(r.CloudPerRequest).Text(lang), "Energy": euroFine(r.EnergyPerRequest).Text(lang),
		"Invest": amount(r.HardwareInvestEUR), "Verdict": fmt.Sprintf("%q", p.Local.HardwareVerdict)}))
	if r.BreakEvenRequestsPerMonth != nil {
		above := t("local")
		if !r.LocalCheaperAboveBreakEven {
			above = t("cloud")
		}
		fmt.Fprintln(w, t("break_even", map[string]any{"Requests": count(*r.BreakEvenRequestsPerMonth).Text(lang), "Cheaper": above}))
	} else {
		fmt.Fprintln(w, t("no_break_even"))
	}
	fmt.Fprintf(w, "\n%s\n", r.Recommendation.Title)
	for _, reason := range r.Recommendation.Reasons {
		fmt.Fprintf(w, "  • %s\n", reason)
	}
}
