package report

import (
	"fmt"

	"github.com/ki-reise/kicheck/internal/hardware"
	"math"
	"strconv"
	"strings"
)

// view is the German, human-readable form of a report that both the PDF
// and the HTML page are drawn from, so they always say the same.
type view struct {
	Title           string
	Overall         string // level
	OverallLabel    string
	OverallSentence string
	Incomplete      string // sentence when the check was not complete
	Verdicts        []viewVerdict
	Speed           []speedRow
	SpeedMax        float64
	HasCloud        bool
	HasSpeed        bool
	Device          [][2]string
	About           [][2]string
	Steps           [][3]string
	Bundles         [][2]string
	Extra           []hwGroup // cost and quiz groups
	Hardware        []hwGroup
	JSONPath        string
	SigPath         string
	VerifyCommand   string
	Footer          string
}

type hwGroup struct {
	Title string
	Rows  [][2]string
}

type viewVerdict struct {
	Level, LevelLabel, Subject, Reason string
}

type speedRow struct {
	Label                      string
	Predicted, Measured, Cloud float64 // -1 when unknown
}

// LevelLabel is the German word for a level.
func LevelLabel(level string) string {
	switch level {
	case LevelReady:
		return "bereit"
	case LevelLimited:
		return "eingeschränkt"
	case LevelNotReady:
		return "nicht bereit"
	default:
		return "keine Bewertung"
	}
}

// OverallSentence says in one plain German sentence what the overall
// level means for the clerk.
func OverallSentence(level string) string {
	switch level {
	case LevelReady:
		return "Dieser Arbeitsplatz ist bereit für KI: alle geprüften KI-Anwendungen laufen hier auf dem PC selbst."
	case LevelLimited:
		return "Dieser Arbeitsplatz ist eingeschränkt bereit: manche KI-Anwendungen laufen hier gut, andere nur langsam oder gar nicht."
	case LevelNotReady:
		return "Dieser Arbeitsplatz ist nicht bereit: keine der geprüften KI-Anwendungen läuft hier in brauchbarer Zeit."
	default:
		return "Es gibt noch keine Bewertung: die Prüfung der KI-Modelle hat auf diesem PC nicht stattgefunden."
	}
}

var stepNames = map[string]string{
	"inventory": "Ausstattung erfassen",
	"probe":     "Leistung messen",
	"fit":       "Modelle bewerten",
	"inference": "KI-Test mit lokalem Modell",
	"cloud":     "Vergleich mit der Cloud",
	"cost":      "Kosten schätzen",
	"quiz":      "Quiz-Ergebnisse (zusammengefasst)",
}

var stepStatus = map[string]string{
	StepDone: "erledigt", StepSkipped: "übersprungen", StepFailed: "fehlgeschlagen", StepCancelled: "abgebrochen",
}

// StepLabel is the German name of a check step.
func StepLabel(name string) string {
	if s, ok := stepNames[name]; ok {
		return s
	}
	return name
}

func newView(r *Report, f Files) view {
	v := view{
		Title:           "KI-Check: Prüfbericht",
		Overall:         r.Summary.Overall,
		OverallLabel:    LevelLabel(r.Summary.Overall),
		OverallSentence: OverallSentence(r.Summary.Overall),
		JSONPath:        f.JSON,
		SigPath:         f.Sig,
	}
	if r.Status == StatusIncomplete {
		v.Incomplete = "Die Prüfung wurde nicht vollständig durchgeführt (abgebrochen, Zeitlimit oder Fehler). Der Bericht enthält nur, was gemessen wurde."
	}
	for _, vd := range r.Summary.Verdicts {
		v.Verdicts = append(v.Verdicts, viewVerdict{Level: vd.Level, LevelLabel: LevelLabel(vd.Level), Subject: vd.Subject, Reason: vd.Reason})
		row := speedRow{Label: vd.Subject, Predicted: val(vd.PredictedTokensPerSecond), Measured: val(vd.MeasuredTokensPerSecond), Cloud: val(vd.CloudTokensPerSecond)}
		if row.Predicted >= 0 || row.Measured >= 0 || row.Cloud >= 0 {
			v.Speed = append(v.Speed, row)
			v.SpeedMax = math.Max(v.SpeedMax, math.Max(row.Predicted, math.Max(row.Measured, row.Cloud)))
			if row.Cloud >= 0 {
				v.HasCloud = true
			}
		}
	}
	v.HasSpeed = len(v.Speed) > 0 && v.SpeedMax > 0
	created := r.Created.UTC().Format("02.01.2006, 15:04") + " Uhr (UTC)"
	v.Device = [][2]string{
		{"Geräte-ID", r.Device.DeviceID},
		{"Schlüssel (Fingerabdruck)", r.Device.Fingerprint},
	}
	if r.Device.Hostname != "" {
		v.Device = append(v.Device, [2]string{"Rechnername", r.Device.Hostname})
	}
	if r.Device.OrgUnit != "" {
		v.Device = append(v.Device, [2]string{"Organisationseinheit", r.Device.OrgUnit})
	}
	if p := r.Sections.Policy; p != nil {
		text := p.ID + ", Version " + p.Version
		if p.Stand != "" {
			text += ", Stand " + p.Stand
		}
		v.Device = append(v.Device, [2]string{"KI-Richtlinie", text})
	}
	if inv := r.Sections.Inventory; inv != nil {
		v.Hardware = hardwareGroups(*inv)
	}
	status := "vollständig"
	if r.Status == StatusIncomplete {
		status = "unvollständig"
	}
	v.About = [][2]string{
		{"Erstellt", created},
		{"Berichtsnummer", r.ReportID},
		{"Prüfung", status},
		{"Programm", fmt.Sprintf("%s %s (Stand %s)", r.App.Name, r.App.Version, shortCommit(r.App.Commit))},
	}
	for _, s := range r.Summary.Steps {
		st := stepStatus[s.Status]
		if st == "" {
			st = s.Status
		}
		if s.Message != "" {
			st += ": " + s.Message
		}
		v.Steps = append(v.Steps, [3]string{StepLabel(s.Name), st, formatDuration(s.DurationMS)})
	}
	for _, b := range r.Bundles {
		src := "eingebaut"
		if b.Source == "override" {
			src = "von der Kommune angepasst"
		}
		v.Bundles = append(v.Bundles, [2]string{b.Kind, fmt.Sprintf("%s, Version %s, %s (SHA-256 %s…)", b.ID, b.Version, src, b.SHA256[:min(12, len(b.SHA256))])})
	}
	if cs := r.Sections.Cost; cs != nil {
		g := hwGroup{Title: "Kosten: lokal, Cloud oder beides"}
		g.Rows = append(g.Rows, [2]string{"Empfehlung", cs.Result.Recommendation.Title})
		for _, reason := range cs.Result.Recommendation.Reasons {
			g.Rows = append(g.Rows, [2]string{"", reason})
		}
		g.Rows = append(g.Rows, [2]string{"Grundlage", cs.Source + ", Preise vom " + cs.Result.PriceDate})
		v.Extra = append([]hwGroup{g}, v.Extra...)
	}
	if q := r.Sections.Quiz; q != nil {
		for _, qs := range q.Sessions {
			g := hwGroup{Title: "Quiz: " + qs.Title}
			if st := qs.Stats; st != nil {
				g.Rows = append(g.Rows, [2]string{"Teilnehmende", strconv.Itoa(st.N)})
				if st.MaxTotal > 0 {
					g.Rows = append(g.Rows, [2]string{"Durchschnitt", fmt.Sprintf("%s von %s Punkten (%s %%)",
						formatRate(st.MeanTotal), formatTick(st.MaxTotal), formatTick(math.Round(100*st.MeanTotal/st.MaxTotal)))})
				}
				for _, a := range st.Areas {
					g.Rows = append(g.Rows, [2]string{a.Area, fmt.Sprintf("%s %% richtig (%d Fragen)", formatTick(math.Round(100*a.Facility)), a.Items)})
				}
			}
			g.Rows = append(g.Rows, [2]string{"Sitzung", qs.SessionID + ", " + qs.BundleID + " " + qs.BundleVersion})
			v.Extra = append(v.Extra, g)
		}
	}
	v.VerifyCommand = fmt.Sprintf("ssh-keygen -Y verify -f allowed_signers -I %s -n kicheck-report-v1 -s %s < %s",
		r.Device.DeviceID, baseOf(f.Sig, "NAME.json.sig"), baseOf(f.JSON, "NAME.json"))
	v.Footer = fmt.Sprintf("KI-Check-Prüfbericht · Gerät %s · %s", r.Device.DeviceID, r.Created.UTC().Format("02.01.2006"))
	return v
}

// hardwareGroups describes the inventory in German with the hardware
// package's own wording, so the report reads like the Hardware screen.
func hardwareGroups(inv hardware.Inventory) []hwGroup {
	var out []hwGroup
	for _, g := range hardware.Describe(inv, "de") {
		hg := hwGroup{Title: g.Title}
		if g.Unknown {
			hg.Rows = append(hg.Rows, [2]string{"nicht ermittelt", g.Reason})
		}
		for _, r := range g.Rows {
			if r.Value == "" {
				continue
			}
			hg.Rows = append(hg.Rows, [2]string{r.Label, r.Value})
		}
		if len(hg.Rows) > 0 {
			out = append(out, hg)
		}
	}
	return out
}

func val(p *float64) float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) || *p < 0 {
		return -1
	}
	return *p
}

// formatRate writes tokens per second the German way: "12,9".
func formatRate(f float64) string {
	prec := 1
	if f >= 100 {
		prec = 0
	}
	return strings.Replace(strconv.FormatFloat(f, 'f', prec, 64), ".", ",", 1)
}

// formatTick writes an axis value: whole numbers without decimals.
func formatTick(f float64) string {
	if f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1)
}

func formatDuration(ms int64) string {
	switch {
	case ms < 1000:
		return fmt.Sprintf("%d ms", ms)
	case ms < 120_000:
		return strings.Replace(strconv.FormatFloat(float64(ms)/1000, 'f', 1, 64), ".", ",", 1) + " s"
	default:
		return fmt.Sprintf("%d min %d s", ms/60000, ms%60000/1000)
	}
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

func baseOf(path, fallback string) string {
	if path == "" {
		return fallback
	}
	i := strings.LastIndexAny(path, `/\`)
	return path[i+1:]
}
