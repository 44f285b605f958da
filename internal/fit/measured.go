package fit

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/store"
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

// measuredRunScan bounds how many stored bench runs are read.
const measuredRunScan = 500

// LatestMeasurements returns, per catalogue model id, the newest complete
// bench run that has decode figures. Runs of models outside the catalogue,
// incomplete or cancelled runs, and runs on another PC (remote endpoints)
// are left out.
func LatestMeasurements(ctx context.Context, db *store.DB, c *Catalogue) (map[string]Measurement, error) {
	runs, err := bench.ListRuns(ctx, db, "", measuredRunScan)
	if err != nil {
		return nil, err
	}
	out := map[string]Measurement{}
	for _, l := range runs { // newest first
		if !l.Complete || l.Status != store.StatusDone {
			continue
		}
		id, ok := CatalogueModelFor(c, l.Model)
		if !ok {
			continue
		}
		if _, seen := out[id]; seen {
			continue
		}
		r, err := bench.Load(ctx, db, l.RunID)
		if err != nil {
			return nil, err
		}
		if r.Remote {
			continue
		}
		tps := medianDecodeTPS(r)
		if math.IsNaN(tps) {
			continue
		}
		out[id] = Measurement{ModelID: id, RuntimeModel: r.Model.Name, Quantization: r.Model.Quantization,
			DecodeTPS: tps, RunID: r.RunID, Date: r.Started}
	}
	return out, nil
}

// medianDecodeTPS is the median client-side decode tok/s over the run's
// measured (not warm-up, not failed) samples; NaN when there is none.
func medianDecodeTPS(r *bench.Result) float64 {
	var xs []float64
	for _, p := range r.Prompts {
		for _, s := range p.Samples {
			if s.Warmup || s.Error != "" || math.IsNaN(s.DecodeTPS) || s.DecodeTPS <= 0 {
				continue
			}
			xs = append(xs, s.DecodeTPS)
		}
	}
	if len(xs) == 0 {
		return math.NaN()
	}
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
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
