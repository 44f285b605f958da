package check

import (
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
)

// Summary is the plain text a clerk reads at the end of a check, in lang:
// the overall sentence, how many applications are ready, which steps ran
// and where the report is.
func Summary(r *report.Report, exported report.Files, lang string) string {
	t := func(id string, data map[string]any) string { return i18n.T(lang, id, data) }
	parts := []string{report.OverallSentence(r.Summary.Overall, lang)}
	counts := map[string]int{}
	for _, v := range r.Summary.Verdicts {
		counts[v.Level]++
	}
	if n := len(r.Summary.Verdicts); n > 0 {
		parts = append(parts, t("report.summary.counts", map[string]any{"N": n, "Ready": counts[report.LevelReady],
			"Limited": counts[report.LevelLimited], "NotReady": counts[report.LevelNotReady]}))
	}
	var done, missing []string
	for _, s := range r.Summary.Steps {
		if s.Status == report.StepDone {
			done = append(done, report.StepLabel(s.Name, lang))
			continue
		}
		m := report.StepLabel(s.Name, lang) + " (" + report.StepStatus(s.Status, lang)
		if msg := report.StepMessage(s, lang); msg != "" {
			m += ": " + msg
		}
		missing = append(missing, m+")")
	}
	if len(done) > 0 {
		parts = append(parts, t("report.summary.done", map[string]any{"Steps": strings.Join(done, ", ")}))
	}
	if len(missing) > 0 {
		parts = append(parts, t("report.summary.missing", map[string]any{"Steps": strings.Join(missing, ", ")}))
	}
	if r.Status == report.StatusIncomplete {
		parts = append(parts, t("report.summary.incomplete", nil))
	}
	parts = append(parts, t("report.summary.device", map[string]any{"Device": r.Device.DeviceID}))
	if exported.JSON != "" {
		parts = append(parts, t("report.summary.files", map[string]any{"JSON": exported.JSON, "PDF": exported.PDF}))
	}
	return strings.Join(parts, " ")
}
