package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// ExportFormat names the JSON export (docs/schema/load-export.schema.json).
const ExportFormat = "kicheck-load-v1"

// Document is the signed JSON export of one load run for the Sammelstelle.
type Document struct {
	Format     string  `json:"format"`
	Created    string  `json:"created"`
	Version    string  `json:"kicheck_version"`
	Shape      string  `json:"shape"`
	URL        string  `json:"url"`
	Protocol   string  `json:"protocol"`
	Model      string  `json:"model"`
	Started    string  `json:"started"`
	Seconds    float64 `json:"seconds"`
	Complete   bool    `json:"complete"`
	Incomplete string  `json:"incomplete"`
	Clerks     int     `json:"clerks"`
	ThinkS     float64 `json:"think_s"`
	Rate       float64 `json:"rate"`
	Saturation int     `json:"saturation"`
	Answer     *Answer `json:"answer"`
	Mix        []Work  `json:"mix"`
	Levels     []Level `json:"levels"`
	Slots      *Slots  `json:"slots,omitempty"`
	Label      string  `json:"label,omitempty"`
}

// NewDocument is r as an export document.
func NewDocument(r *Result, now time.Time) Document {
	d := Document{Format: ExportFormat, Created: now.UTC().Format(time.RFC3339), Version: buildinfo.Version,
		Shape: r.Shape, URL: r.URL, Protocol: r.Protocol, Model: r.Model, Started: r.Started.UTC().Format(time.RFC3339),
		Seconds: math.Round(r.Seconds*1000) / 1000, Complete: r.Complete, Incomplete: r.Incomplete, Clerks: r.Clerks, ThinkS: r.ThinkS,
		Rate: r.Rate, Saturation: r.Saturation, Answer: r.Answer, Mix: r.Mix, Levels: r.Levels, Slots: r.Slots, Label: r.Label}
	if d.Mix == nil {
		d.Mix = []Work{}
	}
	if d.Levels == nil {
		d.Levels = []Level{}
	}
	return d
}

// JSON is the document's bytes (what is signed).
func (d Document) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// chart is one inline SVG line chart with its values as a table.
type chart struct {
	Title  string
	Unit   string
	XLabel string
	Series []series
	Xs     []int
	SVG    template.HTML
}

type series struct {
	Name   string
	Color  string
	Values []float64
}

func (c *chart) render(lang string) {
	const w, h, pad = 560.0, 240.0, 44.0
	ymax := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				ymax = math.Max(ymax, v)
			}
		}
	}
	if ymax == 0 {
		ymax = 1
	}
	n := len(c.Xs)
	x := func(i int) float64 {
		if n < 2 {
			return pad + (w-2*pad)/2
		}
		return pad + float64(i)*(w-2*pad)/float64(n-1)
	}
	y := func(v float64) float64 { return h - pad - v/ymax*(h-2*pad) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" role="img" aria-label="%s">`, w, h, template.HTMLEscapeString(c.Title))
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#333"/>`, pad, h-pad, w-pad, h-pad)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#333"/>`, pad, pad, pad, h-pad)
	fmt.Fprintf(&b, `<text x="4" y="%.0f" font-size="11">%s</text>`, pad-6, template.HTMLEscapeString(i18n.Decimal(lang, ymax, 1)+" "+c.Unit))
	for i, xv := range c.Xs {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="11" text-anchor="middle">%d</text>`, x(i), h-pad+16, xv)
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="11" text-anchor="middle">%s</text>`, w/2, h-6, template.HTMLEscapeString(c.XLabel))
	for si, s := range c.Series {
		var pts []string
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, x(i), y(v), s.Color)
			}
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, s.Color, strings.Join(pts, " "))
		fmt.Fprintf(&b, `<text x="%.0f" y="%d" font-size="11" fill="%s">%s</text>`, w-pad-150, 14+14*si, s.Color, template.HTMLEscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String())
}

// buildCharts are the page's charts over load: throughput (total and per
// user), first-token and end-to-end percentiles, goodput.
func buildCharts(r *Result, lang string) []*chart {
	T := func(id string) string { return i18n.T(lang, id) }
	var xs []int
	var tp, pu, t50, t90, t99, e50, e90, gp []float64
	for _, l := range r.Levels {
		xs = append(xs, l.Level)
		tp, pu = append(tp, l.TokPerS), append(pu, l.TokPerSPU)
		t50, t90, t99 = append(t50, l.TTFT.P50.Value), append(t90, l.TTFT.P90.Value), append(t99, l.TTFT.P99.Value)
		e50, e90 = append(e50, l.E2E.P50.Value), append(e90, l.E2E.P90.Value)
		gp = append(gp, 100*l.Goodput.P)
	}
	xl := T("load.html.x." + r.Shape)
	charts := []*chart{
		{Title: T("load.html.chart.throughput"), Unit: "tok/s", XLabel: xl, Xs: xs, Series: []series{{T("load.html.series.total"), "#1f5fa8", tp}, {T("load.html.series.per_user"), "#c25400", pu}}},
		{Title: T("load.html.chart.ttft"), Unit: "ms", XLabel: xl, Xs: xs, Series: []series{{"p50", "#1f5fa8", t50}, {"p90", "#c25400", t90}, {"p99", "#8a1c1c", t99}}},
		{Title: T("load.html.chart.e2e"), Unit: "ms", XLabel: xl, Xs: xs, Series: []series{{"p50", "#1f5fa8", e50}, {"p90", "#c25400", e90}}},
		{Title: T("load.html.chart.goodput"), Unit: "%", XLabel: xl, Xs: xs, Series: []series{{T("load.html.series.goodput"), "#2e7d32", gp}}},
	}
	return charts
}

// tableCells are the table's header and rows: every charted value, p50
// and p90 with their 95 % intervals.
func tableCells(r *Result, lang string) ([]string, [][]string) {
	T := func(id string) string { return i18n.T(lang, id) }
	dec := func(v float64, p int) string { return i18n.Decimal(lang, v, p) }
	q := func(d Quantile) string {
		if math.IsNaN(d.Value) {
			return "–"
		}
		s := dec(d.Value, 1)
		if !math.IsNaN(d.Lo) || !math.IsNaN(d.Hi) {
			s += " [" + dec(d.Lo, 1) + "–" + dec(d.Hi, 1) + "]"
		}
		return s
	}
	var rows [][]string
	for _, l := range r.Levels {
		errs := []string{}
		for k, v := range l.Errors {
			errs = append(errs, fmt.Sprintf("%s %d", T("load.error_kind."+k), v))
		}
		rows = append(rows, []string{fmt.Sprint(l.Level), fmt.Sprint(l.Requests), fmt.Sprint(l.OK), dec(l.ReqPerS, 2), dec(l.TokPerS, 1), dec(l.TokPerSPU, 1),
			q(l.TTFT.P50), q(l.TTFT.P90), q(l.TTFT.P99), q(l.ITL.P50), q(l.TPOT.P50), q(l.E2E.P50), q(l.E2E.P90),
			dec(100*l.Goodput.P, 0) + " % [" + dec(100*l.Goodput.Lo, 0) + "–" + dec(100*l.Goodput.Hi, 0) + "]", strings.Join(errs, ", ")})
	}
	heads := []string{}
	for _, id := range []string{"level", "requests", "ok", "req_s", "tok_s", "tok_s_user", "ttft50", "ttft90", "ttft99", "itl50", "tpot50", "e2e50", "e2e90", "goodput", "errors"} {
		heads = append(heads, T("load.col."+id))
	}
	return heads, rows
}

// HTML writes the run as a self-contained page in lang: the answer, the
// throughput and latency charts over load, and every figure as a table.
func HTML(r *Result, lang string) ([]byte, error) {
	T := func(id string) string { return i18n.T(lang, id) }
	charts := buildCharts(r, lang)
	for _, c := range charts {
		c.render(lang)
	}
	heads, cells := tableCells(r, lang)
	type row struct{ Cells []string }
	var rows []row
	for _, c := range cells {
		rows = append(rows, row{c})
	}
	data := map[string]any{
		"Lang": lang, "Title": T("load.html.title"), "Model": r.Model, "URL": r.URL, "Shape": T("load.shape." + r.Shape),
		"Charts": charts, "Heads": heads, "Rows": rows, "Started": r.Started.UTC().Format(time.RFC3339),
		"Labels": map[string]string{"model": T("common.model"), "server": T("load.html.server"), "shape": T("load.html.shape"),
			"started": T("load.html.started"), "table": T("load.html.table"), "incomplete": T("common.incomplete"), "values": T("load.html.values"),
			"defs": T("load.html.defs")},
		"Incomplete": "",
	}
	if !r.Complete {
		data["Incomplete"] = T("load.incomplete." + r.Incomplete)
	}
	if r.Answer != nil {
		data["Answer"] = r.Answer.Msg.Text(lang)
		data["Note"] = r.Answer.Note.Text(lang)
	}
	if r.Saturation > 0 {
		data["Saturation"] = i18n.Msg{ID: "load.saturation", Data: map[string]any{"N": r.Saturation}}.Text(lang)
	}
	if r.Slots != nil && r.Shape == ShapeSweep {
		data["Slots"] = r.Slots.Msg().Text(lang)
	}
	if r.Label != "" {
		data["Label"] = r.Label
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var pageTmpl = template.Must(template.New("load").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #bbb;padding:3px 6px;text-align:right}th{background:#eee}.answer{font-size:1.2em;background:#eef5ee;padding:.8em;border-left:4px solid #2e7d32}.warn{background:#fff3e0;padding:.5em;border-left:4px solid #c25400}figure{display:inline-block;margin:0 1em 1em 0}</style>
</head><body>
<h1>{{.Title}}</h1>
<p>{{.Labels.model}}: <b>{{.Model}}</b>{{if .Label}} · {{.Label}}{{end}} · {{.Labels.server}}: {{.URL}} · {{.Labels.shape}}: {{.Shape}} · {{.Labels.started}}: {{.Started}}</p>
{{if .Incomplete}}<p class="warn">{{.Incomplete}}</p>{{end}}
{{if .Answer}}<p class="answer">{{.Answer}}</p><p>{{.Note}}</p>{{end}}
{{if .Saturation}}<p>{{.Saturation}}</p>{{end}}
{{if .Slots}}<p>{{.Slots}}</p>{{end}}
{{range .Charts}}<figure>{{.SVG}}<figcaption>{{.Title}}</figcaption></figure>
{{end}}
<h2>{{.Labels.table}}</h2>
<table><tr>{{range .Heads}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
<p>{{.Labels.values}}</p>
<p>{{.Labels.defs}}</p>
</body></html>
`))
