package quizstats

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// WriteCSV writes one row per item (figures in percent, one decimal, as
// Moodle shows them; empty where a figure is not defined), then one row per
// distractor of choice items. The columns are documented in
// docs/quiz-sessions.md.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"item_id", "title", "area", "n", "facility_pct", "sd_pct", "discrimination_pct", "efficiency_pct", "flags"})
	for _, it := range r.Items {
		cw.Write([]string{it.ID, it.Title, it.Area, fmt.Sprint(it.N), pct(&it.Facility), pct(&it.SD), pct(it.Discrimination), pct(it.Efficiency), strings.Join(it.Flags, "; ")})
	}
	cw.Write(nil)
	cw.Write([]string{"item_id", "option", "fraction", "count", "share_pct", "top_third_pct", "bottom_third_pct", "flag"})
	for _, it := range r.Items {
		for _, d := range it.Distractors {
			cw.Write([]string{it.ID, d.Text, fmt.Sprintf("%g", d.Fraction), fmt.Sprint(d.Count), pct(&d.Share), pct(&d.TopShare), pct(&d.BottomShare), d.Flag})
		}
	}
	cw.Write(nil)
	cw.Write([]string{"participants", "mean_total", "max_total", "cronbach_alpha"})
	alpha := ""
	if r.Alpha != nil {
		alpha = fmt.Sprintf("%.3f", *r.Alpha)
	}
	cw.Write([]string{fmt.Sprint(r.N), fmt.Sprintf("%.2f", r.MeanTotal), fmt.Sprintf("%g", r.MaxTotal), alpha})
	cw.Flush()
	return cw.Error()
}

func pct(f *float64) string {
	if f == nil {
		return ""
	}
	return fmt.Sprintf("%.1f", *f*100)
}
