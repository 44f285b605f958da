package load

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Table writes the levels as a text table in lang: p50 with its 95 %
// interval in brackets, goodput with its Wilson interval.
func Table(r *Result, lang string) string {
	dec := func(v float64, p int) string { return i18n.Decimal(lang, v, p) }
	q := func(d Quantile) string {
		if math.IsNaN(d.Value) {
			return "–"
		}
		return dec(d.Value, 0) + " [" + dec(d.Lo, 0) + "–" + dec(d.Hi, 0) + "]"
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	var head []string
	for _, id := range []string{"level", "requests", "ok", "req_s", "tok_s", "tok_s_user", "ttft50", "ttft90", "itl50", "tpot50", "e2e50", "goodput", "errors"} {
		head = append(head, i18n.T(lang, "load.col."+id))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, l := range r.Levels {
		var errs []string
		for k, v := range l.Errors {
			errs = append(errs, fmt.Sprintf("%s %d", i18n.T(lang, "load.error_kind."+k), v))
		}
		sort.Strings(errs)
		e := strings.Join(errs, ", ")
		if e == "" {
			e = "–"
		}
		fmt.Fprintln(tw, strings.Join([]string{fmt.Sprint(l.Level), fmt.Sprint(l.Requests), fmt.Sprint(l.OK), dec(l.ReqPerS, 2),
			dec(l.TokPerS, 1), dec(l.TokPerSPU, 1), q(l.TTFT.P50), dec(l.TTFT.P90.Value, 0), dec(l.ITL.P50.Value, 1), dec(l.TPOT.P50.Value, 1),
			q(l.E2E.P50), dec(100*l.Goodput.P, 0) + " % [" + dec(100*l.Goodput.Lo, 0) + "–" + dec(100*l.Goodput.Hi, 0) + "]", e}, "\t")+"\t")
	}
	tw.Flush()
	return strings.TrimRight(b.String(), "\n")
}
