package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Report is a stored run as `kicheck bench --json` prints it: the run's
// identity, each prompt's statistics and its raw samples, and the score
// with its parts. Format: docs/bench.md.
type Report struct {
	*Result
	Score        *float64       `json:"score"`
	ScoreParts   *ScoreParts    `json:"score_parts"`
	PromptStats  []PromptReport `json:"prompt_results"`
	ChecksPassed int            `json:"checks_passed"`
	ChecksTotal  int            `json:"checks_total"`
}

// PromptReport is one prompt: statistics plus the raw samples.
type PromptReport struct {
	PromptSummary
	Samples []Sample `json:"samples"`
}

// NewReport builds the report of a run.
func NewReport(r *Result) Report {
	rep := Report{Result: r}
	var sums []PromptSummary
	for _, p := range r.Prompts {
		ps := SummarizePrompt(p)
		sums = append(sums, ps)
		rep.PromptStats = append(rep.PromptStats, PromptReport{PromptSummary: ps, Samples: p.Samples})
		rep.ChecksPassed += ps.ChecksPassed
		rep.ChecksTotal += ps.ChecksTotal
	}
	rep.Score, rep.ScoreParts = Score(sums)
	return rep
}

// MarshalJSON leaves the Result's raw prompts out (they are in
// prompt_results) and writes NaN (not measured) as null.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	cp := plain(r)
	res := *r.Result
	res.Prompts = nil
	cp.Result = &res
	b, err := json.Marshal(jsonSafe(cp))
	return b, err
}

// jsonSafe round-trips v through a NaN-tolerant encoding: encoding/json
// refuses NaN, and "not measured" must read as null.
func jsonSafe(v any) any {
	return nanSafe{v}
}

type nanSafe struct{ v any }

func (n nanSafe) MarshalJSON() ([]byte, error) {
	return marshalNaNAsNull(n.v)
}

// WriteText prints a run for people in lang ("de", "en"): one line per
// prompt with medians and spread, client and runtime figures side by side.
func WriteText(w io.Writer, lang string, r *Result) error {
	rep := NewReport(r)
	t := func(id string, data ...any) string { return i18n.T(lang, "bench.text."+id, data...) }
	num := func(v float64, prec int) string { return i18n.Decimal(lang, v, prec) }
	state := t("complete")
	if !r.Complete {
		state = t("incomplete", map[string]any{"Status": r.Status})
	}
	fmt.Fprintln(w, t("run", map[string]any{"Run": r.RunID, "Started": r.Started.Local().Format("2006-01-02 15:04"), "State": state}))
	fmt.Fprintln(w, t("runtime", map[string]any{"Runtime": r.Runtime, "Version": r.RuntimeVersion, "Endpoint": r.Endpoint, "Protocol": r.Protocol}))
	fmt.Fprintln(w, t("model", map[string]any{"Model": strings.Join([]string{r.Model.Name, r.Model.Quantization, r.Model.Parameters, shortDigest(r.Model.Digest)}, " ")}))
	fmt.Fprintln(w, t("bundle", map[string]any{"Bundle": r.Bundle.ID, "Version": r.Bundle.Version, "SHA": shortDigest(r.Bundle.SHA256), "Repeat": r.Repeat, "Warmup": r.Warmup}))
	if !math.IsNaN(r.Load.ClientMS) {
		runtimeMS := "–"
		if !math.IsNaN(r.Load.RuntimeMS) {
			runtimeMS = num(r.Load.RuntimeMS, 0) + " ms"
		}
		fmt.Fprintln(w, t("load", map[string]any{"Client": num(r.Load.ClientMS, 0), "Runtime": runtimeMS}))
	}
	if r.Error != "" {
		fmt.Fprintln(w, t("error", map[string]any{"Error": r.Error}))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, t("table_head"))
	for _, p := range rep.PromptStats {
		checks := "–"
		if p.ChecksTotal > 0 {
			checks = fmt.Sprintf("%d/%d", p.ChecksPassed, p.ChecksTotal)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s/%s\t%s\t\n", p.PromptID, p.Repetitions,
			fmtStat(lang, p.DecodeTPS, 1), fmtStat(lang, p.RuntimeDecodeTPS, 1), fmtStat(lang, p.PromptTPS, 0), fmtStat(lang, p.RuntimePromptTPS, 0),
			fmtStat(lang, p.TTFTms, 0), num(p.TokensIn.Median, 0), num(p.TokensOut.Median, 0), checks)
	}
	tw.Flush()
	fmt.Fprintln(w)
	if rep.Score != nil {
		sp := rep.ScoreParts
		fmt.Fprintln(w, t("score", map[string]any{"Score": num(*rep.Score, 1), "Prompt": num(sp.PromptTPS, 1), "Decode": num(sp.DecodeTPS, 1), "TTFT": num(sp.TTFTms, 0)}))
	} else {
		fmt.Fprintln(w, t("no_score"))
	}
	if rep.ChecksTotal > 0 {
		fmt.Fprintln(w, t("checks_passed", map[string]any{"Passed": rep.ChecksPassed, "Total": rep.ChecksTotal}))
	}
	return nil
}

// fmtStat prints "median ±stddev" in lang's number format, or "–" when
// not measured.
func fmtStat(lang string, s Stat, prec int) string {
	if s.N == 0 {
		return "–"
	}
	return i18n.Decimal(lang, s.Median, prec) + " ±" + i18n.Decimal(lang, s.Stddev, prec)
}

func shortDigest(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		return d[:12]
	}
	return d
}
