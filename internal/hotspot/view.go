package hotspot

import (
	"fmt"
	"math"
	"strings"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Colours of the legal classes in the matrix and on the Steckbrief (RGB).
// Each colour carries white text (badges) at 4.5:1 or more
// (TestClassColoursCarryWhiteText); the orange is the report's
// "eingeschränkt" shade.
var classColour = map[aiact.Class][3]int{
	aiact.Prohibited:   {200, 40, 40},
	aiact.HighRisk:     {180, 83, 9},
	aiact.Transparency: {30, 100, 180},
	aiact.Minimal:      {30, 110, 65},
}

func rgb(c [3]int) string { return fmt.Sprintf("rgb(%d,%d,%d)", c[0], c[1], c[2]) }

// sbView is one Steckbrief's content in one language, shared by the HTML
// and the PDF.
type sbView struct {
	Lang, Title, Sub     string
	H                    map[string]string // section headings and labels
	Facts                [][2]string
	TaskText             string
	Steps                []string
	Places               []placeRow
	Benefit              [][2]string
	Trace                []string
	Parts                [][3]string
	ClassLabel, ClassRGB string
	ClassShort           string
	Class                [3]int
	Legal                [][2]string
	Basis, Duties, Notes []string
	Next                 []string
	Footer               string
}

type placeRow struct {
	Label, Text string
	Allowed     bool
}

func t(lang, id string, kv ...any) string { return msg(id, kv...).Text(lang) }

// steckbrief builds the view of h. cat gives the catalogue's steps when
// the process id is one of the catalogue's.
func steckbrief(h Hotspot, pf *Portfolio, cat *Catalogue, m Meta) sbView {
	lang := m.Lang
	h.Legal.Localize(lang)
	p := h.Process
	v := sbView{Lang: lang, Title: p.Name, H: map[string]string{}}
	for _, k := range []string{"task", "recommendation", "benefit", "feasibility", "legal", "next", "basis", "duties", "notes", "steps", "part", "value", "source"} {
		v.H[k] = t(lang, "sb."+k)
	}
	sub := []string{p.Unit, "id " + p.ID}
	if p.LeiKa != "" {
		sub = append(sub, "LeiKa "+p.LeiKa)
	}
	sub = append(sub, t(lang, "sb.rank", "Rank", h.Rank, "Of", len(pf.Hotspots)), msg("quadrant."+h.Quadrant).Text(lang))
	v.Sub = strings.Join(sub, " · ")
	v.TaskText = h.Task.Title(lang) + ": " + h.Task.Text(lang)
	if cat != nil {
		for _, cp := range cat.Processes {
			if cp.ID != p.ID {
				continue
			}
			for _, s := range cp.Steps {
				name := s.Name
				if lang == "en" && s.NameEN != "" {
					name = s.NameEN
				}
				if tt, ok := cat.TaskType(s.Task); ok {
					name += " – " + tt.Title(lang)
				}
				v.Steps = append(v.Steps, name)
			}
		}
	}
	model := h.Model
	if model == "" {
		model = t(lang, "sb.model_none")
	} else if pc := h.Places[0]; pc.Verdict != "" {
		model += " (" + i18n.Msg{ID: "fit.verdict." + string(pc.Verdict)}.Text(lang) + ")"
	}
	v.Facts = [][2]string{
		{t(lang, "sb.model"), model},
		{t(lang, "sb.usecase"), h.Task.UseCase},
		{t(lang, "sb.dataclass"), i18n.Msg{ID: "dataclass." + p.DataClass}.Text(lang)},
	}
	for _, pl := range h.Places {
		v.Places = append(v.Places, placeRow{Label: t(lang, "place."+pl.ID), Text: pl.Reason.Text(lang), Allowed: pl.Allowed})
	}
	eur := t(lang, "sb.eur_missing")
	if h.EUR != nil {
		eur = i18n.Grouped(lang, *h.EUR, 0) + " €"
	}
	v.Benefit = [][2]string{{t(lang, "sb.hours"), i18n.Grouped(lang, h.Hours, 1) + " h"}, {t(lang, "sb.eur"), eur}}
	v.Trace = i18n.Texts(h.Trace, lang)
	for _, pt := range h.Parts {
		v.Parts = append(v.Parts, [3]string{t(lang, "sb.part."+pt.ID) + " (" + i18n.Decimal(lang, pt.Weight, 1) + ")",
			i18n.Decimal(lang, math.Round(pt.Value*100)/100, -1), pt.Basis.Text(lang)})
	}
	v.Parts = append(v.Parts, [3]string{t(lang, "sb.feasibility"), i18n.Grouped(lang, h.Feasibility, 1), t(lang, "sb.feasibility_scale")})
	v.Class = classColour[h.Legal.Result.Class]
	v.ClassRGB = rgb(v.Class)
	v.ClassLabel = h.Legal.ClassLabel
	v.ClassShort = t(lang, "class."+string(h.Legal.Result.Class))
	since := "–"
	if h.Legal.Since != "" {
		since = aiact.Date(h.Legal.Since).Text(lang)
	}
	v.Legal = [][2]string{
		{t(lang, "sb.class"), h.Legal.ClassLabel},
		{t(lang, "sb.since"), since},
		{t(lang, "sb.automation"), h.Legal.Automation},
		{t(lang, "sb.stand"), aiact.Date(h.Legal.Stand).Text(lang)},
	}
	for _, b := range h.Legal.Basis {
		v.Basis = append(v.Basis, b.Article+": "+b.Text)
	}
	for _, d := range h.Legal.Duties {
		s := d.Article + ": " + d.Text
		if d.From != "" {
			s += " (" + t(lang, "sb.from", "Date", aiact.Date(d.From)) + ")"
		}
		v.Duties = append(v.Duties, s)
	}
	v.Notes = h.Legal.Notes
	v.Next = i18n.Texts(h.Next, lang)
	kommune := m.Kommune
	if strings.TrimSpace(kommune) == "" {
		kommune = i18n.T(lang, "common.municipality_to_fill") // the sheet's language, not the export's German placeholder
	}
	v.Footer = t(lang, "sb.footer", "Kommune", kommune, "Date", m.Created.Format("2006-01-02"), "Stand", h.Legal.Stand)
	return v
}

// matrix is the benefit × feasibility chart: x = Umsetzbarkeit (0..100),
// y = hours per year, bubble area ∝ hours, colour = legal class.
type matrix struct {
	W, H, X0, Y0, PW, PH        float64 // plot origin bottom-left (X0, Y0), size PW × PH
	Top                         float64 // Y0 - PH
	MaxHours                    float64
	ThresholdX, ThresholdY      float64
	Bubbles                     []bubble
	YTicks, XTicks              []tick
	Legend                      []legendItem
	Title, XLabel, YLabel, Desc string
	Quadrants                   []tick // labels in the corners
}

type bubble struct {
	X, Y, R float64
	Fill    string
	RGB     [3]int
	Label   string
	Title   string
}

type tick struct {
	X, Y  float64
	Label string
}

type legendItem struct {
	X     float64
	Fill  string
	RGB   [3]int
	Label string
}

func newMatrix(pf *Portfolio, lang string) matrix {
	m := matrix{W: 720, H: 470, X0: 70, Y0: 400, PW: 620, PH: 360}
	m.Top = m.Y0 - m.PH
	m.Title, m.XLabel, m.YLabel = t(lang, "matrix.title"), t(lang, "matrix.x"), t(lang, "matrix.y")
	for _, h := range pf.Hotspots {
		m.MaxHours = math.Max(m.MaxHours, h.Hours)
	}
	top := niceCeil(m.MaxHours * 1.1)
	if top <= 0 {
		top = 1
	}
	sx := func(f float64) float64 { return m.X0 + f/100*m.PW }
	sy := func(hrs float64) float64 { return m.Y0 - hrs/top*m.PH }
	m.ThresholdX, m.ThresholdY = sx(pf.FeasibilityThreshold), sy(pf.BenefitThreshold)
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		m.YTicks = append(m.YTicks, tick{X: m.X0, Y: sy(v), Label: i18n.Grouped(lang, v, 0)})
		m.XTicks = append(m.XTicks, tick{X: sx(float64(i) * 25), Y: m.Y0, Label: fmt.Sprint(i * 25)})
	}
	for i, c := range aiact.Classes {
		m.Legend = append(m.Legend, legendItem{X: m.X0 + float64(i)*160, Fill: rgb(classColour[c]), RGB: classColour[c], Label: t(lang, "class."+string(c))})
	}
	m.Quadrants = []tick{
		{X: sx(100) - 4, Y: sy(top) + 14, Label: msg("quadrant." + QuickWin).Text(lang)},
		{X: m.X0 + 4, Y: sy(top) + 14, Label: msg("quadrant." + Strategic).Text(lang)},
		{X: sx(100) - 4, Y: m.Y0 - 6, Label: msg("quadrant." + Examine).Text(lang)},
		{X: m.X0 + 4, Y: m.Y0 - 6, Label: msg("quadrant." + Postpone).Text(lang)},
	}
	// Largest first, so small bubbles stay visible on top.
	order := make([]int, len(pf.Hotspots))
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && pf.Hotspots[order[j]].Hours > pf.Hotspots[order[j-1]].Hours; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for _, i := range order {
		h := pf.Hotspots[i]
		r := 5.0
		if m.MaxHours > 0 {
			r = 5 + 22*math.Sqrt(h.Hours/m.MaxHours)
		}
		c := classColour[h.Legal.Result.Class]
		m.Bubbles = append(m.Bubbles, bubble{X: sx(h.Feasibility), Y: sy(h.Hours), R: r, Fill: rgb(c), RGB: c, Label: fmt.Sprint(h.Rank),
			Title: fmt.Sprintf("%d. %s: %s h, %s", h.Rank, h.Process.Name, i18n.Grouped(lang, h.Hours, 0), i18n.Grouped(lang, h.Feasibility, 0))})
	}
	m.Desc = t(lang, "matrix.desc")
	return m
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*p >= v {
			return f * p
		}
	}
	return 10 * p
}

// rankRow is one row of the ranked list.
type rankRow struct {
	Rank                                                           int
	ID, Name, Unit, Task, Hours, EUR, Feas, Class, Quadrant, Model string
	RGB                                                            string
}

func rankRows(pf *Portfolio, lang string) []rankRow {
	var out []rankRow
	for _, h := range pf.Hotspots {
		eur := "–"
		if h.EUR != nil {
			eur = i18n.Grouped(lang, *h.EUR, 0)
		}
		out = append(out, rankRow{Rank: h.Rank, ID: h.Process.ID, Name: h.Process.Name, Unit: h.Process.Unit, Task: h.Task.Title(lang),
			Hours: i18n.Grouped(lang, h.Hours, 1), EUR: eur, Feas: i18n.Grouped(lang, h.Feasibility, 0),
			Class: t(lang, "class."+string(h.Legal.Result.Class)), Quadrant: msg("quadrant." + h.Quadrant).Text(lang), Model: h.Model,
			RGB: rgb(classColour[h.Legal.Result.Class])})
	}
	return out
}
