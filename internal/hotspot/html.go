package hotspot

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/ki-reise/kicheck/internal/document"
)

// SteckbriefHTML renders one hotspot's Steckbrief as a self-contained page
// (inline CSS, no scripts, no external resources), texts in m.Lang;
// html/template escapes every text from the survey.
func SteckbriefHTML(pf *Portfolio, id string, cat *Catalogue, m Meta) ([]byte, error) {
	h, ok := pf.Get(id)
	if !ok {
		return nil, fmt.Errorf("steckbrief %q: %w", id, ErrNotFound)
	}
	return renderHTML(struct {
		Lang, Title string
		Portfolio   bool
		Items       []sbView
	}{Lang: m.Lang, Title: h.Process.Name, Items: []sbView{steckbrief(*h, pf, cat, m)}})
}

// PortfolioHTML renders the portfolio: the matrix (inline SVG with a
// table as its text alternative), the ranked list and every Steckbrief.
func PortfolioHTML(pf *Portfolio, cat *Catalogue, m Meta) ([]byte, error) {
	data := struct {
		Lang, Title, Intro string
		Portfolio          bool
		Matrix             matrix
		Rows               []rankRow
		H                  map[string]string
		Items              []sbView
	}{Lang: m.Lang, Title: t(m.Lang, "portfolio.title", "Kommune", m.kommune()), Portfolio: true, Matrix: newMatrix(pf, m.Lang), Rows: rankRows(pf, m.Lang), H: map[string]string{}}
	data.Intro = t(m.Lang, "portfolio.intro", "Threshold", dec1(pf.BenefitThreshold), "FThreshold", dec0(pf.FeasibilityThreshold), "Stand", pf.LegalStand)
	for _, k := range []string{"rank", "process", "unit", "task", "hours", "eur", "feasibility", "class", "quadrant", "model", "ranking", "steckbriefe"} {
		data.H[k] = t(m.Lang, "portfolio."+k)
	}
	for _, h := range pf.Hotspots {
		data.Items = append(data.Items, steckbrief(h, pf, cat, m))
	}
	return renderHTML(data)
}

func renderHTML(data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render HTML: %w", err)
	}
	return buf.Bytes(), nil
}

var htmlTemplate = template.Must(template.New("hotspot").Funcs(template.FuncMap{
	"add": func(a, b float64) float64 { return a + b },
	// css marks a colour KI-Check computed (rgb(…), never from a file)
	// as safe for a style attribute.
	"css": func(s string) template.CSS { return template.CSS(s) },
}).Parse(document.HTMLHead + `{{template "head" .}}<style>
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1e1e1e; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 1.6rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.sub { color: #646464; margin-top: 0; }
.class { display: inline-block; padding: .1rem .6rem; border-radius: .4rem; color: #fff; font-weight: bold; }
dl { display: grid; grid-template-columns: 16rem 1fr; gap: .2rem 1rem; }
dt { color: #646464; }
dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .4rem; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.note { color: #646464; font-size: .9rem; }
.no { color: #a03030; }
article { page-break-before: always; border-top: 3px solid #ccc; margin-top: 2.5rem; }
svg text { font-family: inherit; font-size: 12px; fill: #1e1e1e; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
{{if .Portfolio}}
<h1>{{.Title}}</h1>
<p class="sub">{{.Intro}}</p>
{{with .Matrix}}{{$m := .}}
<h2>{{.Title}}</h2>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.W}} {{.H}}" width="100%" role="img" aria-labelledby="mt md">
<title id="mt">{{.Title}}</title><desc id="md">{{.Desc}}</desc>
<rect x="{{.X0}}" y="{{.Top}}" width="{{.PW}}" height="{{.PH}}" fill="#fafafa" stroke="#bbb"/>
<line x1="{{.ThresholdX}}" y1="{{.Top}}" x2="{{.ThresholdX}}" y2="{{.Y0}}" stroke="#999" stroke-dasharray="4 3"/>
<line x1="{{.X0}}" y1="{{.ThresholdY}}" x2="{{add .X0 .PW}}" y2="{{.ThresholdY}}" stroke="#999" stroke-dasharray="4 3"/>
{{range .Quadrants}}<text x="{{.X}}" y="{{.Y}}" fill="#888" style="font-size:11px" {{if gt .X 300.0}}text-anchor="end"{{end}}>{{.Label}}</text>
{{end}}{{range .YTicks}}<text x="{{add .X -6}}" y="{{add .Y 4}}" text-anchor="end" style="font-size:11px">{{.Label}}</text>
{{end}}{{range .XTicks}}<text x="{{.X}}" y="{{add .Y 16}}" text-anchor="middle" style="font-size:11px">{{.Label}}</text>
{{end}}{{range .Bubbles}}<g><title>{{.Title}}</title><circle cx="{{.X}}" cy="{{.Y}}" r="{{.R}}" fill="{{.Fill}}" fill-opacity="0.7" stroke="#333" stroke-width="0.8"/><text x="{{.X}}" y="{{add .Y 4}}" text-anchor="middle" style="font-size:11px;font-weight:bold">{{.Label}}</text></g>
{{end}}<text x="{{add .X0 (add .PW 0)}}" y="{{add .Y0 34}}" text-anchor="end">{{.XLabel}}</text>
<text x="16" y="{{add .Y0 -180}}" transform="rotate(-90 16 {{add .Y0 -180}})" text-anchor="middle">{{.YLabel}}</text>
{{range .Legend}}<rect x="{{.X}}" y="{{add $m.Y0 48}}" width="14" height="10" fill="{{.Fill}}"/><text x="{{add .X 18}}" y="{{add $m.Y0 57}}">{{.Label}}</text>
{{end}}</svg>
{{end}}
<h2>{{.H.ranking}}</h2>
<table>
<thead><tr><th>{{.H.rank}}</th><th>{{.H.process}}</th><th>{{.H.unit}}</th><th>{{.H.task}}</th><th>{{.H.hours}}</th><th>{{.H.eur}}</th><th>{{.H.feasibility}}</th><th>{{.H.class}}</th><th>{{.H.quadrant}}</th></tr></thead>
<tbody>{{range .Rows}}<tr><td class="num">{{.Rank}}</td><td>{{.Name}} <span class="note">({{.ID}})</span></td><td>{{.Unit}}</td><td>{{.Task}}</td><td class="num">{{.Hours}}</td><td class="num">{{.EUR}}</td><td class="num">{{.Feas}}</td><td><span class="class" style="background: {{css .RGB}}">{{.Class}}</span></td><td>{{.Quadrant}}</td></tr>
{{end}}</tbody></table>
{{end}}
{{range .Items}}<article>
<h1>{{.Title}}</h1>
<p class="sub">{{.Sub}}</p>
<p><span class="class" style="background: {{css .ClassRGB}}">{{.ClassShort}}</span> {{.ClassLabel}}</p>
<h2>{{.H.task}}</h2>
<p>{{.TaskText}}</p>
{{if .Steps}}<h3>{{.H.steps}}</h3><ol>{{range .Steps}}<li>{{.}}</li>{{end}}</ol>{{end}}
<h2>{{.H.recommendation}}</h2>
<dl>{{range .Facts}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}
{{range .Places}}<dt>{{.Label}}</dt><dd{{if not .Allowed}} class="no"{{end}}>{{.Text}}</dd>{{end}}</dl>
<h2>{{.H.benefit}}</h2>
<dl>{{range .Benefit}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
<ul class="note">{{range .Trace}}<li>{{.}}</li>{{end}}</ul>
<h2>{{.H.feasibility}}</h2>
<table><thead><tr><th>{{.H.part}}</th><th>{{.H.value}}</th><th>{{.H.source}}</th></tr></thead>
<tbody>{{range .Parts}}<tr><td>{{index . 0}}</td><td class="num">{{index . 1}}</td><td>{{index . 2}}</td></tr>{{end}}</tbody></table>
<h2>{{.H.legal}}</h2>
<dl>{{range .Legal}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
<h3>{{.H.basis}}</h3><ul>{{range .Basis}}<li>{{.}}</li>{{end}}</ul>
<h3>{{.H.duties}}</h3><ul>{{range .Duties}}<li>{{.}}</li>{{end}}</ul>
{{if .Notes}}<h3>{{.H.notes}}</h3><ul class="note">{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
<h2>{{.H.next}}</h2>
<ol>{{range .Next}}<li>{{.}}</li>{{end}}</ol>
<p class="note">{{.Footer}}</p>
</article>
{{end}}
</body>
</html>
`))
