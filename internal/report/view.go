package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// view is the human-readable form of a report in one language that both
// the PDF and the HTML page are drawn from, so they always say the same.
// The clerk's part comes first and is plain; everything technical (the
// figures behind each verdict, device key, hardware, versions, the
// ssh-keygen command) is under the heading "Für die IT".
type view struct {
	Lang            string
	L               map[string]string // fixed texts in Lang (report.* ids without the prefix)
	Title           string
	Subtitle        string
	Overall         string // level
	OverallLabel    string
	OverallSentence string
	Incomplete      string // sentence when the check was not complete
	Verdicts        []viewVerdict
	Speed           []speedRow // seconds per page of answer
	SpeedMax        float64
	HasCloud        bool
	HasSpeed        bool
	Workplace       [][2]string // this workplace, plainly
	Steps           [][3]string
	Extra           []hwGroup // cost and quiz groups
	IT              []hwGroup // "Für die IT"
	JSONPath        string
	SigPath         string
	VerifyCommand   string
	KicheckVerify   string
	Footer          string
}

type hwGroup struct {
	Title string
	Rows  [][2]string
}

type viewVerdict struct {
	Level, LevelLabel, Subject, Reason, IT string
}

type speedRow struct {
	Label                      string
	Predicted, Measured, Cloud float64 // seconds per page; -1 when unknown
}

// Texts is the verdict's subject and plain reason in lang, and the
// technical line for IT ("" when the verdict carries no message).
func (vd Verdict) Texts(lang string) (subject, reason, it string) {
	lang = reportLang(lang)
	subject, reason = vd.Subject, vd.Reason
	if s := vd.Subjects[lang]; s != "" {
		subject = s
	}
	if m := vd.ReasonMessage; m != nil && m.ID != "" {
		reason = fit.Reason{ID: m.ID, Data: m.Data}.Text(lang)
		if s := (fit.Reason{ID: m.ID + ".it", Data: m.Data}).Text(lang); s != m.ID+".it" {
			it = s
		}
		if c := vd.CloseMessage; c != nil && c.ID != "" {
			reason += " " + fit.Reason{ID: c.ID, Data: c.Data}.Text(lang)
		}
	}
	return subject, reason, it
}

// reportLang is "en" or the default, German.
func reportLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "de"
}

// LevelLabel is a level's word in lang ("bereit", "eingeschränkt", …).
func LevelLabel(level, lang string) string {
	switch level {
	case LevelReady, LevelLimited, LevelNotReady:
		return fit.Verdict(level).Label(reportLang(lang)) // fit's label, the one for every view
	}
	return i18n.T(reportLang(lang), "level.unknown")
}

// OverallSentence says in one plain sentence what the overall level
// means for the clerk.
func OverallSentence(level, lang string) string {
	switch level {
	case LevelReady, LevelLimited, LevelNotReady:
		return i18n.T(reportLang(lang), "report.overall."+level)
	}
	return i18n.T(reportLang(lang), "report.overall.unknown")
}

// StepLabel is the name of a check step in lang.
func StepLabel(name, lang string) string {
	switch name {
	case "inventory", "probe", "fit", "inference", "cloud", "cost", "quiz":
		return i18n.T(reportLang(lang), "report.step."+name)
	}
	return name
}

// StepStatus is a step status's word in lang ("erledigt", "übersprungen", …).
func StepStatus(status, lang string) string {
	switch status {
	case StepDone, StepSkipped, StepFailed, StepCancelled:
		return i18n.T(reportLang(lang), "report.status."+status)
	}
	return status
}

// StepMessage is what a step says about itself, for the clerk: its
// message id rendered in lang, or for the English words older reports
// stored the matching text; "" for a message that only IT can read (it
// is shown under "Für die IT").
func StepMessage(s Step, lang string) string {
	id := s.MessageID
	if id == "" {
		id = knownStepMessages[s.Message]
	}
	if id == "" || !strings.HasPrefix(id, "report.stepmsg.") {
		return ""
	}
	return i18n.T(reportLang(lang), id)
}

// StepMessageID is the message id of a step's English message, or "".
func StepMessageID(msg string) string { return knownStepMessages[msg] }

// knownStepMessages maps the English messages of the check's steps to
// their ids (for reports written before steps stored the id).
var knownStepMessages = map[string]string{
	"no local AI runtime with a model found": "report.stepmsg.no_runtime",
	"cancelled":                              "report.stepmsg.cancelled",
	"time limit reached":                     "report.stepmsg.timeout",
}

// labels are the report.* texts the view and the renderers use.
var labels = []string{
	"title", "subtitle", "overall_heading", "results", "no_verdicts", "chart_title", "chart_note", "chart_cloud_title", "chart_cloud_note",
	"chart_axis", "chart_values_col", "series_predicted", "series_measured", "series_here", "series_cloud", "not_measured", "workplace", "steps", "for_it",
	"for_it_intro", "it_figures", "it_device", "it_report", "it_bundles", "it_signed", "it_signed_intro", "it_json", "it_sig",
	"it_verify_kicheck", "it_verify_ssh", "page", "light", "not_determined", "it_step_messages", "it_capacity",
}

func newView(r *Report, f Files, lang string) view {
	lang = reportLang(lang)
	t := func(id string, data ...any) string { return i18n.T(lang, "report."+id, data...) }
	v := view{Lang: lang, L: map[string]string{}, JSONPath: f.JSON, SigPath: f.Sig}
	for _, id := range labels {
		v.L[id] = t(id)
	}
	v.Title = v.L["title"]
	v.Overall = r.Summary.Overall
	v.OverallLabel = LevelLabel(r.Summary.Overall, lang)
	v.OverallSentence = OverallSentence(r.Summary.Overall, lang)
	created := createdText(r, lang)
	v.Subtitle = v.L["subtitle"] + " · " + created
	if r.Status == StatusIncomplete {
		v.Incomplete = t("incomplete")
	}
	var figures [][2]string
	for _, vd := range r.Summary.Verdicts {
		subject, reason, it := vd.Texts(lang)
		v.Verdicts = append(v.Verdicts, viewVerdict{Level: vd.Level, LevelLabel: LevelLabel(vd.Level, lang), Subject: subject, Reason: reason, IT: it})
		if it != "" {
			figures = append(figures, [2]string{subject, it})
		}
		row := speedRow{Label: subject, Predicted: perPage(vd.PredictedTokensPerSecond), Measured: perPage(vd.MeasuredTokensPerSecond), Cloud: perPage(vd.CloudTokensPerSecond)}
		if row.Predicted >= 0 || row.Measured >= 0 || row.Cloud >= 0 {
			v.Speed = append(v.Speed, row)
			v.SpeedMax = math.Max(v.SpeedMax, math.Max(row.Predicted, math.Max(row.Measured, row.Cloud)))
			if row.Cloud >= 0 {
				v.HasCloud = true
			}
		}
		if tps := vd.MeasuredTokensPerSecond; tps != nil && val(tps) >= 0 {
			figures = append(figures, [2]string{subject, t("it_measured", map[string]any{"TPS": i18n.Decimal(lang, *tps, 1)})})
		}
	}
	v.HasSpeed = len(v.Speed) > 0 && v.SpeedMax > 0

	// This workplace, plainly.
	if r.Device.Hostname != "" {
		v.Workplace = append(v.Workplace, [2]string{t("hostname"), r.Device.Hostname})
	}
	if r.Device.OrgUnit != "" {
		v.Workplace = append(v.Workplace, [2]string{t("org_unit"), r.Device.OrgUnit})
	}
	if p := r.Sections.Policy; p != nil {
		stand := p.Stand
		if d, err := i18n.ParseDate(p.Stand); err == nil {
			stand = d.Text(lang) // the date as the language writes it, not ISO
		}
		v.Workplace = append(v.Workplace, [2]string{t("ai_policy"), t("ai_policy_value", map[string]any{"ID": p.ID, "Version": p.Version, "Stand": stand})})
	}
	status := t("complete")
	if r.Status == StatusIncomplete {
		status = t("incomplete_short")
	}
	v.Workplace = append(v.Workplace, [2]string{t("created"), created}, [2]string{t("check"), status})

	var stepIT [][2]string
	for _, s := range r.Summary.Steps {
		st := StepStatus(s.Status, lang)
		if msg := StepMessage(s, lang); msg != "" {
			st += ": " + msg
		} else if s.Message != "" {
			stepIT = append(stepIT, [2]string{StepLabel(s.Name, lang), s.Message})
		}
		v.Steps = append(v.Steps, [3]string{StepLabel(s.Name, lang), st, formatDuration(s.DurationMS, lang)})
	}
	if cs := r.Sections.Cost; cs != nil {
		g := hwGroup{Title: t("cost_title")}
		g.Rows = append(g.Rows, [2]string{t("cost_recommendation"), cs.Result.Recommendation.Title})
		for _, reason := range cs.Result.Recommendation.Reasons {
			g.Rows = append(g.Rows, [2]string{"", reason})
		}
		g.Rows = append(g.Rows, [2]string{t("cost_basis"), t("cost_basis_value", map[string]any{"Source": cs.Source, "Date": cs.Result.PriceDate})})
		v.Extra = append(v.Extra, g)
	}
	if q := r.Sections.Quiz; q != nil {
		for _, qs := range q.Sessions {
			g := hwGroup{Title: t("quiz_title", map[string]any{"Title": qs.Title})}
			if st := qs.Stats; st != nil {
				g.Rows = append(g.Rows, [2]string{t("quiz_participants"), strconv.Itoa(st.N)})
				if st.MaxTotal > 0 {
					g.Rows = append(g.Rows, [2]string{t("quiz_mean"), t("quiz_mean_value", map[string]any{
						"Mean": formatRate(st.MeanTotal, lang), "Max": formatTick(st.MaxTotal, lang), "Pct": formatTick(math.Round(100*st.MeanTotal/st.MaxTotal), lang)})})
				}
				for _, a := range st.Areas {
					g.Rows = append(g.Rows, [2]string{a.Area, t("quiz_area_value", map[string]any{"Pct": formatTick(math.Round(100*a.Facility), lang), "Items": a.Items})})
				}
			}
			g.Rows = append(g.Rows, [2]string{t("quiz_session"), qs.SessionID + ", " + qs.BundleID + " " + qs.BundleVersion})
			v.Extra = append(v.Extra, g)
		}
	}

	// For IT.
	if fs := r.Sections.Fit; fs != nil {
		capB := 0.0
		for _, u := range fs.UseCases {
			capB = math.Max(capB, u.CapacityB)
		}
		if capB > 0 {
			figures = append(figures, [2]string{v.L["it_capacity"], t("it_capacity_value", map[string]any{"B": formatTick(capB, lang)})})
		}
		if fs.Machine.MemoryReadGBps > 0 {
			figures = append(figures, [2]string{t("it_bandwidth"), i18n.Decimal(lang, fs.Machine.MemoryReadGBps, 1) + " GB/s"})
		}
	}
	if len(figures) > 0 {
		v.IT = append(v.IT, hwGroup{Title: v.L["it_figures"], Rows: figures})
	}
	dev := [][2]string{{t("device_id"), r.Device.DeviceID}, {t("fingerprint"), r.Device.Fingerprint}}
	v.IT = append(v.IT, hwGroup{Title: v.L["it_device"], Rows: dev})
	if inv := r.Sections.Inventory; inv != nil {
		v.IT = append(v.IT, hardwareGroups(*inv, lang)...)
	}
	about := [][2]string{{t("report_id"), r.ReportID}, {t("program"), programText(r.App, lang)}}
	v.IT = append(v.IT, hwGroup{Title: v.L["it_report"], Rows: about})
	if len(stepIT) > 0 {
		v.IT = append(v.IT, hwGroup{Title: v.L["it_step_messages"], Rows: stepIT})
	}
	var bundles [][2]string
	for _, b := range r.Bundles {
		src := t("bundle_embedded")
		if b.Source == "override" {
			src = t("bundle_override")
		}
		bundles = append(bundles, [2]string{b.Kind, t("bundle_value", map[string]any{"ID": b.ID, "Version": b.Version, "Source": src, "SHA": b.SHA256[:min(12, len(b.SHA256))]})})
	}
	if len(bundles) > 0 {
		v.IT = append(v.IT, hwGroup{Title: v.L["it_bundles"], Rows: bundles})
	}
	v.VerifyCommand = fmt.Sprintf("ssh-keygen -Y verify -f allowed_signers -I %s -n kicheck-report-v1 -s %s < %s",
		r.Device.DeviceID, baseOf(f.Sig, "NAME.json.sig"), baseOf(f.JSON, "NAME.json"))
	v.KicheckVerify = "kicheck verify --allowed-signers allowed_signers " + baseOf(f.JSON, "NAME.json")
	v.Footer = t("footer", map[string]any{"Device": r.Device.DeviceID, "Date": i18n.Date(r.Created.UTC()).Text(lang)})
	return v
}

// createdText is the report's time in lang, in UTC.
func createdText(r *Report, lang string) string {
	c := i18n.DateTime(lang, r.Created.UTC())
	if lang == "en" {
		return c + " UTC"
	}
	return c + " Uhr (UTC)"
}

// programText names the KI-Check build: "KI-Check 1.2.0 (Programmstand
// abc123)", without a "Stand unknown" for a build that does not know it.
func programText(a App, lang string) string {
	name := a.Name
	if name == "" {
		name = "KI-Check"
	}
	version := a.Version
	if version == "" || version == "dev" {
		version = i18n.T(lang, "report.version_dev")
	}
	c := shortCommit(a.Commit)
	if c == "" || c == "unknown" {
		return name + " " + version
	}
	return i18n.T(lang, "report.program_value", map[string]any{"Name": name, "Version": version, "Commit": c})
}

// perPage turns a speed in tokens per second into seconds per page of
// answer (fit.PageTokens), the unit clerks read; -1 when unknown.
func perPage(tps *float64) float64 {
	v := val(tps)
	if v <= 0 {
		return -1
	}
	return fit.PageTokens / v
}

// hardwareGroups describes the inventory with the hardware package's own
// wording, so the report reads like the Hardware screen.
func hardwareGroups(inv hardware.Inventory, lang string) []hwGroup {
	var out []hwGroup
	for _, g := range hardware.Describe(inv, lang) {
		hg := hwGroup{Title: g.Title}
		if g.Unknown {
			hg.Rows = append(hg.Rows, [2]string{i18n.T(lang, "report.not_determined"), g.Reason})
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

// formatRate writes a value with one decimal (none from 100) in lang: "12,9".
func formatRate(f float64, lang string) string {
	prec := 1
	if f >= 100 {
		prec = 0
	}
	return i18n.Decimal(lang, f, prec)
}

// formatTick writes an axis value: whole numbers without decimals.
func formatTick(f float64, lang string) string {
	if f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return i18n.Decimal(lang, f, 1)
}

func formatDuration(ms int64, lang string) string {
	switch {
	case ms < 1000:
		return fmt.Sprintf("%d ms", ms)
	case ms < 120_000:
		return i18n.Decimal(lang, float64(ms)/1000, 1) + " s"
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

// formatSecs writes seconds as the reasons do: whole seconds from 10 on.
func formatSecs(f float64, lang string) string {
	if f >= 10 {
		return i18n.Decimal(lang, math.Round(f), 0)
	}
	return i18n.Decimal(lang, f, 1)
}
