package collect

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
)

// WriteHTML writes the fleet overview as one self-contained German HTML
// page: no scripts, no external files, charts as inline SVG. Every text
// from reports goes through html/template, so a hostile org unit or GPU
// name stays text.
func WriteHTML(w io.Writer, f *Fleet) error {
	return dashboard.Execute(w, f)
}

// Chart geometry in SVG user units.
const (
	barWidth  = 360.0
	barHeight = 18.0
	labelW    = 220.0
)

var dashboard = template.Must(template.New("fleet").Funcs(template.FuncMap{
	"pct":     func(l Levels, n int) string { return pctText(l.Share(n)) },
	"stacked": stackedBar,
	"bars":    barChart,
	"num":     func(v float64) string { return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1) },
	"date":    func(s string) string { return strings.Replace(strings.TrimSuffix(s, "Z"), "T", " ", 1) },
	"orNone":  func(s string) string { return orDefault(s, "(keine Angabe)") },
}).Parse(dashboardHTML))

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func pctText(share float64) string {
	return strings.Replace(strconv.FormatFloat(share*100, 'f', 0, 64), ".", ",", 1) + " %"
}

// levelColours: bereit, eingeschränkt, nicht bereit, unbekannt. Colours
// differ in lightness too, and every bar has its numbers as text.
var levelColours = [4]string{"#1a7f37", "#d4a72c", "#cf222e", "#8c959f"}

// stackedBar draws one bar of the four levels.
func stackedBar(l Levels) template.HTML {
	total := l.Total()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bar" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%d bereit, %d eingeschränkt, %d nicht bereit, %d unbekannt">`,
		barWidth, barHeight, barWidth, barHeight, l.Ready, l.Limited, l.NotReady, l.Unknown)
	x := 0.0
	for i, n := range []int{l.Ready, l.Limited, l.NotReady, l.Unknown} {
		if total == 0 || n == 0 {
			continue
		}
		wd := barWidth * float64(n) / float64(total)
		fmt.Fprintf(&b, `<rect x="%.2f" y="0" width="%.2f" height="%.0f" fill="%s"/>`, x, wd, barHeight, levelColours[i])
		x += wd
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // only numbers and constants above
}

// barChart draws a horizontal bar chart of buckets with their labels.
func barChart(buckets []Bucket) template.HTML {
	most := 0
	for _, bk := range buckets {
		most = max(most, bk.Devices)
	}
	h := float64(len(buckets)) * (barHeight + 6)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img">`, labelW+barWidth+60, h, labelW+barWidth+60, h)
	for i, bk := range buckets {
		y := float64(i) * (barHeight + 6)
		wd := 0.0
		if most > 0 {
			wd = barWidth * float64(bk.Devices) / float64(most)
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`, labelW-8, y+13, template.HTMLEscapeString(bk.Label))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.2f" height="%.0f" fill="#0969da"/>`, labelW, y, wd, barHeight)
		fmt.Fprintf(&b, `<text x="%.2f" y="%.1f">%d</text>`, labelW+wd+6, y+13, bk.Devices)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // labels escaped above
}

const dashboardHTML = `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>KI-Check – Übersicht der Arbeitsplätze</title>
<style>
body{font-family:system-ui,"Segoe UI",sans-serif;margin:2rem;color:#1f2328;max-width:72rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse}td,th{padding:.25rem .6rem;text-align:left;vertical-align:middle}
th{background:#f6f8fa}.n{text-align:right}svg text{font-size:12px;fill:#1f2328}
.legend span{display:inline-block;width:.9rem;height:.9rem;margin:0 .3rem 0 1rem;vertical-align:middle}
.kpi{display:inline-block;margin-right:2.5rem}.kpi b{display:block;font-size:1.8rem}
</style>
</head>
<body>
<h1>KI-Check – Übersicht der Arbeitsplätze</h1>
<p>Stand: {{date (.GeneratedAt.Format "2006-01-02T15:04:05Z")}} (UTC). Jede Zahl beruht auf dem neuesten geprüften Bericht je Arbeitsplatz.</p>
<div><span class="kpi"><b>{{.Devices}}</b>Arbeitsplätze</span><span class="kpi"><b>{{.Reports}}</b>Berichte</span>
<span class="kpi"><b>{{pct .Overall .Overall.Ready}}</b>bereit</span><span class="kpi"><b>{{.Stale.Count}}</b>ohne Bericht seit {{.Stale.Days}} Tagen</span></div>
<p class="legend"><span style="background:#1a7f37"></span>bereit<span style="background:#d4a72c"></span>eingeschränkt<span style="background:#cf222e"></span>nicht bereit<span style="background:#8c959f"></span>unbekannt</p>

<h2>Gesamturteil</h2>
<table><tr><td>{{stacked .Overall}}</td><td>{{.Overall.Ready}} bereit ({{pct .Overall .Overall.Ready}}), {{.Overall.Limited}} eingeschränkt ({{pct .Overall .Overall.Limited}}), {{.Overall.NotReady}} nicht bereit ({{pct .Overall .Overall.NotReady}}), {{.Overall.Unknown}} ohne Urteil</td></tr></table>

<h2>Nach Anwendungsfall</h2>
{{if .UseCases}}<p>Ein Arbeitsplatz zählt mit dem besten Modell, das er für den Anwendungsfall schafft.</p>
<table><tr><th>Anwendungsfall</th><th>Anteil</th><th class="n">bereit</th><th class="n">eingeschränkt</th><th class="n">nicht bereit</th></tr>
{{range .UseCases}}<tr><td>{{orNone .UseCase}}</td><td>{{stacked .Levels}}</td><td class="n">{{.Ready}} ({{pct .Levels .Ready}})</td><td class="n">{{.Limited}}</td><td class="n">{{.NotReady}}</td></tr>
{{end}}</table>{{else}}<p>Die Berichte enthalten noch keine Urteile je Anwendungsfall.</p>{{end}}

<h2>Nach Anwendungsfall und Modell</h2>
{{if .Models}}<table><tr><th>Anwendungsfall</th><th>Modell</th><th>Anteil</th><th class="n">bereit</th><th class="n">eingeschränkt</th><th class="n">nicht bereit</th></tr>
{{range .Models}}<tr><td>{{orNone .UseCase}}</td><td>{{orNone .Model}}</td><td>{{stacked .Levels}}</td><td class="n">{{.Ready}} ({{pct .Levels .Ready}})</td><td class="n">{{.Limited}}</td><td class="n">{{.NotReady}}</td></tr>
{{end}}</table>{{else}}<p>Die Berichte enthalten noch keine Urteile je Modell.</p>{{end}}

<h2>Welche Aufrüstung am meisten hilft</h2>
{{with .Upgrade}}{{if .Best}}<p><b>Arbeitsspeicher auf {{.Best.RAMGB}} GB:</b> {{.Best.Devices}} Arbeitsplätze wären danach bei allen geprüften Anwendungsfällen bereit; mehr Speicher macht keine weiteren bereit.</p>{{else}}<p>Mehr Arbeitsspeicher allein macht keinen Arbeitsplatz vollständig bereit: Wo nicht alles bereit ist, bremst die Rechen- oder Speichergeschwindigkeit.</p>{{end}}
{{if .Options}}<table><tr><th>Arbeitsspeicher auf</th><th class="n">Arbeitsplätze danach bereit</th><th class="n">davon genügt genau diese Größe</th></tr>{{range .Options}}<tr><td>{{.RAMGB}} GB</td><td class="n">{{.Devices}}</td><td class="n">{{.Smallest}}</td></tr>{{end}}</table>{{end}}
<p>{{.WithoutFitData}} Arbeitsplätze lassen sich nicht beurteilen: Ihr neuester Bericht enthält keine Eignungsprüfung oder stammt aus einer älteren KI-Check-Version. Berechnung: Die Eignungsprüfung rechnet auf jedem Arbeitsplatz aus, ab welcher Größe des Arbeitsspeichers ein Anwendungsfall bereit wäre, bei gleichem Prozessor und gleicher gemessener Speicherbandbreite. Ein Arbeitsplatz zählt für eine Größe, wenn danach alle seine Anwendungsfälle bereit wären.</p>{{end}}

<h2>Arbeitsspeicher</h2>{{bars .RAM}}
<h2>Grafikspeicher (VRAM)</h2>{{bars .VRAM}}
<h2>Grafikkarten</h2>{{if .GPUModels}}{{bars .GPUModels}}{{else}}<p>Keine Angaben.</p>{{end}}
<h2>Speicherbandbreite (gemessen)</h2>{{bars .Bandwidth}}

<h2>Gemessene Geschwindigkeit je Modell (Tokens pro Sekunde)</h2>
{{if .Speed}}<table><tr><th>Modell</th><th class="n">Arbeitsplätze</th><th class="n">Minimum</th><th class="n">10 %</th><th class="n">Median</th><th class="n">90 %</th><th class="n">Maximum</th></tr>
{{range .Speed}}<tr><td>{{.Model}}</td><td class="n">{{.Devices}}</td><td class="n">{{num .Min}}</td><td class="n">{{num .P10}}</td><td class="n">{{num .Median}}</td><td class="n">{{num .P90}}</td><td class="n">{{num .Max}}</td></tr>
{{end}}</table>{{else}}<p>Die Berichte enthalten noch keine gemessene Geschwindigkeit.</p>{{end}}

<h2>Organisationseinheiten</h2>
<p>Quizergebnisse nur zusammengefasst, so wie die Berichte sie tragen; keine Einzelergebnisse.</p>
<table><tr><th>Einheit</th><th class="n">Arbeitsplätze</th><th>Bereitschaft</th><th class="n">Quiz-Teilnehmende</th><th class="n">Quiz Ø Punkte</th></tr>
{{range .OrgUnits}}<tr><td>{{orNone .Name}}</td><td class="n">{{.Devices}}</td><td>{{stacked .Levels}}</td><td class="n">{{.QuizParticipants}}</td><td class="n">{{with .QuizScorePercent}}{{num .}} %{{else}}–{{end}}</td></tr>
{{end}}</table>

<h2>Arbeitsplätze ohne aktuellen Bericht (älter als {{.Stale.Days}} Tage)</h2>
{{if .Stale.Devices}}<table><tr><th>Gerät</th><th>Einheit</th><th>Rechnername</th><th>Letzter Bericht</th></tr>
{{range .Stale.Devices}}<tr><td>{{.DeviceID}}</td><td>{{orNone .OrgUnit}}</td><td>{{.Hostname}}</td><td>{{date .LastReport}}</td></tr>
{{end}}</table>{{if gt .Stale.Count (len .Stale.Devices)}}<p>… und {{.Stale.Count}} insgesamt; die vollständige Liste steht in der Gerätetabelle (CSV).</p>{{end}}{{else}}<p>Keine.</p>{{end}}
</body>
</html>
`
