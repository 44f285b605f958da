package collect

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
)

// WriteHTML writes the fleet overview as one self-contained HTML page in
// lang (de, en; another falls back to German): no scripts, no external
// files, charts as inline SVG. Every text from reports goes through
// html/template, so a hostile org unit or GPU name stays text; the
// page's own texts come from assets/lang (ids fleet.html.*).
func WriteHTML(w io.Writer, f *Fleet, lang string) error {
	if i18n.Catalog(lang) == nil {
		lang = i18n.Default
	}
	return dashboard.Execute(w, dashboardPage{Fleet: f, Lang: lang})
}

// dashboardPage is what the template sees: the overview, and methods that
// give texts and numbers in the page's language ({{$.T "id" "Key" value}}).
type dashboardPage struct {
	*Fleet
	Lang string
}

// T translates id, with the template fields given as key, value pairs.
func (p dashboardPage) T(id string, kv ...any) string {
	if len(kv) == 0 {
		return i18n.T(p.Lang, id)
	}
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return i18n.T(p.Lang, id, data)
}

// Num writes v with one decimal, with a decimal comma in German.
func (p dashboardPage) Num(v float64) string { return i18n.Decimal(p.Lang, v, 1) }

// Pct writes n as a share of the devices in l ("75 %", in English "75%").
func (p dashboardPage) Pct(l Levels, n int) string {
	return i18n.T(p.Lang, "common.percent", map[string]any{"N": i18n.Decimal(p.Lang, l.Share(n)*100, 0)})
}

// PctOf writes an already computed percentage with one decimal.
func (p dashboardPage) PctOf(v float64) string {
	return i18n.T(p.Lang, "common.percent", map[string]any{"N": p.Num(v)})
}

// OrNone shows an empty report field as such.
func (p dashboardPage) OrNone(s string) string {
	if s == "" {
		return i18n.T(p.Lang, "fleet.html.not_given")
	}
	return s
}

// Date writes an RFC 3339 time in the page's language: "27.11.2026, 12:00"
// in German, "27 Nov 2026, 12:00" in English (UTC, as stored); text that
// is no such time is shown as it is.
func (p dashboardPage) Date(s string) string { return DateText(p.Lang, s) }

// Time writes t (UTC) in the page's language.
func (p dashboardPage) Time(t time.Time) string { return TimeText(p.Lang, t) }

// DateText writes a stored RFC 3339 time for people in lang (see
// TimeText); text that is no such time is returned as it is.
func DateText(lang, s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return TimeText(lang, t)
}

// TimeText writes t in UTC: "27.11.2026, 12:00" in German, "27 Nov 2026,
// 12:00" in English.
func TimeText(lang string, t time.Time) string {
	return i18n.DateTime(lang, t.UTC())
}

// catalogue is the packaged model catalogue, for titles instead of ids.
var catalogue = sync.OnceValue(func() *fit.Catalogue {
	c, err := fit.LoadCatalogue("")
	if err != nil {
		return nil
	}
	return c
})

// UseCaseTitle is a use case's title in the page's language ("Bürgeranfrage
// klassifizieren" for anfrage-klassifizieren); an id the packaged
// catalogue does not know is shown as it is.
func (p dashboardPage) UseCaseTitle(id string) string {
	if c := catalogue(); c != nil {
		if u, ok := c.UseCase(id); ok {
			return u.Title(p.Lang)
		}
	}
	return p.OrNone(id)
}

// ModelName is a model's name ("Llama 3.2 1B Instruct" for llama3.2-1b).
func (p dashboardPage) ModelName(id string) string {
	if c := catalogue(); c != nil {
		if m, ok := c.Model(id); ok && m.Name != "" {
			return m.Name
		}
	}
	return p.OrNone(id)
}

// Ahead writes how far a clock was ahead: minutes under two hours, else
// hours with one decimal.
func (p dashboardPage) Ahead(seconds int64) string { return AheadText(p.Lang, seconds) }

// AheadText writes how far a clock was ahead, in lang.
func AheadText(lang string, seconds int64) string {
	if seconds < 2*3600 {
		return i18n.T(lang, "fleet.ahead_minutes", map[string]any{"N": i18n.Int(int(seconds / 60)).Text(lang)})
	}
	return i18n.T(lang, "fleet.ahead_hours", map[string]any{"N": i18n.Decimal(lang, float64(seconds)/3600, 1)})
}

// Chart geometry in SVG user units.
const (
	barWidth  = 360.0
	barHeight = 18.0
	labelW    = 260.0
)

var dashboard = template.Must(template.New("fleet").Parse(dashboardHTML))

// levelColours: ready, limited, not ready, no verdict: the report's
// traffic-light colours (report.LevelRGB, the orange dark enough for
// 4.5:1 on white). Every bar has its numbers as text.
var levelColours = func() [4]string {
	var out [4]string
	for i, l := range []string{report.LevelReady, report.LevelLimited, report.LevelNotReady, report.LevelUnknown} {
		c := report.LevelRGB(l)
		out[i] = fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
	}
	return out
}()

// Stacked draws one bar of the four levels, each level with its own
// pattern (none, vertical stripes, horizontal stripes, dots) and white gaps
// between segments, so colour is never the only carrier, and writes the
// counts as text beside it.
func (p dashboardPage) Stacked(l Levels) template.HTML {
	total := l.Total()
	var b strings.Builder
	aria := p.T("fleet.html.levels_aria", "Ready", l.Ready, "Limited", l.Limited, "NotReady", l.NotReady, "Unknown", l.Unknown)
	fmt.Fprintf(&b, `<span class="stack"><svg class="bar" viewBox="0 0 %.0f %.0f" aria-hidden="true" focusable="false">`, barWidth, barHeight)
	x := 0.0
	for i, n := range []int{l.Ready, l.Limited, l.NotReady, l.Unknown} {
		if total == 0 || n == 0 {
			continue
		}
		wd := barWidth * float64(n) / float64(total)
		fmt.Fprintf(&b, `<rect x="%.2f" y="0" width="%.2f" height="%.0f" fill="%s" stroke="#fff" stroke-width="2"/>`, x, wd, barHeight, levelColours[i])
		b.WriteString(levelPattern(i, x, wd, barHeight))
		x += wd
	}
	fmt.Fprintf(&b, `</svg><span class="counts">%s</span></span>`, template.HTMLEscapeString(aria))
	return template.HTML(b.String()) // numbers, constants and the escaped text above
}

// Bar is Stacked without the counts, for rows that give them in their own
// columns.
func (p dashboardPage) Bar(l Levels) template.HTML {
	h := string(p.Stacked(l))
	if i := strings.Index(h, `<span class="counts">`); i >= 0 {
		h = h[:i] + `</span>`
	}
	return template.HTML(h) // a prefix of Stacked's escaped output
}

// levelPattern draws level i's pattern inside the rectangle at x (width
// w, height h) in white: limited vertical stripes, not ready horizontal
// stripes, no verdict dots; ready stays plain.
func levelPattern(i int, x, w, h float64) string {
	var b strings.Builder
	switch i {
	case 1:
		for lx := x + 3; lx < x+w-1; lx += 5 {
			fmt.Fprintf(&b, `<line x1="%.2f" y1="1" x2="%.2f" y2="%.0f" stroke="#fff" stroke-width="1.5"/>`, lx, lx, h-1)
		}
	case 2:
		if w > 3 {
			for ly := 4.0; ly < h-1; ly += 5 {
				fmt.Fprintf(&b, `<line x1="%.2f" y1="%.1f" x2="%.2f" y2="%.1f" stroke="#fff" stroke-width="1.5"/>`, x+1, ly, x+w-1, ly)
			}
		}
	case 3:
		for cx := x + 3; cx < x+w-2; cx += 5 {
			for cy := 4.0; cy < h-2; cy += 5 {
				fmt.Fprintf(&b, `<circle cx="%.2f" cy="%.1f" r="1" fill="#fff"/>`, cx, cy)
			}
		}
	}
	return b.String()
}

// LegendSwatch is the legend's sample of level i, with its pattern.
func (p dashboardPage) LegendSwatch(i int) template.HTML {
	return template.HTML(fmt.Sprintf(`<svg class="swatch" viewBox="0 0 18 18" aria-hidden="true" focusable="false"><rect x="0" y="0" width="18" height="18" fill="%s"/>%s</svg>`,
		levelColours[i], levelPattern(i, 0, 18, 18)))
}

// Bars draws a horizontal bar chart of buckets with their labels in the
// page's language, named by the heading with id name, and its values
// again as a table below (WCAG 1.1.1; the SVG scales to the page's width).
func (p dashboardPage) Bars(buckets []Bucket, name string) template.HTML {
	most := 0
	for _, bk := range buckets {
		most = max(most, bk.Devices)
	}
	h := float64(len(buckets)) * (barHeight + 6)
	var b strings.Builder
	w := labelW + barWidth + 60
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" style="max-width:%.0fpx" role="img" aria-labelledby="%s">`, w, h, w, name)
	for i, bk := range buckets {
		y := float64(i) * (barHeight + 6)
		wd := 0.0
		if most > 0 {
			wd = barWidth * float64(bk.Devices) / float64(most)
		}
		label := BucketLabel(p.Lang, bk)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end"><title>%s</title>%s</text>`, labelW-8, y+13,
			template.HTMLEscapeString(label), template.HTMLEscapeString(shortLabel(label)))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.2f" height="%.0f" fill="#0969da"/>`, labelW, y, wd, barHeight)
		fmt.Fprintf(&b, `<text x="%.2f" y="%.1f">%d</text>`, labelW+wd+6, y+13, bk.Devices)
	}
	b.WriteString(`</svg>`)
	fmt.Fprintf(&b, `<table class="values"><tr><th scope="col">%s</th><th scope="col" class="n">%s</th></tr>`,
		template.HTMLEscapeString(p.T("fleet.html.col_class")), template.HTMLEscapeString(p.T("fleet.html.col_devices")))
	for _, bk := range buckets {
		fmt.Fprintf(&b, `<tr><th scope="row">%s</th><td class="n">%d</td></tr>`, template.HTMLEscapeString(BucketLabel(p.Lang, bk)), bk.Devices)
	}
	b.WriteString(`</table>`)
	return template.HTML(b.String()) // labels escaped above; name is a constant of the template
}

// maxLabelRunes keeps a chart label inside the label column (about 7
// units a character at 12px); the full label is the text's <title>.
const maxLabelRunes = 34

func shortLabel(s string) string {
	if r := []rune(s); len(r) > maxLabelRunes {
		return strings.TrimRight(string(r[:maxLabelRunes-1]), " ") + "…"
	}
	return s
}

const dashboardHTML = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{$.T "fleet.html.title"}}</title>
<style>
body{font-family:system-ui,"Segoe UI",sans-serif;margin:2rem;color:#1f2328;max-width:72rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse}td,th{padding:.25rem .6rem;text-align:left;vertical-align:middle}
th{background:#f6f8fa}.n{text-align:right}svg text{font-size:12px;fill:#1f2328}
.legend .swatch{width:1.1rem;height:1.1rem;margin:0 .3rem 0 1rem;vertical-align:middle}
svg.chart{width:100%;height:auto;max-width:680px;display:block}
.stack{display:inline-flex;flex-wrap:wrap;align-items:center;gap:.2rem .6rem}svg.bar{width:12rem;min-width:6rem;height:auto;flex:none}
th[scope=row]{background:none;font-weight:normal}.wide{max-width:100%;overflow-x:auto}
td,th{overflow-wrap:break-word}table.values{margin:.5rem 0}table.values th{overflow-wrap:anywhere}
@media (max-width:40rem){body{margin:.75rem}.kpi{margin-right:1rem}}
.kpi{display:inline-block;margin-right:2.5rem}.kpi b{display:block;font-size:1.8rem}
</style>
</head>
<body>
<h1>{{$.T "fleet.html.title"}}</h1>
<p>{{$.T "fleet.html.as_of" "Date" ($.Time .GeneratedAt)}}</p>
<div><span class="kpi"><b>{{.Devices}}</b>{{$.T "fleet.html.kpi_devices"}}</span><span class="kpi"><b>{{.Reports}}</b>{{$.T "fleet.html.kpi_reports"}}</span>
<span class="kpi"><b>{{$.Pct .Overall .Overall.Ready}}</b>{{$.T "level.ready"}}</span><span class="kpi"><b>{{.Stale.Count}}</b>{{$.T "fleet.html.kpi_stale" "Days" .Stale.Days}}</span></div>
<p class="legend">{{$.LegendSwatch 0}}{{$.T "level.ready"}} {{$.LegendSwatch 1}}{{$.T "level.limited"}} {{$.LegendSwatch 2}}{{$.T "level.not_ready"}} {{$.LegendSwatch 3}}{{$.T "level.unknown"}}</p>

<h2 id="h1">{{$.T "fleet.html.overall_heading"}}</h2>
{{with .Overall}}<p>{{$.Bar .}}</p><p>{{$.T "fleet.html.overall_text" "Ready" .Ready "ReadyPct" ($.Pct . .Ready) "Limited" .Limited "LimitedPct" ($.Pct . .Limited) "NotReady" .NotReady "NotReadyPct" ($.Pct . .NotReady) "Unknown" .Unknown}}</p>{{end}}

<h2 id="h2">{{$.T "fleet.html.usecase_heading"}}</h2>
{{if .UseCases}}<p>{{$.T "fleet.html.usecase_note"}}</p>
<div class="wide" role="region" tabindex="0" aria-labelledby="h2"><table><tr><th scope="col">{{$.T "fleet.html.col_usecase"}}</th><th scope="col">{{$.T "fleet.html.col_share"}}</th><th scope="col" class="n">{{$.T "level.ready"}}</th><th scope="col" class="n">{{$.T "level.limited"}}</th><th scope="col" class="n">{{$.T "level.not_ready"}}</th></tr>
{{range .UseCases}}<tr><th scope="row">{{$.UseCaseTitle .UseCase}}</th><td>{{$.Bar .Levels}}</td><td class="n">{{.Ready}} ({{$.Pct .Levels .Ready}})</td><td class="n">{{.Limited}}</td><td class="n">{{.NotReady}}</td></tr>
{{end}}</table></div>{{else}}<p>{{$.T "fleet.html.no_usecases"}}</p>{{end}}

<h2 id="h3">{{$.T "fleet.html.models_heading"}}</h2>
{{if .Models}}<div class="wide" role="region" tabindex="0" aria-labelledby="h3"><table><tr><th scope="col">{{$.T "fleet.html.col_usecase"}}</th><th scope="col">{{$.T "common.model"}}</th><th scope="col">{{$.T "fleet.html.col_share"}}</th><th scope="col" class="n">{{$.T "level.ready"}}</th><th scope="col" class="n">{{$.T "level.limited"}}</th><th scope="col" class="n">{{$.T "level.not_ready"}}</th></tr>
{{range .Models}}<tr><th scope="row">{{$.UseCaseTitle .UseCase}}</th><td>{{$.ModelName .Model}}</td><td>{{$.Bar .Levels}}</td><td class="n">{{.Ready}} ({{$.Pct .Levels .Ready}})</td><td class="n">{{.Limited}}</td><td class="n">{{.NotReady}}</td></tr>
{{end}}</table></div>{{else}}<p>{{$.T "fleet.html.no_models"}}</p>{{end}}

<h2 id="h4">{{$.T "fleet.html.upgrade_heading"}}</h2>
{{with .Upgrade}}{{if .Best}}<p><b>{{$.T "fleet.html.upgrade_best_head" "GB" .Best.RAMGB}}</b> {{$.T "fleet.html.upgrade_best_text" "Devices" .Best.Devices}}</p>{{else}}<p>{{$.T "fleet.html.upgrade_none"}}</p>{{end}}
{{if .Options}}<div class="wide" role="region" tabindex="0" aria-labelledby="h4"><table><tr><th scope="col">{{$.T "fleet.html.col_ram_to"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_ready_after"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_smallest"}}</th></tr>{{range .Options}}<tr><th scope="row">{{$.T "fleet.bucket.size_gb" "GB" .RAMGB}}</th><td class="n">{{.Devices}}</td><td class="n">{{.Smallest}}</td></tr>{{end}}</table></div>{{end}}
<p>{{if .WithoutFitData}}{{$.T "fleet.html.upgrade_unjudged" "Count" .WithoutFitData}} {{end}}{{$.T "fleet.html.upgrade_method"}}</p>{{end}}

<h2 id="h5">{{$.T "fleet.html.ram_heading"}}</h2>{{$.Bars .RAM "h5"}}
<h2 id="h6">{{$.T "fleet.html.vram_heading"}}</h2>{{$.Bars .VRAM "h6"}}
<h2 id="h7">{{$.T "fleet.html.gpu_heading"}}</h2>{{if .GPUModels}}{{$.Bars .GPUModels "h7"}}{{else}}<p>{{$.T "fleet.html.no_data"}}</p>{{end}}
<h2 id="h8">{{$.T "fleet.html.bandwidth_heading"}}</h2>{{$.Bars .Bandwidth "h8"}}

<h2 id="h9">{{$.T "fleet.html.speed_heading"}}</h2>
{{if .Speed}}<div class="wide" role="region" tabindex="0" aria-labelledby="h9"><table><tr><th scope="col">{{$.T "common.model"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_devices"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_min"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_p10"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_median"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_p90"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_max"}}</th></tr>
{{range .Speed}}<tr><th scope="row">{{$.ModelName .Model}}</th><td class="n">{{.Devices}}</td><td class="n">{{$.Num .Min}}</td><td class="n">{{$.Num .P10}}</td><td class="n">{{$.Num .Median}}</td><td class="n">{{$.Num .P90}}</td><td class="n">{{$.Num .Max}}</td></tr>
{{end}}</table></div>{{else}}<p>{{$.T "fleet.html.no_speed"}}</p>{{end}}

<h2 id="h10">{{$.T "fleet.html.org_heading"}}</h2>
<p>{{$.T "fleet.html.org_note"}}</p>
<div class="wide" role="region" tabindex="0" aria-labelledby="h10"><table><tr><th scope="col">{{$.T "common.unit"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_devices"}}</th><th scope="col">{{$.T "fleet.html.col_readiness"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_quiz_people"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_quiz_score"}}</th></tr>
{{range .OrgUnits}}<tr><th scope="row">{{$.OrNone .Name}}</th><td class="n">{{.Devices}}</td><td>{{$.Stacked .Levels}}</td><td class="n">{{.QuizParticipants}}</td><td class="n">{{with .QuizScorePercent}}{{$.PctOf .}}{{else}}–{{end}}</td></tr>
{{end}}</table></div>

<h2 id="h11">{{$.T "fleet.html.stale_heading" "Days" .Stale.Days}}</h2>
{{if .Stale.Devices}}<div class="wide" role="region" tabindex="0" aria-labelledby="h11"><table><tr><th scope="col">{{$.T "fleet.html.col_device"}}</th><th scope="col">{{$.T "common.unit"}}</th><th scope="col">{{$.T "fleet.html.col_hostname"}}</th><th scope="col">{{$.T "fleet.html.col_last"}}</th></tr>
{{range .Stale.Devices}}<tr><th scope="row">{{.DeviceID}}</th><td>{{$.OrNone .OrgUnit}}</td><td>{{.Hostname}}</td><td>{{$.Date .LastReport}}</td></tr>
{{end}}</table></div>{{if gt .Stale.Count (len .Stale.Devices)}}<p>{{$.T "fleet.html.stale_more" "Count" .Stale.Count}}</p>{{end}}{{else}}<p>{{$.T "fleet.html.none"}}</p>{{end}}
{{with .ClockAhead}}{{if .Devices}}
<h2 id="h12">{{$.T "fleet.html.clock_heading"}}</h2>
<p>{{$.T "fleet.html.clock_note" "Count" .Count}}</p>
<div class="wide" role="region" tabindex="0" aria-labelledby="h12"><table><tr><th scope="col">{{$.T "fleet.html.col_device"}}</th><th scope="col">{{$.T "common.unit"}}</th><th scope="col">{{$.T "fleet.html.col_hostname"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_ahead"}}</th></tr>
{{range .Devices}}<tr><th scope="row">{{.DeviceID}}</th><td>{{$.OrNone .OrgUnit}}</td><td>{{.Hostname}}</td><td class="n">{{$.Ahead .AheadSeconds}}</td></tr>
{{end}}</table></div>{{end}}{{end}}
</body>
</html>
`
