package bench

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Comparison puts runs of the same bundle side by side: the framework
// comparison (the same model on Ollama and llama.cpp server, say) and,
// later, local against cloud. Format: docs/bench.md.
type Comparison struct {
	Runs     []CompareRun    `json:"runs"`
	Prompts  []ComparePrompt `json:"prompts"`
	Warnings []string        `json:"warnings"` // why the runs may not be comparable; German, or Localize's language
	// warnings are the message ids behind Warnings.
	warnings []i18n.Msg
}

// Localize returns the comparison with its warnings in lang ("de", "en").
// One read back from JSON has no message ids and is returned as it is.
func (c Comparison) Localize(lang string) Comparison {
	if len(c.warnings) == 0 {
		return c
	}
	c.Warnings = i18n.Texts(c.warnings, lang)
	return c
}

// CompareRun is one run's identity and score.
type CompareRun struct {
	RunID          int64       `json:"run_id"`
	Runtime        string      `json:"runtime"`
	RuntimeVersion string      `json:"runtime_version"`
	Protocol       string      `json:"protocol"`
	Endpoint       string      `json:"endpoint"`
	Model          ModelInfo   `json:"model"`
	Bundle         BundleRef   `json:"bundle"`
	Complete       bool        `json:"complete"`
	Score          *float64    `json:"score"`
	ScoreParts     *ScoreParts `json:"score_parts"`
	ChecksPassed   int         `json:"checks_passed"`
	ChecksTotal    int         `json:"checks_total"`
}

// ComparePrompt is one prompt's figures in each run (same order as Runs;
// null where a run lacks the prompt).
type ComparePrompt struct {
	PromptID string           `json:"prompt_id"`
	Results  []*PromptSummary `json:"results"`
}

// Compare builds the comparison of runs.
func Compare(runs ...*Result) Comparison {
	var c Comparison
	var order []string
	seen := map[string]bool{}
	per := make([]map[string]PromptSummary, len(runs))
	for i, r := range runs {
		rep := NewReport(r)
		c.Runs = append(c.Runs, CompareRun{RunID: r.RunID, Runtime: r.Runtime, RuntimeVersion: r.RuntimeVersion,
			Protocol: r.Protocol, Endpoint: r.Endpoint, Model: r.Model, Bundle: r.Bundle, Complete: r.Complete,
			Score: rep.Score, ScoreParts: rep.ScoreParts, ChecksPassed: rep.ChecksPassed, ChecksTotal: rep.ChecksTotal})
		per[i] = map[string]PromptSummary{}
		for _, p := range rep.PromptStats {
			per[i][p.PromptID] = p.PromptSummary
			if !seen[p.PromptID] {
				seen[p.PromptID] = true
				order = append(order, p.PromptID)
			}
		}
	}
	for _, id := range order {
		cp := ComparePrompt{PromptID: id}
		for i := range runs {
			if ps, ok := per[i][id]; ok {
				cp.Results = append(cp.Results, &ps)
			} else {
				cp.Results = append(cp.Results, nil)
			}
		}
		c.Prompts = append(c.Prompts, cp)
	}
	c.Warnings = []string{}
	warn := func(id string, data map[string]any) {
		c.warnings = append(c.warnings, i18n.Msg{ID: "bench.warning." + id, Data: data})
	}
	if len(runs) > 1 {
		a := runs[0]
		for _, b := range runs[1:] {
			if a.Bundle.ID != b.Bundle.ID || a.Bundle.SHA256 != b.Bundle.SHA256 {
				warn("bundle", map[string]any{"RunA": a.RunID, "BundleA": a.Bundle.ID + " " + a.Bundle.Version, "RunB": b.RunID, "BundleB": b.Bundle.ID + " " + b.Bundle.Version})
			}
			if a.Model.Name != b.Model.Name && (a.Model.Digest == "" || a.Model.Digest != b.Model.Digest) {
				warn("model", map[string]any{"RunA": a.RunID, "ModelA": a.Model.Name, "RunB": b.RunID, "ModelB": b.Model.Name})
			} else if a.Model.Quantization != b.Model.Quantization && a.Model.Quantization != "" && b.Model.Quantization != "" {
				warn("quantization", map[string]any{"A": a.Model.Quantization, "B": b.Model.Quantization})
			}
			if !b.Complete || !a.Complete {
				warn("incomplete", nil)
			}
		}
	}
	return c.Localize(i18n.Default)
}

// WriteCompareText prints a comparison for people in lang ("de", "en").
func WriteCompareText(w io.Writer, lang string, c Comparison) error {
	c = c.Localize(lang)
	t := func(id string, data ...any) string { return i18n.T(lang, "bench.compare."+id, data...) }
	for _, warn := range c.Warnings {
		fmt.Fprintln(w, t("warning", map[string]any{"Text": warn}))
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprint(tw, "\t")
	for _, r := range c.Runs {
		fmt.Fprintf(tw, "%s\t", t("run", map[string]any{"Run": r.RunID, "Runtime": r.Runtime, "Version": r.RuntimeVersion, "Model": r.Model.Name}))
	}
	fmt.Fprintln(tw)
	row := func(label string, f func(*PromptSummary) string) {
		for _, p := range c.Prompts {
			fmt.Fprintf(tw, "%s %s\t", p.PromptID, label)
			for _, ps := range p.Results {
				if ps == nil {
					fmt.Fprint(tw, "–\t")
					continue
				}
				fmt.Fprintf(tw, "%s\t", f(ps))
			}
			fmt.Fprintln(tw)
		}
	}
	row("Decode tok/s", func(p *PromptSummary) string { return fmtStat(lang, p.DecodeTPS, 1) })
	row("Prompt tok/s", func(p *PromptSummary) string { return fmtStat(lang, p.PromptTPS, 0) })
	row("TTFT ms", func(p *PromptSummary) string { return fmtStat(lang, p.TTFTms, 0) })
	row(t("total_ms"), func(p *PromptSummary) string { return fmtStat(lang, p.E2Ems, 0) })
	fmt.Fprint(tw, "Score\t")
	for _, r := range c.Runs {
		if r.Score == nil {
			fmt.Fprint(tw, "–\t")
		} else {
			fmt.Fprintf(tw, "%s\t", i18n.Decimal(lang, *r.Score, 1))
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "%s\t", t("checks"))
	for _, r := range c.Runs {
		fmt.Fprintf(tw, "%d/%d\t", r.ChecksPassed, r.ChecksTotal)
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}
