package compare

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ki-reise/kicheck/internal/bench"
)

// WriteText prints the comparison in German, as `kicheck compare` shows it.
func WriteText(w io.Writer, c Comparison) error {
	fmt.Fprintf(w, "Vergleich lokal ↔ Cloud, Prüfpaket %s %s\n\n", c.Local.Bundle.ID, c.Local.Bundle.Version)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\tlokal (Lauf %d)\tCloud (Lauf %d)\n", c.Local.RunID, c.Cloud.RunID)
	fmt.Fprintf(tw, "Adresse\t%s\t%s\n", c.Local.Endpoint, c.Cloud.Endpoint)
	fmt.Fprintf(tw, "Modell\t%s\t%s\n", c.Local.Model, c.Cloud.Model)
	fmt.Fprintf(tw, "Erstes Token (TTFT)\t%s\t%s\n", statText(c.Local.TTFTms, "ms", 0), statText(c.Cloud.TTFTms, "ms", 0))
	fmt.Fprintf(tw, "Tokens/s (Ausgabe)\t%s\t%s\n", statText(c.Local.DecodeTPS, "", 1), statText(c.Cloud.DecodeTPS, "", 1))
	fmt.Fprintf(tw, "Gesamtdauer je Antwort\t%s\t%s\n", statText(c.Local.E2Ems, "ms", 0), statText(c.Cloud.E2Ems, "ms", 0))
	fmt.Fprintf(tw, "Prüfungen bestanden\t%s\t%s\n", passText(c.Local), passText(c.Cloud))
	fmt.Fprintf(tw, "Netzwerkanteil\t%s\t%s\n", networkText(c.Local.Network), networkText(c.Cloud.Network))
	consent := "–"
	if k := c.Cloud.Consent; k != nil {
		consent = fmt.Sprintf("erteilt am %s für %s (%s)", k.GivenAt.Local().Format("02.01.2006 15:04"), k.Host, k.Via)
	}
	fmt.Fprintf(tw, "Zustimmung zum Versand\t–\t%s\n", consent)
	tw.Flush()

	fmt.Fprintf(w, "\nJe Aufgabe (Median; lokal | Cloud):\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Aufgabe\tTTFT ms\tTokens/s\tGesamt ms\tPrüfungen\tÄhnlichkeit\n")
	for _, p := range c.Prompts {
		sim := "–"
		if p.Similarity != nil {
			sim = fmt.Sprintf("%.0f %%", *p.Similarity*100)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.PromptID,
			pair(p, func(f *PromptFigures) string { return fmt.Sprintf("%.0f", f.TTFTms) }),
			pair(p, func(f *PromptFigures) string { return de(fmt.Sprintf("%.1f", f.DecodeTPS)) }),
			pair(p, func(f *PromptFigures) string { return fmt.Sprintf("%.0f", f.E2Ems) }),
			pair(p, func(f *PromptFigures) string { return rateText(f.PassRate) }),
			sim)
	}
	tw.Flush()

	fmt.Fprintf(w, "\nUnterschiede der Antworten (Wortebene, erste gemessene Antwort; [-nur lokal-] {+nur Cloud+}):\n")
	for _, p := range c.Prompts {
		if p.Similarity == nil {
			continue
		}
		if *p.Similarity == 1 {
			fmt.Fprintf(w, "  %s: gleiche Wörter\n", p.PromptID)
			continue
		}
		fmt.Fprintf(w, "  %s (%.0f %% gleich): %s\n", p.PromptID, *p.Similarity*100, p.WordDiff)
	}
	for _, warn := range c.Warnings {
		fmt.Fprintf(w, "Achtung: %s\n", warn)
	}
	return nil
}

func pair(p Prompt, f func(*PromptFigures) string) string {
	l, r := "–", "–"
	if p.Local != nil {
		l = f(p.Local)
	}
	if p.Cloud != nil {
		r = f(p.Cloud)
	}
	return l + " | " + r
}

func statText(s bench.Stat, unit string, prec int) string {
	if s.N == 0 {
		return "–"
	}
	u := ""
	if unit != "" {
		u = " " + unit
	}
	return de(fmt.Sprintf("%.*f%s (%.*f–%.*f, σ %.*f, n=%d)", prec, s.Median, u, prec, s.Min, prec, s.Max, prec, s.Stddev, s.N))
}

func rateText(r *float64) string {
	if r == nil {
		return "–"
	}
	return fmt.Sprintf("%.0f %%", *r*100)
}

func passText(s Side) string {
	if s.ChecksTotal == 0 {
		return "–"
	}
	return fmt.Sprintf("%d von %d (%s)", s.ChecksPassed, s.ChecksTotal, rateText(s.PassRate))
}

func networkText(n *Network) string {
	if n == nil {
		return "–"
	}
	parts := []string{}
	if n.ConnectMs.N > 0 {
		parts = append(parts, fmt.Sprintf("TCP %.0f ms, TLS %.0f ms (neue Verbindungen: %d)", n.ConnectMs.Median, n.TLSMs.Median, n.ConnectMs.N))
	}
	parts = append(parts, fmt.Sprintf("bis Antwortkopf %.0f ms", n.HeadersMs.Median))
	if n.Retries > 0 {
		parts = append(parts, fmt.Sprintf("%d Wiederholung(en) wegen Anfragelimit (429)", n.Retries))
	}
	return strings.Join(parts, "; ")
}

// de writes decimal points the German way.
func de(s string) string { return strings.ReplaceAll(s, ".", ",") }
