package fit

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Measurement is the decode speed KI-Check measured for a catalogue model
// on this PC: the newest complete `kicheck bench` run of that model.
type Measurement struct {
	ModelID      string    `json:"model"`
	RuntimeModel string    `json:"runtime_model"`          // as the runtime names it, e.g. llama3.2:1b
	Quantization string    `json:"quantization,omitempty"` // as the runtime reports it, "" when unknown
	DecodeTPS    float64   `json:"decode_tps"`             // median client-side decode tok/s
	RunID        int64     `json:"run_id"`
	Date         time.Time `json:"date"`
}

// CatalogueModelFor maps a runtime model name to a catalogue id (docs/fit.md,
// "Measured figures"): the name, lowercased and without the default tag
// ":latest", must equal the entry's `ollama` name (normalised the same way)
// or the entry's id with ':' read as '-' (llama3.2:1b ↔ llama3.2-1b). A tag
// that only adds a variant after a '-' (llama3.2:1b-instruct-q8_0) is the
// same model in another file; the quantization the runtime reports is kept
// with the measurement.
func CatalogueModelFor(c *Catalogue, runtimeModel string) (string, bool) {
	name := normaliseRuntimeName(runtimeModel)
	if name == "" {
		return "", false
	}
	candidates := []string{name}
	if i := strings.IndexByte(name, ':'); i >= 0 {
		for j := strings.LastIndexByte(name, '-'); j > i; j = strings.LastIndexByte(name[:j], '-') {
			candidates = append(candidates, name[:j])
		}
	}
	for _, n := range candidates { // the longest name first
		for _, m := range c.Models {
			if m.Ollama != "" && normaliseRuntimeName(m.Ollama) == n {
				return m.ID, true
			}
		}
		dashed := strings.ReplaceAll(n, ":", "-")
		for _, m := range c.Models {
			if strings.ToLower(m.ID) == dashed {
				return m.ID, true
			}
		}
	}
	return "", false
}

func normaliseRuntimeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.TrimSuffix(s, ":latest")
}

// MeasuredRun is a stored runtime measurement of this PC as the fit reads
// it: the caller reads it from the bench store (bench.DecodeRuns, converted
// by check.MeasuredRuns) and passes it in, so that fit does not import
// bench and its network clients.
type MeasuredRun struct {
	RunID        int64
	RuntimeModel string    // as the runtime names it, e.g. llama3.2:1b
	Quantization string    // as the runtime reports it, "" when unknown
	DecodeTPS    float64   // median client-side decode tok/s
	Date         time.Time // when the run started
}

// LatestMeasurements returns, per catalogue model id, the newest of the
// runs (complete local bench runs with decode figures) of that model. Runs
// of models outside the catalogue are left out.
func LatestMeasurements(c *Catalogue, runs []MeasuredRun) map[string]Measurement {
	out := map[string]Measurement{}
	for _, r := range runs {
		id, ok := CatalogueModelFor(c, r.RuntimeModel)
		if !ok || math.IsNaN(r.DecodeTPS) || r.DecodeTPS <= 0 {
			continue
		}
		if m, seen := out[id]; seen && !r.Date.After(m.Date) {
			continue
		}
		out[id] = Measurement{ModelID: id, RuntimeModel: r.RuntimeModel, Quantization: r.Quantization,
			DecodeTPS: r.DecodeTPS, RunID: r.RunID, Date: r.Date}
	}
	return out
}

// AttachMeasurements puts each model's measurement and the ratio
// predicted/measured next to its prediction.
func AttachMeasurements(as []Assessment, ms map[string]Measurement) {
	for i := range as {
		for j := range as[i].Cells {
			c := &as[i].Cells[j]
			m, ok := ms[c.ModelID]
			if !ok {
				continue
			}
			c.Measured = &m
			tps, runID := m.DecodeTPS, m.RunID
			c.MeasuredDecodeTPS, c.MeasuredRunID = &tps, &runID
			if p := c.Prediction.DecodeTPS; p != nil && tps > 0 {
				r := p.Value / tps
				c.RatioPredictedToMeasured = &r
			}
		}
	}
}

// MeasuredText is the cell's measured figure as a sentence in lang
// ("gemessen: 12,3 Token/s (Lauf 7, 26.11.2026), Vorhersage/Messung = 1,08"),
// or that there is none yet.
func (c Cell) MeasuredText(lang string) string {
	m := c.Measured
	if m == nil {
		return i18n.T(lang, "fit.measured_none")
	}
	date := m.Date.Local().Format("02.01.2006")
	if lang == "en" {
		date = m.Date.Local().Format("2006-01-02")
	}
	ratio := "–"
	if c.RatioPredictedToMeasured != nil {
		ratio = strconv.FormatFloat(*c.RatioPredictedToMeasured, 'f', 2, 64)
		if lang != "en" {
			ratio = strings.ReplaceAll(ratio, ".", ",")
		}
	}
	return i18n.T(lang, "fit.measured", map[string]string{
		"TPS": formatValue(lang, m.DecodeTPS), "Run": strconv.FormatInt(m.RunID, 10), "Date": date,
		"Ratio": ratio, "Model": m.RuntimeModel,
	})
}
