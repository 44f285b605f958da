package cost

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteText prints the result as a table and the recommendation, in
// German, as `kicheck cost` shows it.
func WriteText(w io.Writer, p Params, r Result) {
	fmt.Fprintf(w, "Kostenvergleich: %s Anfragen im Monat (%d Nutzende × %s je Tag × %s Arbeitstage), je Anfrage %s Tokens Eingabe und %s Tokens Ausgabe\n\n",
		number(r.RequestsPerMonth), p.Usage.Users, decimal(p.Usage.RequestsPerUserPerDay), decimal(p.Usage.WorkingDaysPerMonth),
		number(p.Usage.TokensInPerRequest), number(p.Usage.TokensOutPerRequest))
	type row struct {
		name string
		f    func(Breakdown) float64
	}
	rows := []row{
		{"Hardware (Abschreibung)", func(b Breakdown) float64 { return b.Hardware }},
		{"Strom", func(b Breakdown) float64 { return b.Energy }},
		{"IT-Betreuung", func(b Breakdown) float64 { return b.Admin }},
		{"Cloud-Nutzung", func(b Breakdown) float64 { return b.CloudUsage }},
		{"Cloud-Grundgebühr", func(b Breakdown) float64 { return b.CloudFixed }},
		{"pro Monat", func(b Breakdown) float64 { return b.Monthly }},
		{fmt.Sprintf("über %d Monate", r.HorizonMonths), func(b Breakdown) float64 { return b.Horizon }},
	}
	// Labels left, amounts right-aligned (widths in characters, not bytes).
	labelW, numW := 0, len("hybrid")
	for _, x := range rows {
		labelW = max(labelW, utf8.RuneCountInString(x.name))
		for _, b := range []Breakdown{r.Local, r.Cloud, r.Hybrid} {
			numW = max(numW, utf8.RuneCountInString(euro(x.f(b))))
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
	fmt.Fprintf(w, "%s  %s  %s  %s\n", pad("", labelW, true), pad("lokal", numW, false), pad("Cloud", numW, false), pad("hybrid", numW, false))
	for _, x := range rows {
		fmt.Fprintf(w, "%s  %s  %s  %s\n", pad(x.name, labelW, true), pad(euro(x.f(r.Local)), numW, false),
			pad(euro(x.f(r.Cloud)), numW, false), pad(euro(x.f(r.Hybrid)), numW, false))
	}
	fmt.Fprintf(w, "\nJe Anfrage: Cloud %s, Strom lokal %s; Investition lokal %s (Hardware-Ergebnis %q).\n",
		euroFine(r.CloudPerRequest), euroFine(r.EnergyPerRequest), euro(r.HardwareInvestEUR), p.Local.HardwareVerdict)
	if r.BreakEvenRequestsPerMonth != nil {
		above := "lokal"
		if !r.LocalCheaperAboveBreakEven {
			above = "Cloud"
		}
		fmt.Fprintf(w, "Gewinnschwelle: %s Anfragen im Monat (darüber ist %s günstiger).\n", number(*r.BreakEvenRequestsPerMonth), above)
	} else {
		fmt.Fprintln(w, "Gewinnschwelle: keine (eine Variante ist bei jeder Menge günstiger).")
	}
	fmt.Fprintf(w, "\n%s\n", r.Recommendation.Title)
	for _, reason := range r.Recommendation.Reasons {
		fmt.Fprintf(w, "  • %s\n", reason)
	}
}

// euroFine shows small per-request amounts with enough digits.
func euroFine(v float64) string { return germanNumber(v, 5) + " €" }
