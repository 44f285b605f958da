package fit

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Verdict is the traffic light of a use case or a model for it.
type Verdict string

const (
	Ready    Verdict = "ready"     // "bereit"
	Limited  Verdict = "limited"   // "eingeschränkt"
	NotReady Verdict = "not_ready" // "nicht bereit"
)

func (v Verdict) rank() int {
	switch v {
	case Ready:
		return 2
	case Limited:
		return 1
	}
	return 0
}

// Label is the verdict's name in lang ("bereit", "eingeschränkt", "nicht bereit").
func (v Verdict) Label(lang string) string { return i18n.T(lang, "fit.verdict."+string(v)) }

// Reason is a plain-language explanation: a message id in assets/lang and
// its values. Numbers stay numbers until Text formats them for a language.
type Reason struct {
	ID   string         `json:"id"`
	Data map[string]any `json:"data,omitempty"`
	// Text is the rendered sentence, filled by Localize for output.
	Rendered string `json:"text,omitempty"`
}

// Text renders the reason in lang, with the language's decimal separator.
func (r Reason) Text(lang string) string {
	data := plainFigures(lang, r.Data) // pages and seconds for the plain texts
	for k, v := range r.Data {
		data[k] = formatValue(lang, v)
	}
	// A measured value just above a threshold must not read the same as the
	// threshold ("etwa 1,0 s (gut wären unter 1,0 s)"): show both finer.
	for k, v := range r.Data {
		for k2, v2 := range r.Data {
			f, ok := v.(float64)
			f2, ok2 := v2.(float64)
			if k != k2 && ok && ok2 && f != f2 && data[k] == data[k2] {
				data[k], data[k2] = formatFine(lang, f), formatFine(lang, f2)
			}
		}
	}
	return i18n.T(lang, r.ID, data)
}

// formatFine shows two decimals, for values that one decimal cannot tell apart.
func formatFine(lang string, f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	if lang != "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

func formatValue(lang string, v any) string {
	f, ok := v.(float64)
	if !ok {
		return fmt.Sprint(v)
	}
	var s string
	switch {
	case math.IsInf(f, 0):
		s = "∞"
	case f >= 100:
		s = strconv.FormatFloat(math.Round(f), 'f', 0, 64)
	case f >= 10:
		s = strconv.FormatFloat(f, 'f', 0, 64)
	default:
		s = strconv.FormatFloat(f, 'f', 1, 64)
	}
	if lang != "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// Judge compares one prediction with the use case's thresholds.
func Judge(p Prediction, u UseCase) (Verdict, Reason) {
	if p.Placement == NoFit {
		return NotReady, Reason{ID: "fit.reason.no_memory", Data: map[string]any{"Need": gbf(p.Memory.TotalBytes)}}
	}
	type finding struct {
		v Verdict
		r Reason
	}
	var worst *finding
	note := func(v Verdict, id string, data map[string]any) {
		if worst == nil || v.rank() < worst.v.rank() {
			worst = &finding{v, Reason{ID: id, Data: data}}
		}
	}
	t := u.Thresholds
	if t.DecodeTPS != nil && p.DecodeTPS != nil {
		d := p.DecodeTPS.Value
		data := map[string]any{"TPS": d, "Good": t.DecodeTPS.Good, "Minimum": t.DecodeTPS.Minimum, "Limit": p.Limit}
		switch {
		case d < t.DecodeTPS.Minimum:
			note(NotReady, "fit.reason.decode_too_slow_"+p.Limit, data)
		case d < t.DecodeTPS.Good:
			note(Limited, "fit.reason.decode_slow_"+p.Limit, data)
		}
	}
	if t.FirstTokenS != nil && p.FirstTokenS != nil {
		s := p.FirstTokenS.Value
		data := map[string]any{"Secs": s, "Good": t.FirstTokenS.Good, "Maximum": t.FirstTokenS.Maximum, "Prompt": u.PromptTokens}
		switch {
		case s > t.FirstTokenS.Maximum:
			note(NotReady, "fit.reason.first_token_too_slow", data)
		case s > t.FirstTokenS.Good:
			note(Limited, "fit.reason.first_token_slow", data)
		}
	}
	if t.RealtimeFactor != nil && p.RealtimeFactor != nil {
		f := p.RealtimeFactor.Value
		data := map[string]any{"Factor": f, "Good": t.RealtimeFactor.Good, "Maximum": t.RealtimeFactor.Maximum, "Minutes": f * 60}
		switch {
		case f > t.RealtimeFactor.Maximum:
			note(NotReady, "fit.reason.transcription_too_slow", data)
		case f > t.RealtimeFactor.Good:
			note(Limited, "fit.reason.transcription_slow", data)
		}
	}
	if p.Placement == RAMTight {
		note(Limited, "fit.reason.ram_tight", map[string]any{"Need": gbf(p.Memory.TotalBytes)})
	}
	if worst != nil {
		return worst.v, worst.r
	}
	data := map[string]any{"Where": string(p.Placement)}
	id := "fit.reason.ready"
	switch {
	case p.RealtimeFactor != nil:
		id, data["Minutes"] = "fit.reason.ready_transcription", p.RealtimeFactor.Value*60
	case p.DecodeTPS != nil:
		data["TPS"], data["Secs"] = p.DecodeTPS.Value, p.FirstTokenS.Value
	case p.FirstTokenS != nil:
		id, data["Secs"] = "fit.reason.ready_embedding", p.FirstTokenS.Value
	}
	if p.Placement == OnGPU {
		id += "_gpu"
	}
	return Ready, Reason{ID: id, Data: data}
}

func gbf(b uint64) float64 { return float64(b) / 1e9 }

// Closeness says a verdict is "knapp": the prediction's interval reaches
// across one of the use case's thresholds, so on this PC the figure may
// land on either side of it (docs/fit.md, "Knapp").
type Closeness struct {
	// Figure is decode_tps, first_token_s or realtime_factor.
	Figure    string  `json:"figure"`
	Threshold float64 `json:"threshold"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	Value     float64 `json:"value"`
	// Held is true when the verdict is the one this PC showed with its
	// probes before: the middle of the new prediction lies on the other
	// side of the threshold, but the interval still reaches that verdict
	// (holdKnapp).
	Held bool `json:"held,omitempty"`
}

// Close returns the first threshold of u that p's interval reaches
// across, or nil when the verdict is clear (or p has no interval).
func Close(p Prediction, u UseCase) *Closeness {
	if p.Placement == NoFit {
		return nil
	}
	t := u.Thresholds
	check := func(name string, f *Figure, thresholds ...float64) *Closeness {
		if !f.Interval() {
			return nil
		}
		// Of the thresholds inside the interval, the one nearest the value
		// (by ratio): the line this verdict is at.
		var c *Closeness
		for _, th := range thresholds {
			if th > 0 && f.Low < th && th < f.High {
				if c == nil || math.Abs(math.Log(th/f.Value)) < math.Abs(math.Log(c.Threshold/f.Value)) {
					c = &Closeness{Figure: name, Threshold: th, Low: f.Low, High: f.High, Value: f.Value}
				}
			}
		}
		return c
	}
	if t.DecodeTPS != nil {
		if c := check("decode_tps", p.DecodeTPS, t.DecodeTPS.Good, t.DecodeTPS.Minimum); c != nil {
			return c
		}
	}
	if t.FirstTokenS != nil {
		if c := check("first_token_s", p.FirstTokenS, t.FirstTokenS.Good, t.FirstTokenS.Maximum); c != nil {
			return c
		}
	}
	if t.RealtimeFactor != nil {
		if c := check("realtime_factor", p.RealtimeFactor, t.RealtimeFactor.Good, t.RealtimeFactor.Maximum); c != nil {
			return c
		}
	}
	return nil
}

// Text says in lang why the verdict is knapp, with the interval and the
// threshold ("Knapp: je nach Auslastung 8,5 bis 11 Token/s; die Grenze liegt bei 10.").
func (c *Closeness) Text(lang string) string {
	if c == nil {
		return ""
	}
	s := Reason{ID: "fit.close." + c.Figure, Data: map[string]any{"Low": c.Low, "High": c.High, "Threshold": c.Threshold}}.Text(lang)
	if c.Held {
		s += " " + i18n.T(lang, "fit.close.held")
	}
	return s
}

// label is the verdict's name, with "knapp" when close.
func label(v Verdict, c *Closeness, lang string) string {
	if c == nil {
		return v.Label(lang)
	}
	return i18n.T(lang, "fit.verdict_close", map[string]string{"Verdict": v.Label(lang)})
}

// Cell is one model for one use case: the quantization chosen and why.
type Cell struct {
	ModelID      string     `json:"model"`
	Candidate    bool       `json:"candidate"` // listed by the use case
	Verdict      Verdict    `json:"verdict"`
	VerdictLabel string     `json:"verdict_label,omitempty"`
	Reason       Reason     `json:"reason"`
	Prediction   Prediction `json:"prediction"` // of the chosen quantization
	// Others are the model's other quantizations, for the details.
	Others []Prediction `json:"other_quantizations,omitempty"`
	// The measured figure for the same model on this PC (LatestMeasurements)
	// and predicted decode tok/s divided by it; null without a measurement.
	MeasuredDecodeTPS        *float64     `json:"measured_decode_tps"`
	MeasuredRunID            *int64       `json:"measured_run_id"`
	RatioPredictedToMeasured *float64     `json:"ratio_predicted_to_measured"`
	Measured                 *Measurement `json:"measured,omitempty"`
	// Close is set when the verdict is knapp (see Close).
	Close *Closeness `json:"close,omitempty"`
	// CloseText renders Close, filled by Localize.
	CloseText string `json:"close_text,omitempty"`
}

// Assessment is one use case on this machine.
type Assessment struct {
	UseCase UseCase `json:"usecase"`
	Verdict Verdict `json:"verdict"`
	// Best is the first candidate (in the use case's order of preference)
	// with the best verdict; empty when there is no candidate.
	Best         string `json:"best_model,omitempty"`
	VerdictLabel string `json:"verdict_label,omitempty"`
	Reason       Reason `json:"reason"`
	SummaryText  string `json:"summary,omitempty"`
	// Capacity: the largest chat model (Q4_K_M, billions of parameters)
	// that fits here at this use case's context without closing other
	// programs; 0 = none.
	CapacityB float64 `json:"capacity_b,omitempty"`
	Cells     []Cell  `json:"models"`
	// Close is the best model's Closeness: the use case's verdict is knapp.
	Close     *Closeness `json:"close,omitempty"`
	CloseText string     `json:"close_text,omitempty"`
	// Calibrated says the predictions use this PC's measured efficiency
	// (Machine.Calibration); CalibrationText says with what.
	Calibrated      bool   `json:"calibrated"`
	CalibrationText string `json:"calibration_text,omitempty"`
	calibration     *Calibration
}

// Assess evaluates every use case with every model of its kind.
func Assess(mc Machine, c *Catalogue) []Assessment {
	out := make([]Assessment, 0, len(c.UseCases))
	for _, u := range c.UseCases {
		out = append(out, AssessUseCase(mc, c, u))
	}
	return out
}

// AssessUseCase evaluates one use case.
func AssessUseCase(mc Machine, c *Catalogue, u UseCase) Assessment {
	return assessUseCase(mc, c, u, nil)
}

// assessUseCase evaluates one use case on a PC whose assessment with its
// probes before was prev (nil: none); a knapp cell keeps prev's verdict
// while its interval reaches it (holdKnapp).
func assessUseCase(mc Machine, c *Catalogue, u UseCase, prev *Assessment) Assessment {
	a := Assessment{UseCase: u, Verdict: NotReady, Calibrated: mc.Calibration != nil, calibration: mc.Calibration}
	cand := map[string]int{}
	for i, id := range u.Candidates {
		cand[id] = i + 1
	}
	for _, m := range c.Models {
		if m.Kind != u.Kind {
			continue
		}
		cell := assessModel(mc, m, u)
		holdKnapp(&cell, prev.cell(m.ID), u)
		cell.Candidate = cand[m.ID] > 0
		a.Cells = append(a.Cells, cell)
		if m.Kind == "chat" {
			for _, q := range m.Quantizations {
				if pl := Predict(mc, m, q, u).Placement; q.Name == "Q4_K_M" && (pl == InRAM || pl == OnGPU) {
					a.CapacityB = max(a.CapacityB, m.ParametersB)
				}
			}
		}
	}
	bestRank := -1
	for _, id := range u.Candidates {
		for _, cell := range a.Cells {
			if cell.ModelID == id && cell.Verdict.rank() > bestRank {
				bestRank = cell.Verdict.rank()
				a.Best, a.Verdict, a.Reason, a.Close = id, cell.Verdict, cell.Reason, cell.Close
			}
		}
	}
	if a.Best == "" {
		a.Reason = Reason{ID: "fit.reason.no_candidate"}
	}
	return a
}

// assessModel picks the model's quantization to show: the best verdict;
// among ready ones the largest file (best quality), otherwise the fastest.
func assessModel(mc Machine, m Model, u UseCase) Cell {
	cell := Cell{ModelID: m.ID, Verdict: NotReady}
	chosen := -1
	var preds []Prediction
	for i, q := range m.Quantizations {
		p := Predict(mc, m, q, u)
		preds = append(preds, p)
		v, r := Judge(p, u)
		better := chosen < 0 || v.rank() > cell.Verdict.rank()
		if !better && v == cell.Verdict {
			if v == Ready {
				better = q.Bytes() > m.Quantizations[chosen].Bytes()
			} else {
				better = speed(p) > speed(preds[chosen])
			}
		}
		if better {
			chosen, cell.Verdict, cell.Reason, cell.Prediction = i, v, r, p
		}
	}
	if chosen >= 0 {
		cell.Close = Close(cell.Prediction, u)
	}
	for i, p := range preds {
		if i != chosen {
			cell.Others = append(cell.Others, p)
		}
	}
	return cell
}

// speed orders predictions of one model: higher is better.
func speed(p Prediction) float64 {
	switch {
	case p.Placement == NoFit:
		return -1
	case p.DecodeTPS != nil:
		return p.DecodeTPS.Value
	case p.RealtimeFactor != nil:
		return 1 / p.RealtimeFactor.Value
	case p.FirstTokenS != nil:
		return 1 / p.FirstTokenS.Value
	}
	return 0
}

// Localize fills the reasons' texts (and the summary) in lang for output.
// A knapp verdict's label says so ("eingeschränkt, knapp").
func Localize(as []Assessment, lang string) {
	for i := range as {
		a := &as[i]
		a.Reason.Rendered = a.Reason.Text(lang)
		a.SummaryText = a.Summary(lang)
		a.VerdictLabel = label(a.Verdict, a.Close, lang)
		a.CloseText = a.Close.Text(lang)
		a.CalibrationText = a.calibration.Text(lang)
		for j := range a.Cells {
			c := &a.Cells[j]
			c.Reason.Rendered = c.Reason.Text(lang)
			c.VerdictLabel = label(c.Verdict, c.Close, lang)
			c.CloseText = c.Close.Text(lang)
		}
	}
}

// Summary is the use case's verdict reason plus what the memory allows,
// e.g. "… Der Arbeitsspeicher reicht für Modelle bis etwa 8 Mrd. Parameter."
func (a Assessment) Summary(lang string) string {
	s := a.Reason.Text(lang)
	if a.UseCase.Kind != "chat" {
		return s
	}
	if a.CapacityB == 0 {
		return s + " " + i18n.T(lang, "fit.capacity_none")
	}
	return s + " " + Reason{ID: "fit.capacity", Data: map[string]any{"B": a.CapacityB}}.Text(lang)
}
