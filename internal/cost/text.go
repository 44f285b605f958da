package cost

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText prints the result as a table and the recommendation, in
// German, as `kicheck cost` shows it.
func WriteText(w io.Writer, p Params, r Result) {
	fmt.Fprintf(w, "Kostenvergleich: %s Anfragen im Monat (%d Nutzende × %s je Tag × %s Arbeitstage), je Anfrage %s Tokens Eingabe und %s Tokens Ausgabe\n\n",
		number(r.RequestsPerMonth), p.Usage.Users, decimal(p.Usage.RequestsPerUserPerDay), decimal(p.Usage.WorkingDaysPerMonth),
		number(p.Usage.TokensInPerRequest), number(p.Usage.TokensOutPerRequest))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tlokal\tCloud\thybrid\t\n")
	row := func(name string, f func(Breakdown) float64) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, euro(f(r.Local)), euro(f(r.Cloud)), euro(f(r.Hybrid)))
	}
	row("Hardware (Abschreibung)", func(b Breakdown) float64 { return b.Hardware })
	row("Strom", func(b Breakdown) float64 { return b.Energy })
	row("IT-Betreuung", func(b Breakdown) float64 { return b.Admin })
	row("Cloud-Nutzung", func(b Breakdown) float64 { return b.CloudUsage })
	row("Cloud-Grundgebühr", func(b Breakdown) float64 { return b.CloudFixed })
	row("pro Monat", func(b Breakdown) float64 { return b.Monthly })
	row(fmt.Sprintf("über %d Monate", r.HorizonMonths), func(b Breakdown) float64 { return b.Horizon })
	tw.Flush()
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
