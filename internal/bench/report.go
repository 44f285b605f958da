package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
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

// WriteText prints a run for people: one line per prompt with medians and
// spread, client and runtime figures side by side.
func WriteText(w io.Writer, r *Result) error {
	rep := NewReport(r)
	state := "vollständig"
	if !r.Complete {
		state = "UNVOLLSTÄNDIG (" + r.Status + ")"
	}
	fmt.Fprintf(w, "Lauf %d  %s  %s\n", r.RunID, r.Started.Local().Format("2006-01-02 15:04"), state)
	fmt.Fprintf(w, "Laufzeit: %s %s (%s, %s)\n", r.Runtime, r.RuntimeVersion, r.Endpoint, r.Protocol)
	fmt.Fprintf(w, "Modell:   %s %s %s %s\n", r.Model.Name, r.Model.Quantization, r.Model.Parameters, shortDigest(r.Model.Digest))
	fmt.Fprintf(w, "Bündel:   %s %s (sha256 %s), %d Wiederholungen, %d Aufwärmläufe\n", r.Bundle.ID, r.Bundle.Version, shortDigest(r.Bundle.SHA256), r.Repeat, r.Warmup)
	if !math.IsNaN(r.Load.ClientMS) {
		fmt.Fprintf(w, "Laden:    %.0f ms (Laufzeit meldet %s)\n", r.Load.ClientMS, fmtMS(r.Load.RuntimeMS))
	}
	if r.Error != "" {
		fmt.Fprintf(w, "Fehler:   %s\n", r.Error)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Prompt\tn\tDecode tok/s\t(Laufzeit)\tPrompt tok/s\t(Laufzeit)\tTTFT ms\tTokens ein/aus\tPrüfungen\t")
	for _, p := range rep.PromptStats {
		checks := "–"
		if p.ChecksTotal > 0 {
			checks = fmt.Sprintf("%d/%d", p.ChecksPassed, p.ChecksTotal)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%.0f/%.0f\t%s\t\n", p.PromptID, p.Repetitions,
			fmtStat(p.DecodeTPS, 1), fmtStat(p.RuntimeDecodeTPS, 1), fmtStat(p.PromptTPS, 0), fmtStat(p.RuntimePromptTPS, 0),
			fmtStat(p.TTFTms, 0), p.TokensIn.Median, p.TokensOut.Median, checks)
	}
	tw.Flush()
	fmt.Fprintln(w)
	if rep.Score != nil {
		sp := rep.ScoreParts
		fmt.Fprintf(w, "Score: %.1f  = ∛(Prompt %.1f tok/s × Decode %.1f tok/s × 1000/TTFT %.0f ms), siehe docs/score.md\n",
			*rep.Score, sp.PromptTPS, sp.DecodeTPS, sp.TTFTms)
	} else {
		fmt.Fprintln(w, "Score: – (zu wenige Messwerte)")
	}
	if rep.ChecksTotal > 0 {
		fmt.Fprintf(w, "Prüfungen bestanden: %d von %d\n", rep.ChecksPassed, rep.ChecksTotal)
	}
	return nil
}

// fmtStat prints "median ±stddev" or "–" when not measured.
func fmtStat(s Stat, prec int) string {
	if s.N == 0 {
		return "–"
	}
	return fmt.Sprintf("%.*f ±%.*f", prec, s.Median, prec, s.Stddev)
}

func fmtMS(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.0f ms", x)
}

func shortDigest(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		return d[:12]
	}
	return d
}
