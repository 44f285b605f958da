package compare

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// WriteText prints the comparison in lang ("de", "en"), as `kicheck
// compare` and the "Lokal oder Cloud" screen show it.
func WriteText(w io.Writer, lang string, c Comparison) error {
	c = c.Localize(lang)
	t := func(id string, data ...any) string { return i18n.T(lang, "compare.text."+id, data...) }
	num := func(v float64, prec int) string { return i18n.Decimal(lang, v, prec) }
	fmt.Fprintf(w, "%s\n\n", t("heading", map[string]any{"Bundle": c.Local.Bundle.ID, "Version": c.Local.Bundle.Version}))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\t%s\t%s\n", t("local_run", map[string]any{"Run": c.Local.RunID}), t("cloud_run", map[string]any{"Run": c.Cloud.RunID}))
	fmt.Fprintf(tw, "%s\t%s\t%s\n", t("address"), c.Local.Endpoint, c.Cloud.Endpoint)
	fmt.Fprintf(tw, "%s\t%s\t%s\n", t("model"), c.Local.Model, c.Cloud.Model)
	fmt.Fprintf(tw, "%s\t%s\t%s\n", t("ttft"), statText(lang, c.Local.TTFTms, "ms", 0), statText(lang, c.Cloud.TTFTms, "ms", 0))
	fmt.Fprintf(tw, "%s\t%s\t%s\n", t("tps"), statText(lang, c.Local.DecodeTPS, "", 1), statText(lang, c.Cloud.DecodeTPS, "", 1))
	fmt.Fprintf(tw, "%s\t%s\t%s\n", t("e2e"), statText(lang, c.Local.E2Ems, "ms", 0), statText(lang, c.Cloud.E2Ems, "ms", 0))
	fmt.Fprintf(tw, "%s\t%s\t%s\n", t("checks_passed"), passText(lang, c.Local), passText(lang, c.Cloud))
	fmt.Fprintf(tw, "%s\t%s\t%s\n", t("network"), networkText(lang, c.Local.Network), networkText(lang, c.Cloud.Network))
	consent := "–"
	if k := c.Cloud.Consent; k != nil {
		consent = t("consent_given", map[string]any{"When": dateTime(lang, k.GivenAt), "Host": k.Host, "Via": k.Via})
	}
	fmt.Fprintf(tw, "%s\t–\t%s\n", t("consent"), consent)
	tw.Flush()

	fmt.Fprintf(w, "\n%s\n", t("per_prompt"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tTTFT ms\tTokens/s\t%s\t%s\t%s\n", t("prompt"), t("total_ms"), t("checks"), t("similarity"))
	for _, p := range c.Prompts {
		sim := "–"
		if p.Similarity != nil {
			sim = percentText(lang, *p.Similarity)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.PromptID,
			pair(p, func(f *PromptFigures) string { return num(f.TTFTms, 0) }),
			pair(p, func(f *PromptFigures) string { return num(f.DecodeTPS, 1) }),
			pair(p, func(f *PromptFigures) string { return num(f.E2Ems, 0) }),
			pair(p, func(f *PromptFigures) string { return rateText(lang, f.PassRate) }),
			sim)
	}
	tw.Flush()

	fmt.Fprintf(w, "\n%s\n", t("diffs"))
	for _, p := range c.Prompts {
		if p.Similarity == nil {
			continue
		}
		if *p.Similarity == 1 {
			fmt.Fprintf(w, "  %s\n", t("same_words", map[string]any{"Prompt": p.PromptID}))
			continue
		}
		fmt.Fprintf(w, "  %s\n", t("diff", map[string]any{"Prompt": p.PromptID, "Share": percentText(lang, *p.Similarity), "Diff": p.WordDiff}))
	}
	for _, warn := range c.Warnings {
		fmt.Fprintf(w, "%s\n", t("warning", map[string]any{"Text": warn}))
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

func statText(lang string, s bench.Stat, unit string, prec int) string {
	if s.N == 0 {
		return "–"
	}
	u := ""
	if unit != "" {
		u = " " + unit
	}
	num := func(v float64) string { return i18n.Decimal(lang, v, prec) }
	return fmt.Sprintf("%s%s (%s–%s, σ %s, n=%d)", num(s.Median), u, num(s.Min), num(s.Max), num(s.Stddev), s.N)
}

// percentText writes a share (1 = 100 %) the language's way: "75 %", "75%".
func percentText(lang string, share float64) string {
	if lang == "en" {
		return i18n.Decimal(lang, share*100, 0) + "%"
	}
	return i18n.Decimal(lang, share*100, 0) + " %"
}

func rateText(lang string, r *float64) string {
	if r == nil {
		return "–"
	}
	return percentText(lang, *r)
}

func passText(lang string, s Side) string {
	if s.ChecksTotal == 0 {
		return "–"
	}
	return i18n.T(lang, "compare.text.passed", map[string]any{"Passed": s.ChecksPassed, "Total": s.ChecksTotal, "Rate": rateText(lang, s.PassRate)})
}

func networkText(lang string, n *Network) string {
	if n == nil {
		return "–"
	}
	ms := func(v float64) string { return i18n.Decimal(lang, v, 0) }
	parts := []string{}
	if n.ConnectMs.N > 0 {
		parts = append(parts, i18n.T(lang, "compare.text.net_connect", map[string]any{"TCP": ms(n.ConnectMs.Median), "TLS": ms(n.TLSMs.Median), "New": n.ConnectMs.N}))
	}
	parts = append(parts, i18n.T(lang, "compare.text.net_headers", map[string]any{"Headers": ms(n.HeadersMs.Median)}))
	if n.Retries > 0 {
		parts = append(parts, i18n.T(lang, "compare.text.net_retries", map[string]any{"Retries": n.Retries}))
	}
	return strings.Join(parts, "; ")
}

// dateTime writes a time in the local zone: 02.01.2006 15:04 in German,
// 2006-01-02 15:04 in English.
func dateTime(lang string, t time.Time) string {
	if lang == "en" {
		return t.Local().Format("2006-01-02 15:04")
	}
	return t.Local().Format("02.01.2006 15:04")
}
