package report

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/ki-reise/kicheck/internal/document"
)

// HTML renders the report as one self-contained page (inline CSS and SVG,
// no scripts, no external resources) with the same content as the PDF.
// html/template escapes every text taken from the report.
func HTML(r *Report, f Files, lang string) ([]byte, error) {
	v := newView(r, f, lang)
	data := struct {
		view
		Charts []svgChart
	}{view: v}
	if v.HasSpeed {
		data.Charts = append(data.Charts, newSVGChart(v, v.L["chart_title"], v.L["chart_note"], false))
		if v.HasCloud {
			data.Charts = append(data.Charts, newSVGChart(v, v.L["chart_cloud_title"], v.L["chart_cloud_note"], true))
		}
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render HTML: %w", err)
	}
	return buf.Bytes(), nil
}

func rgb(c [3]int) string { return hexColour(c) }

type svgBar struct {
	X, Y, W, H float64
	Fill       string
	Label      string
	Missing    bool
}

// svgLabel is a row's label in up to two lines (use case; model), each
// short enough for the label column, with the full text as its title.
type svgLabel struct {
	Y     float64
	Lines []string
	Full  string
}

// chartLabelRunes fits a line into the label column at 12px.
const chartLabelRunes = 30

func labelLines(s string) []string {
	var lines []string
	if i := strings.Index(s, " ("); i > 0 {
		lines = []string{s[:i], s[i+1:]}
	} else {
		lines = []string{s}
	}
	for i, l := range lines {
		if r := []rune(l); len(r) > chartLabelRunes {
			lines[i] = strings.TrimRight(string(r[:chartLabelRunes-1]), " ") + "…"
		}
	}
	return lines
}

type svgTick struct {
	X     float64
	Label string
}

type svgLegend struct {
	X           float64
	Fill, Label string
}

type svgChart struct {
	Title, Note   string
	Axis          string
	Width, Height float64
	X0, PlotW     float64
	Top, Bottom   float64
	Labels        []svgLabel
	Bars          []svgBar
	Ticks         []svgTick
	Legend        []svgLegend
	// Series and Rows are the chart's values as a table beside it (WCAG
	// 1.1.1: the figures also as text): one row per label, one column per
	// series.
	Series []string
	Rows   []svgRow
	ID     string
}

// svgRow is one label of a chart with its values as text.
type svgRow struct {
	Label  string
	Values []string
}

func newSVGChart(v view, title, note string, cloud bool) svgChart {
	type series struct {
		name string
		col  [3]int
		get  func(speedRow) float64
	}
	ss := []series{
		{v.L["series_predicted"], colPredicted, func(r speedRow) float64 { return r.Predicted }},
		{v.L["series_measured"], colMeasured, func(r speedRow) float64 { return r.Measured }},
	}
	rows := v.Speed
	if cloud {
		ss = []series{
			{v.L["series_here"], colMeasured, func(r speedRow) float64 { return r.Measured }},
			{v.L["series_cloud"], colCloud, func(r speedRow) float64 { return r.Cloud }},
		}
		rows = nil
		for _, r := range v.Speed {
			if r.Cloud >= 0 {
				rows = append(rows, r)
			}
		}
	}
	c := svgChart{Title: title, Note: note, Axis: v.L["chart_axis"], Width: 720, X0: 230, Top: 30}
	c.PlotW = c.Width - c.X0 - 60
	maxV := 0.0
	for _, r := range rows {
		for _, s := range ss {
			maxV = math.Max(maxV, s.get(r))
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	scale := c.PlotW / (maxV * 1.05)
	for i, s := range ss {
		c.Legend = append(c.Legend, svgLegend{X: c.X0 + float64(i)*120, Fill: rgb(s.col), Label: s.name})
		c.Series = append(c.Series, s.name)
	}
	c.ID = "chart-speed"
	if cloud {
		c.ID = "chart-cloud"
	}
	barH, gap := 16.0, 14.0
	y := c.Top
	for _, r := range rows {
		lines := labelLines(r.Label)
		c.Labels = append(c.Labels, svgLabel{Y: y + float64(len(ss))*barH/2 + 4 - 7*float64(len(lines)-1), Lines: lines, Full: r.Label})
		row := svgRow{Label: r.Label}
		for i, s := range ss {
			val := s.get(r)
			b := svgBar{X: c.X0, Y: y + float64(i)*barH + 1, H: barH - 2, Fill: rgb(s.col)}
			if val < 0 {
				b.Missing, b.Label = true, v.L["not_measured"]
			} else {
				b.W = math.Max(val*scale, 1)
				b.Label = formatSecs(val, v.Lang)
			}
			c.Bars = append(c.Bars, b)
			row.Values = append(row.Values, b.Label)
		}
		c.Rows = append(c.Rows, row)
		y += float64(len(ss))*barH + gap
	}
	c.Bottom = y - gap/2
	for _, t := range ticks(maxV * 1.05) {
		c.Ticks = append(c.Ticks, svgTick{X: c.X0 + t*scale, Label: formatTick(t, v.Lang)})
	}
	c.Height = c.Bottom + 40
	return c
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"levelCSS":   levelCSS,
	"levelClass": levelClass,
	"add":        func(a, b float64) float64 { return a + b },
}).Parse(document.HTMLHead + `{{template "head" .}}<style>
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1e1e1e; max-width: 56rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
table.values { border-collapse: collapse; margin: .5rem 0 1rem; } table.values caption { text-align: left; font-weight: bold; padding: .2rem 0; }
table.values th, table.values td { padding: .2rem .5rem; border-bottom: 1px solid #ccc; text-align: left; vertical-align: top; } table.values th[scope=row] { font-weight: normal; }
table.values .n { text-align: right; } .wide { max-width: 100%; overflow-x: auto; } svg { max-width: 100%; height: auto; }
.sub { color: #646464; margin-top: 0; }
.overall { display: flex; gap: 1rem; align-items: center; border: 3px solid; border-radius: .6rem; padding: 1rem; background: #f5f5f5; }
.light { flex: none; width: 3rem; height: 3rem; border-radius: 50%; border: 1px solid #3c3c3c; }
.small { width: 1.1rem; height: 1.1rem; margin-top: .15rem; }
.overall strong { font-size: 1.3rem; }
.incomplete { color: #c82828; }
{{levelCSS}}
.verdict { display: flex; gap: .7rem; margin: .7rem 0; }
dl { display: grid; grid-template-columns: 14rem 1fr; gap: .25rem 1rem; }
dt { color: #646464; }
dd { margin: 0; overflow-wrap: anywhere; }
code { font-size: .85rem; overflow-wrap: anywhere; }
.note { color: #646464; font-size: .9rem; }
section.it { margin-top: 3rem; border-top: 2px solid #999; }
svg text { font-family: inherit; font-size: 12px; fill: #1e1e1e; }
svg text.s { font-size: 11px; }
svg text.muted { fill: #646464; }
@media print { body { margin: 0; } section.it { break-before: page; } }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="sub">{{.Subtitle}}</p>
<section class="overall {{levelClass .Overall}}">
<div class="light {{levelClass .Overall}}" role="img" aria-label="{{.L.light}}: {{.OverallLabel}}"></div>
<div><strong class="level-text">{{.L.overall_heading}}: {{.OverallLabel}}</strong><br>{{.OverallSentence}}
{{if .Incomplete}}<p class="incomplete">{{.Incomplete}}</p>{{end}}</div>
</section>

<h2>{{.L.results}}</h2>
{{range .Verdicts}}<div class="verdict"><div class="light small {{levelClass .Level}}" role="img" aria-label="{{$.L.light}}: {{.LevelLabel}}"></div>
<div><strong>{{.Subject}}: {{.LevelLabel}}</strong><br>{{.Reason}}</div></div>
{{else}}<p class="note">{{.L.no_verdicts}}</p>
{{end}}
{{range .Charts}}{{$c := .}}
<h2 id="{{.ID}}">{{.Title}}</h2>
<p class="note">{{.Note}}</p>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} {{.Height}}" width="100%" role="img" aria-labelledby="{{.ID}}">
{{range .Legend}}<rect x="{{.X}}" y="4" width="14" height="10" fill="{{.Fill}}"/><text x="{{add .X 18}}" y="13">{{.Label}}</text>
{{end}}{{range .Labels}}<text x="{{add $c.X0 -8}}" y="{{.Y}}" text-anchor="end"><title>{{.Full}}</title>{{range $j, $l := .Lines}}<tspan x="{{add $c.X0 -8}}" dy="{{if $j}}14{{else}}0{{end}}">{{$l}}</tspan>{{end}}</text>
{{end}}{{range .Bars}}{{if .Missing}}<text x="{{.X}}" y="{{add .Y 11}}" class="s muted">{{.Label}}</text>{{else}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"/><text x="{{add (add .X .W) 4}}" y="{{add .Y 11}}" class="s">{{.Label}}</text>{{end}}
{{end}}<line x1="{{.X0}}" y1="{{add .Top -4}}" x2="{{.X0}}" y2="{{.Bottom}}" stroke="#787878"/>
<line x1="{{.X0}}" y1="{{.Bottom}}" x2="{{add .X0 .PlotW}}" y2="{{.Bottom}}" stroke="#787878"/>
{{range .Ticks}}<line x1="{{.X}}" y1="{{$c.Bottom}}" x2="{{.X}}" y2="{{add $c.Bottom 4}}" stroke="#787878"/><text x="{{.X}}" y="{{add $c.Bottom 16}}" text-anchor="middle" class="s">{{.Label}}</text>
{{end}}<text x="{{add .X0 (add .PlotW 0)}}" y="{{add .Bottom 32}}" text-anchor="end" class="s">{{.Axis}}</text>
</svg>
<div class="wide" role="region" tabindex="0" aria-labelledby="{{.ID}}"><table class="values"><caption>{{.Title}}: {{.Axis}}</caption>
<tr><th scope="col">{{$.L.chart_values_col}}</th>{{range .Series}}<th scope="col" class="n">{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><th scope="row">{{.Label}}</th>{{range .Values}}<td class="n">{{.}}</td>{{end}}</tr>
{{end}}</table></div>
{{end}}
{{range .Extra}}<h2>{{.Title}}</h2>
<dl>{{range .Rows}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
{{end}}
<h2>{{.L.workplace}}</h2>
<dl>{{range .Workplace}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
{{if .Steps}}<h2>{{.L.steps}}</h2>
<dl>{{range .Steps}}<dt>{{index . 0}}</dt><dd>{{index . 1}} ({{index . 2}})</dd>{{end}}</dl>{{end}}

<section class="it">
<h2 id="it">{{.L.for_it}}</h2>
<p class="note">{{.L.for_it_intro}}</p>
{{range .IT}}<h3>{{.Title}}</h3>
<dl>{{range .Rows}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
{{end}}
<h3>{{.L.it_signed}}</h3>
<p>{{.L.it_signed_intro}}</p>
<dl>{{if .JSONPath}}<dt>{{.L.it_json}}</dt><dd><code>{{.JSONPath}}</code></dd><dt>{{.L.it_sig}}</dt><dd><code>{{.SigPath}}</code></dd>{{end}}
<dt>{{.L.it_verify_kicheck}}</dt><dd><code>{{.KicheckVerify}}</code></dd>
<dt>{{.L.it_verify_ssh}}</dt><dd><code>{{.VerifyCommand}}</code></dd></dl>
</section>
<p class="note">{{.Footer}}</p>
</body>
</html>
`))
