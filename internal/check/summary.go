package check

import (
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/report"
)

// Summary is the one-paragraph German summary of a check that the
// headless run prints and the GUI shows at the end.
func Summary(r *report.Report, exported report.Files) string {
	var b strings.Builder
	b.WriteString(report.OverallSentence(r.Summary.Overall))
	counts := map[string]int{}
	for _, v := range r.Summary.Verdicts {
		counts[v.Level]++
	}
	if n := len(r.Summary.Verdicts); n > 0 {
		fmt.Fprintf(&b, " Von %d geprüften Anwendungen sind %d bereit, %d eingeschränkt und %d nicht bereit.",
			n, counts[report.LevelReady], counts[report.LevelLimited], counts[report.LevelNotReady])
	}
	var done, missing []string
	for _, s := range r.Summary.Steps {
		if s.Status == report.StepDone {
			done = append(done, report.StepLabel(s.Name))
		} else {
			missing = append(missing, report.StepLabel(s.Name)+" ("+stepWord(s.Status)+")")
		}
	}
	if len(done) > 0 {
		fmt.Fprintf(&b, " Durchgeführt: %s.", strings.Join(done, ", "))
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, " Nicht durchgeführt: %s.", strings.Join(missing, ", "))
	}
	if r.Status == report.StatusIncomplete {
		b.WriteString(" Der Bericht ist unvollständig und enthält nur, was gemessen wurde.")
	}
	fmt.Fprintf(&b, " Geräte-ID %s.", r.Device.DeviceID)
	if exported.JSON != "" {
		fmt.Fprintf(&b, " Der signierte Bericht liegt in %s, die lesbare Fassung in %s.", exported.JSON, exported.PDF)
	}
	return b.String()
}

func stepWord(status string) string {
	switch status {
	case report.StepSkipped:
		return "übersprungen"
	case report.StepCancelled:
		return "abgebrochen"
	case report.StepFailed:
		return "fehlgeschlagen"
	}
	return status
}
