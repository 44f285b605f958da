package aggregate

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// LevelsText is a group's keys as people read them in lang: "nicht bereit
// oder ohne Urteil".
func LevelsText(lang string, g Group) string {
	parts := make([]string, len(g.Keys))
	for i, k := range g.Keys {
		parts[i] = i18n.T(lang, "level."+k)
	}
	return strings.Join(parts, i18n.T(lang, "aggregate.or"))
}

// Pct writes a share (0..1) as a whole percentage in lang.
func Pct(lang string, share float64) string {
	return i18n.T(lang, "common.percent", map[string]any{"N": i18n.Decimal(lang, share*100, 0)})
}

// DateText writes a YYYY-MM-DD date in lang (as it is when it is none).
func DateText(lang, s string) string { return dateText(s).Text(lang) }

// RowText is one municipality in one line, in lang.
func RowText(lang string, r LandRow) string {
	return i18n.T(lang, "aggregate.view.row", map[string]any{"AGS": r.AGS, "Name": i18n.Escape(r.Name), "Levels": tallyText(lang, r.Tally, r.Merged),
		"From": DateText(lang, r.From), "To": DateText(lang, r.To)})
}

// tallyText: "40 Arbeitsplätze: 12 bereit (30 %), 20 eingeschränkt, 8 nicht
// bereit oder ohne Urteil". A level inside a merged group is named only
// there.
func tallyText(lang string, t Tally, merged []Group) string {
	n := func(v int) string { return i18n.Int(v).Text(lang) }
	var parts []string
	if !inMerged(merged, "ready") {
		parts = append(parts, i18n.T(lang, "aggregate.view.ready", map[string]any{"N": n(t.Ready), "Pct": Pct(lang, t.ReadyShare)}))
	}
	for _, l := range []struct {
		key string
		v   int
	}{{"limited", t.Limited}, {"not_ready", t.NotReady}, {"unknown", t.Unknown}} {
		if !inMerged(merged, l.key) {
			parts = append(parts, n(l.v)+" "+i18n.T(lang, "level."+l.key))
		}
	}
	for _, g := range merged {
		parts = append(parts, n(g.Devices)+" "+LevelsText(lang, g))
	}
	if merged == nil && t.InMerged > 0 {
		parts = append(parts, i18n.T(lang, "aggregate.view.in_merged", map[string]any{"N": n(t.InMerged)}))
	}
	return i18n.T(lang, "aggregate.view.devices", map[string]any{"N": n(t.Devices)}) + ": " + strings.Join(parts, ", ")
}

func inMerged(merged []Group, key string) bool {
	for _, g := range merged {
		for _, k := range g.Keys {
			if k == key {
				return true
			}
		}
	}
	return false
}

// Cell is a municipality's count of level key as shown in a table: "–"
// when the level is part of a merged group.
func Cell(lang string, r LandRow, key string) string {
	if inMerged(r.Merged, key) {
		return "–"
	}
	v := map[string]int{"ready": r.Ready, "limited": r.Limited, "not_ready": r.NotReady, "unknown": r.Unknown}[key]
	return i18n.Int(v).Text(lang)
}

// ShareCell is a municipality's ready share, "–" when ready is merged.
func ShareCell(lang string, r LandRow) string {
	if inMerged(r.Merged, "ready") {
		return "–"
	}
	return Pct(lang, r.ReadyShare)
}

// WriteText writes the Land view as text in lang: the total, then one
// line per municipality.
func WriteText(w io.Writer, v *LandView, lang string) error {
	fmt.Fprintln(w, i18n.T(lang, "aggregate.view.total", map[string]any{"Municipalities": i18n.Int(v.Total.Municipalities).Text(lang), "Count": v.Total.Municipalities,
		"Levels": tallyText(lang, v.Total, nil)}))
	if len(v.Municipalities) == 0 {
		_, err := fmt.Fprintln(w, i18n.T(lang, "aggregate.view.none"))
		return err
	}
	for _, r := range v.Municipalities {
		if _, err := fmt.Fprintln(w, RowText(lang, r)); err != nil {
			return err
		}
	}
	if v.Total.InMerged > 0 {
		fmt.Fprintln(w, i18n.T(lang, "aggregate.view.merged_note", map[string]any{"Min": v.MinBucket}))
	}
	return nil
}

// WriteHTML writes the Land view as one self-contained page in lang:
// the total and one table row per municipality, values as text.
func WriteHTML(w io.Writer, v *LandView, lang string) error {
	if i18n.Catalog(lang) == nil {
		lang = i18n.Default
	}
	return landPage.Execute(w, landData{LandView: v, Lang: lang})
}

type landData struct {
	*LandView
	Lang string
}

func (p landData) T(id string, kv ...any) string {
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return i18n.T(p.Lang, id, data)
}
func (p landData) Cell(r LandRow, key string) string { return Cell(p.Lang, r, key) }
func (p landData) Share(r LandRow) string            { return ShareCell(p.Lang, r) }
func (p landData) Esc(s string) string               { return i18n.Escape(s) }
func (p landData) N(v int) string                    { return i18n.Int(v).Text(p.Lang) }
func (p landData) Pct(s float64) string              { return Pct(p.Lang, s) }
func (p landData) Date(s string) string              { return DateText(p.Lang, s) }
func (p landData) Levels(g Group) string             { return LevelsText(p.Lang, g) }
func (p landData) Time(t time.Time) string           { return i18n.Time(t).Text(p.Lang) }
func (p landData) Created(s string) string           { return createdText(s).Text(p.Lang) }

var landPage = template.Must(template.New("land").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{$.T "aggregate.html.title"}}</title>
<style>
body{font-family:system-ui,"Segoe UI",sans-serif;margin:2rem;color:#1f2328;max-width:80rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse}td,th{padding:.25rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid #d0d7de}
th{background:#f6f8fa}.n{text-align:right}th[scope=row]{background:none;font-weight:normal}.nw{white-space:nowrap}
.wide{max-width:100%;overflow-x:auto}td,th{overflow-wrap:break-word}
.kpi{display:inline-block;margin-right:2.5rem}.kpi b{display:block;font-size:1.8rem}
@media (max-width:40rem){body{margin:.75rem}.kpi{margin-right:1rem}}
</style>
</head>
<body>
<h1>{{$.T "aggregate.html.title"}}</h1>
<p>{{$.T "aggregate.html.as_of" "Date" ($.Time .GeneratedAt)}}</p>
<p>{{$.T "aggregate.html.intro" "Min" .MinBucket}}</p>
{{with .Total}}<div><span class="kpi"><b>{{$.N .Municipalities}}</b>{{$.T "aggregate.html.kpi_municipalities"}}</span><span class="kpi"><b>{{$.N .Devices}}</b>{{$.T "fleet.html.kpi_devices"}}</span><span class="kpi"><b>{{$.Pct .ReadyShare}}</b>{{$.T "level.ready"}}</span></div>
<h2 id="total">{{$.T "aggregate.html.total_heading"}}</h2>
<div class="wide" role="region" tabindex="0" aria-labelledby="total"><table><caption>{{$.T "aggregate.html.total_caption"}}</caption>
<tr><th scope="col">{{$.T "fleet.html.overall_heading"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_devices"}}</th></tr>
<tr><th scope="row">{{$.T "level.ready"}}</th><td class="n">{{$.N .Ready}} ({{$.Pct .ReadyShare}})</td></tr>
<tr><th scope="row">{{$.T "level.limited"}}</th><td class="n">{{$.N .Limited}}</td></tr>
<tr><th scope="row">{{$.T "level.not_ready"}}</th><td class="n">{{$.N .NotReady}}</td></tr>
<tr><th scope="row">{{$.T "level.unknown"}}</th><td class="n">{{$.N .Unknown}}</td></tr>
<tr><th scope="row">{{$.T "aggregate.html.merged_row"}}</th><td class="n">{{$.N .InMerged}}</td></tr>
<tr><th scope="row">{{$.T "aggregate.html.total_row"}}</th><td class="n">{{$.N .Devices}}</td></tr>
</table></div>{{end}}
<h2 id="per">{{$.T "aggregate.html.per_heading"}}</h2>
{{if .Municipalities}}<div class="wide" role="region" tabindex="0" aria-labelledby="per"><table>
<tr><th scope="col">{{$.T "aggregate.html.col_ags"}}</th><th scope="col">{{$.T "common.municipality"}}</th><th scope="col" class="n">{{$.T "fleet.html.col_devices"}}</th><th scope="col" class="n">{{$.T "level.ready"}}</th><th scope="col" class="n">{{$.T "aggregate.html.col_share"}}</th><th scope="col" class="n">{{$.T "level.limited"}}</th><th scope="col" class="n">{{$.T "level.not_ready"}}</th><th scope="col" class="n">{{$.T "level.unknown"}}</th><th scope="col">{{$.T "aggregate.html.col_merged"}}</th><th scope="col">{{$.T "aggregate.html.col_data"}}</th></tr>
{{range .Municipalities}}<tr><td>{{.AGS}}</td><th scope="row" class="nw">{{$.Esc .Name}}</th><td class="n">{{$.N .Devices}}</td><td class="n">{{$.Cell . "ready"}}</td><td class="n">{{$.Share .}}</td><td class="n">{{$.Cell . "limited"}}</td><td class="n">{{$.Cell . "not_ready"}}</td><td class="n">{{$.Cell . "unknown"}}</td><td>{{range $i, $g := .Merged}}{{if $i}}; {{end}}{{$.N $g.Devices}} {{$.Levels $g}}{{else}}–{{end}}</td><td class="nw">{{$.T "aggregate.html.data_range" "From" ($.Date .From) "To" ($.Date .To)}}</td></tr>
{{end}}</table></div>{{else}}<p>{{$.T "aggregate.view.none"}}</p>{{end}}
<p>{{$.T "aggregate.html.note" "Min" .MinBucket}}</p>
</body>
</html>
`))

// WriteHTMLFile writes the Land page to path, whole or not at all.
func WriteHTMLFile(path string, v *LandView, lang string) error {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, v, lang); err != nil {
		return err
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
