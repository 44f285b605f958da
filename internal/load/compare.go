package load

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/runtime"
)

// CompareTable puts runs side by side, one column each (the framework
// comparison: the same load against each runtime or setting): the
// answer, saturation, peak throughput, the first token at one request and
// at the highest level all runs measured, errors and the slots. A line
// above the table says when the runs did not carry the same load.
func CompareTable(rs []*Result, lang string) string {
	var b strings.Builder
	if !sameLoad(rs) {
		b.WriteString(i18n.T(lang, "load.cmp.different_load") + "\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, row := range compareCells(rs, lang) {
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	return strings.TrimRight(b.String(), "\n")
}

func decOrDash(lang string, v float64, p int) string {
	if math.IsNaN(v) {
		return "–"
	}
	return i18n.Decimal(lang, v, p)
}

// compareCells are the comparison's rows: the figure's name, then one
// cell per run.
func compareCells(rs []*Result, lang string) [][]string {
	T := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	dec := func(v float64, p int) string {
		if math.IsNaN(v) {
			return "–"
		}
		return i18n.Decimal(lang, v, p)
	}
	common := commonLevel(rs)
	rows := [][]string{{T("load.cmp.run")}, {T("common.model")}, {T("load.html.server")}, {T("load.html.shape")},
		{T("load.cmp.answer")}, {T("load.cmp.saturation")}, {T("load.cmp.peak")}, {T("load.cmp.ttft1")},
		{T("load.cmp.ttft_at", map[string]any{"N": common})}, {T("load.cmp.e2e_at", map[string]any{"N": common})},
		{T("load.cmp.tok_at", map[string]any{"N": common})}, {T("load.cmp.errors")}, {T("load.cmp.slots")}}
	for i, r := range rs {
		label := r.Label
		if label == "" {
			label = fmt.Sprintf("%d", i+1)
		}
		ans := "–"
		if r.Answer != nil {
			ans = T("load.cmp.answer_cell", map[string]any{"N": r.Answer.Clerks, "X": dec(100*r.Answer.Goodput.P, 0),
				"Lo": dec(100*r.Answer.Goodput.Lo, 0), "Hi": dec(100*r.Answer.Goodput.Hi, 0)})
			if !r.Answer.Reached {
				ans = T("load.cmp.answer_none", map[string]any{"N": r.Answer.Clerks})
			}
		}
		sat := "–"
		if r.Saturation > 0 {
			sat = fmt.Sprint(r.Saturation)
		}
		peak, peakAt := 0.0, 0
		errs := 0
		for _, l := range r.Levels {
			if l.TokPerS > peak {
				peak, peakAt = l.TokPerS, l.Level
			}
			for _, n := range l.Errors {
				errs += n
			}
		}
		ttft1, ttftC, e2eC, tokC := math.NaN(), math.NaN(), math.NaN(), math.NaN()
		for _, l := range r.Levels {
			if l.Level == 1 {
				ttft1 = l.TTFT.P50.Value
			}
			if l.Level == common {
				ttftC, e2eC, tokC = l.TTFT.P50.Value, l.E2E.P50.Value, l.TokPerS
			}
		}
		slots := "–"
		if r.Slots != nil && r.Shape == ShapeSweep {
			switch {
			case !r.Slots.Inferred:
				slots = T("load.cmp.slots_unreadable")
			case r.Slots.AtLeast:
				slots = "≥ " + fmt.Sprint(r.Slots.Lo) + " " + T("load.cmp.inferred")
			case r.Slots.Lo == r.Slots.Hi:
				slots = fmt.Sprint(r.Slots.Lo) + " " + T("load.cmp.inferred")
			default:
				slots = fmt.Sprintf("%d–%d ", r.Slots.Lo, r.Slots.Hi) + T("load.cmp.inferred")
			}
		}
		shape := T("load.shape." + r.Shape)
		if !r.Complete {
			shape += " (" + T("common.incomplete") + ")"
		}
		cells := []string{i18n.Escape(label), i18n.Escape(r.Model), i18n.Escape(r.URL), shape, ans, sat,
			dec(peak, 0) + " tok/s @ " + fmt.Sprint(peakAt), dec(ttft1, 0) + " ms", dec(ttftC, 0) + " ms", dec(e2eC, 0) + " ms",
			dec(tokC, 0) + " tok/s", fmt.Sprint(errs), slots}
		for j := range rows {
			rows[j] = append(rows[j], cells[j])
		}
	}
	return rows
}

// commonLevel is the highest level every run measured (0 = none).
func commonLevel(rs []*Result) int {
	var common []int
	for i, r := range rs {
		var ls []int
		for _, l := range r.Levels {
			ls = append(ls, l.Level)
		}
		if i == 0 {
			common = ls
			continue
		}
		common = slices.DeleteFunc(common, func(v int) bool { return !slices.Contains(ls, v) })
	}
	if len(common) == 0 {
		return 0
	}
	return slices.Max(common)
}

// sameLoad reports whether the runs had the same shape and mix.
func sameLoad(rs []*Result) bool {
	key := func(r *Result) string {
		var ids []string
		for _, w := range r.Mix {
			ids = append(ids, fmt.Sprintf("%s=%g/%d", w.ID, w.Weight, w.MaxTokens))
		}
		slices.Sort(ids)
		return r.Shape + "|" + strings.Join(ids, ",")
	}
	for _, r := range rs[1:] {
		if key(r) != key(rs[0]) {
			return false
		}
	}
	return true
}

// Target is one runtime (or one setting of it) in a framework comparison.
type Target struct {
	URL      string `json:"url"`
	Protocol string `json:"protocol"`
	Label    string `json:"label"`
	Kind     string `json:"kind"` // internal/runtime's kind
}

// RuntimeTargets turns the runtimes internal/runtime found into targets
// that serve model (Ollama's "name" also matches "name:latest"); the
// others are returned by name, to be reported as skipped.
func RuntimeTargets(rts []runtime.Runtime, model string) (ts []Target, skipped []string) {
	for _, rt := range rts {
		has := false
		for _, m := range rt.Models {
			if m.ID == model || strings.TrimSuffix(m.ID, ":latest") == model {
				has = true
			}
		}
		label := rt.Name
		if rt.Version != "" {
			label += " " + rt.Version
		}
		if u, err := url.Parse(rt.URL); err == nil {
			label += " · " + u.Host
		}
		if !has {
			skipped = append(skipped, label)
			continue
		}
		t := Target{URL: rt.URL, Protocol: ProtocolOpenAI, Label: label, Kind: rt.Kind}
		if rt.Kind == runtime.KindOllama {
			t.Protocol = ProtocolOllama
		}
		ts = append(ts, t)
	}
	return ts, skipped
}

// OnlyOllama reports whether every target is an Ollama: then the
// comparison is between settings of Ollama, not between runtimes, and
// the output says so.
func OnlyOllama(ts []Target) bool {
	for _, t := range ts {
		if t.Kind != runtime.KindOllama {
			return false
		}
	}
	return len(ts) > 0
}

// Compare runs the same load (o) against each target in turn. A target
// that refuses (not a model server, model missing) gets its error in errs
// and no result; a cancel stops the comparison and keeps what was
// measured (the run in progress marked incomplete).
func Compare(ctx context.Context, o Options, ts []Target) (rs []*Result, errs []error) {
	for _, t := range ts {
		if ctx.Err() != nil {
			break
		}
		q := o
		q.URL, q.Protocol, q.Label = t.URL, t.Protocol, t.Label
		r, err := Run(ctx, q)
		errs = append(errs, err)
		if err != nil {
			rs = append(rs, nil)
			continue
		}
		rs = append(rs, r)
	}
	return rs, errs
}

// CompareHTML is the comparison as a self-contained page in lang: the
// side-by-side table, and throughput and median first-token time over
// load with one line per run (every value also in the table).
func CompareHTML(rs []*Result, lang string) ([]byte, error) {
	T := func(id string) string { return i18n.T(lang, id) }
	var xs []int
	for _, r := range rs {
		for _, l := range r.Levels {
			if !slices.Contains(xs, l.Level) {
				xs = append(xs, l.Level)
			}
		}
	}
	slices.Sort(xs)
	colors := []string{"#1f5fa8", "#c25400", "#2e7d32", "#8a1c1c", "#6a1b9a", "#00695c"}
	tp := &chart{Title: T("load.html.chart.throughput"), Unit: "tok/s", XLabel: T("load.html.x.sweep"), Xs: xs}
	tt := &chart{Title: T("load.html.chart.ttft") + " (p50)", Unit: "ms", XLabel: T("load.html.x.sweep"), Xs: xs}
	for i, r := range rs {
		a, b := make([]float64, len(xs)), make([]float64, len(xs))
		for j := range xs {
			a[j], b[j] = math.NaN(), math.NaN()
		}
		for _, l := range r.Levels {
			j := slices.Index(xs, l.Level)
			a[j], b[j] = l.TokPerS, l.TTFT.P50.Value
		}
		name := r.Label
		if name == "" {
			name = fmt.Sprint(i + 1)
		}
		c := colors[i%len(colors)]
		tp.Series = append(tp.Series, series{name, c, a})
		tt.Series = append(tt.Series, series{name, c, b})
	}
	tp.render(lang)
	tt.render(lang)
	// Every charted value as a table: per level, each run's tokens/s and
	// median first token.
	values := [][]string{{T("load.col.level")}}
	for _, s := range tp.Series {
		values[0] = append(values[0], s.Name+": "+T("load.col.tok_s"), s.Name+": "+T("load.col.ttft50"))
	}
	for j, x := range xs {
		row := []string{fmt.Sprint(x)}
		for k := range tp.Series {
			row = append(row, decOrDash(lang, tp.Series[k].Values[j], 0), decOrDash(lang, tt.Series[k].Values[j], 0))
		}
		values = append(values, row)
	}
	data := map[string]any{"Lang": lang, "Title": strings.TrimSuffix(T("load.cmp.heading"), ":"), "Charts": []*chart{tp, tt}, "Table": compareCells(rs, lang),
		"ValueTable": values, "Note": "", "Values": T("load.html.values"), "TableHead": T("load.html.table")}
	if !sameLoad(rs) {
		data["Note"] = T("load.cmp.different_load")
	}
	if onlyOllamaResults(rs) {
		data["Only"] = T("load.cmp.only_ollama")
	}
	var buf bytes.Buffer
	if err := compareTmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func onlyOllamaResults(rs []*Result) bool {
	for _, r := range rs {
		if r.Protocol != ProtocolOllama {
			return false
		}
	}
	return true
}

var compareTmpl = template.Must(template.New("cmp").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #bbb;padding:3px 6px;text-align:left}th{background:#eee}.warn{background:#fff3e0;padding:.5em;border-left:4px solid #c25400}figure{display:inline-block;margin:0 1em 1em 0}</style>
</head><body>
<h1>{{.Title}}</h1>
{{if .Only}}<p class="warn">{{.Only}}</p>{{end}}
{{if .Note}}<p class="warn">{{.Note}}</p>{{end}}
<table>{{range $i, $row := .Table}}<tr>{{range $j, $c := $row}}{{if or (eq $i 0) (eq $j 0)}}<th scope="{{if eq $i 0}}col{{else}}row{{end}}">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</table>
{{range .Charts}}<figure>{{.SVG}}<figcaption>{{.Title}}</figcaption></figure>
{{end}}
<h2>{{.TableHead}}</h2>
<table>{{range $i, $row := .ValueTable}}<tr>{{range $j, $c := $row}}{{if or (eq $i 0) (eq $j 0)}}<th scope="{{if eq $i 0}}col{{else}}row{{end}}">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</table>
<p>{{.Values}}</p>
</body></html>
`))
