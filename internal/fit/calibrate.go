package fit

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/loadprofile"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// Calibration is this PC's efficiency, learnt from what a local runtime
// measured here (docs/fit.md, "Calibration from local measurements"): the
// share of the probe's bandwidth the runtime's decoding turned into weight
// reads, and the factor by which its prompt processing differed from the
// compute estimate.
type Calibration struct {
	// DecodeEfficiency replaces fit.DecodeEfficiency on this PC; Low and
	// High bound it (the measurements' range, widened by CalibrationMargin).
	DecodeEfficiency     float64 `json:"decode_efficiency"`
	DecodeEfficiencyLow  float64 `json:"decode_efficiency_low"`
	DecodeEfficiencyHigh float64 `json:"decode_efficiency_high"`
	// ComputeScale multiplies the compute estimate (0: no prompt figure
	// was measured, the estimate's own range is used).
	ComputeScale     float64 `json:"compute_scale,omitempty"`
	ComputeScaleLow  float64 `json:"compute_scale_low,omitempty"`
	ComputeScaleHigh float64 `json:"compute_scale_high,omitempty"`
	// The newest measurement used: where from ("bench" or "loadprofile"),
	// its run, date, model (catalogue id, or the load profile's model),
	// quantization and decode speed.
	Source       string    `json:"source"`
	RunID        int64     `json:"run_id"`
	Date         time.Time `json:"date"`
	Model        string    `json:"model"`
	Quantization string    `json:"quantization,omitempty"`
	DecodeTPS    float64   `json:"decode_tps"`
	// Measurements is how many runs were used.
	Measurements int `json:"measurements"`
}

// CalibrationMargin widens the calibrated range on both sides: a runtime's
// own speed varies by a few percent between runs.
const CalibrationMargin = 0.05

// calibrationMaxAge: older measurements are not used (a driver, runtime
// or memory change since then makes them stale).
const calibrationMaxAge = 90 * 24 * time.Hour

// Observation is one local runtime measurement of a model: what it read
// and computed per token and how fast it went.
type Observation struct {
	Source       string
	RunID        int64
	Date         time.Time
	Model        string
	Quantization string
	// BytesPerToken: weight bytes read per decoded token; Params: the
	// weights each prompt token multiplies with, the layers' (2 × Params
	// operations per prompt token; promptParameters).
	BytesPerToken float64
	Params        float64
	DecodeTPS     float64
	PromptTPS     float64 // 0 = not measured
}

// Calibrate derives this PC's efficiencies from observations against mc's
// bandwidth figure and compute estimate; nil when none is usable.
func Calibrate(mc Machine, obs []Observation) *Calibration {
	var effs, scales []float64
	var newest *Observation
	for i := range obs {
		o := &obs[i]
		db := mc.decodeBase(o.Quantization)
		base, kernel := db.GBps, db.Kernel
		if o.DecodeTPS <= 0 || o.BytesPerToken <= 0 || base <= 0 {
			continue
		}
		e := o.DecodeTPS * o.BytesPerToken / (base * 1e9)
		if kernel {
			// Stored as the kernel's own efficiency: Predict multiplies it
			// by the family factor of the quantization it predicts (1 where
			// the quantization has its own kernel).
			e /= db.Factor
		}
		if ov := mc.tokenOverheadS(InRAM); kernel && ov > 0 {
			// The kernel model streams the weights in what is left of a
			// token's time beside its per-token work (KernelTokenGOP).
			stream := 1/o.DecodeTPS - ov
			if stream <= 0 {
				continue
			}
			e = o.BytesPerToken / (stream * base * 1e9) / db.Factor
		}
		if e < 0.05 || e > 3 { // not this PC's memory, or not a CPU run
			continue
		}
		effs = append(effs, e)
		if g, _, _ := mc.promptGOPS(o.Quantization); o.PromptTPS > 0 && o.Params > 0 && g > 0 {
			scales = append(scales, o.PromptTPS*2*o.Params/(g*1e9))
		}
		if newest == nil || o.Date.After(newest.Date) {
			newest = o
		}
	}
	if len(effs) == 0 {
		return nil
	}
	c := &Calibration{Source: newest.Source, RunID: newest.RunID, Date: newest.Date, Model: newest.Model,
		Quantization: newest.Quantization, DecodeTPS: newest.DecodeTPS, Measurements: len(effs)}
	c.DecodeEfficiency, c.DecodeEfficiencyLow, c.DecodeEfficiencyHigh = spread(effs)
	if len(scales) > 0 {
		c.ComputeScale, c.ComputeScaleLow, c.ComputeScaleHigh = spread(scales)
	}
	return c
}

// spread is the median of xs and its range widened by CalibrationMargin.
func spread(xs []float64) (mid, lo, hi float64) {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	mid = s[n/2]
	if n%2 == 0 {
		mid = (s[n/2-1] + s[n/2]) / 2
	}
	return mid, s[0] * (1 - CalibrationMargin), s[n-1] * (1 + CalibrationMargin)
}

func (c *Calibration) basis() i18n.Msg {
	return basisMsg("calibration", map[string]any{"Source": c.Source, "Run": c.RunID, "Date": c.Date.UTC().Format("2006-01-02"), "Model": i18n.Escape(c.Model), "TPS": num{c.DecodeTPS, 1}})
}

// Text says in lang that (and with what) the prediction is calibrated:
// "kalibriert mit Messung vom 04.12.2026 (llama3.2-1b, 12,3 Token/s)".
func (c *Calibration) Text(lang string) string {
	if c == nil {
		return i18n.T(lang, "fit.calibration.none")
	}
	date := c.Date.Local().Format("02.01.2006")
	if lang == "en" {
		date = c.Date.Local().Format("2006-01-02")
	}
	return i18n.T(lang, "fit.calibration.with", map[string]string{
		"Date": date, "Model": c.Model, "TPS": formatValue(lang, c.DecodeTPS), "Run": fmt.Sprint(c.RunID),
		"Source": i18n.T(lang, "fit.calibration.source."+c.Source),
	})
}

// Observations gathers the local runtime measurements of this PC: the
// newest of the measured runs (complete local `kicheck bench` runs, passed
// in) per catalogue model (LatestMeasurements) and the complete load profiles run against a runtime on this PC, not
// older than 90 days.
func Observations(ctx context.Context, db *store.DB, c *Catalogue, measured []MeasuredRun) ([]Observation, error) {
	var out []Observation
	for _, m := range LatestMeasurements(c, measured) {
		if time.Since(m.Date) > calibrationMaxAge {
			continue
		}
		model, ok := c.Model(m.ModelID)
		if !ok {
			continue
		}
		q, ok := quantizationOf(model, m.Quantization)
		if !ok {
			continue // the runtime's file is not one the catalogue knows the size of
		}
		out = append(out, Observation{Source: "bench", RunID: m.RunID, Date: m.Date, Model: m.ModelID, Quantization: q.Name,
			BytesPerToken: weightsReadPerToken(model, q), Params: float64(promptParameters(model)), DecodeTPS: m.DecodeTPS})
	}
	runs, err := db.ListRuns(ctx, loadprofile.RunKind, 50)
	if err != nil {
		return nil, err
	}
	for _, run := range runs {
		if run.Status != store.StatusDone {
			continue
		}
		var r loadprofile.Record
		if err := json.Unmarshal(run.Summary, &r); err != nil || !r.Complete || r.DecodeTPS <= 0 || r.FileBytes <= 0 {
			continue
		}
		if !localEndpoint(r.Endpoint) || time.Since(run.Started) > calibrationMaxAge {
			continue
		}
		// As weightsReadPerToken and promptParameters, from the file's
		// own shape: the input embedding's bytes are not read per token
		// unless the table doubles as the output matrix, and a prompt
		// token multiplies with the layers only.
		embParams := float64(r.Shape.Vocab) * float64(r.Shape.Hidden)
		bytes := float64(r.FileBytes)
		if !r.Shape.TiedEmbeddings {
			bytes -= embParams * float64(r.FileBytes) / float64(max(1, r.Shape.Params()))
		}
		tables := float64(embeddingTables(Shape{TiedEmbeddings: r.Shape.TiedEmbeddings}))
		out = append(out, Observation{Source: "loadprofile", RunID: run.ID, Date: run.Started, Model: r.Model, Quantization: string(r.Quant),
			BytesPerToken: bytes, Params: float64(r.Shape.Params()) - tables*embParams, DecodeTPS: r.DecodeTPS, PromptTPS: r.PromptTPS})
	}
	return out, nil
}

// weightsReadPerToken: the file less the input embedding table (read one
// row per token) unless it doubles as the output matrix; as Predict.
func weightsReadPerToken(m Model, q Quantization) float64 {
	w := float64(q.Bytes())
	if !m.Shape.TiedEmbeddings {
		w -= float64(m.Shape.VocabSize) * float64(m.Shape.HiddenSize) * bitsPerWeight[q.Name] / 8
	}
	return w
}

// localEndpoint says whether a runtime endpoint is on this PC.
func localEndpoint(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ForPC builds the machine the fit judges: the inventory and the current
// probe, combined with this PC's earlier probes and calibrated with its
// local runtime measurements: the measured bench runs passed in
// (check.MeasuredRuns) and the load profiles (db nil: neither). A read error of the
// history or the measurements leaves that part out and is returned beside
// the machine, which is usable.
func ForPC(ctx context.Context, db *store.DB, cat *Catalogue, inv hardware.Inventory, pr probe.Result, measured []MeasuredRun) (Machine, error) {
	mc := MachineFrom(inv, pr)
	if db == nil {
		return mc, nil
	}
	var errs []error
	if hist, err := probe.History(ctx, db, probe.MaxAge, probe.MaxCombined); err != nil {
		errs = append(errs, fmt.Errorf("earlier probes: %w", err))
	} else {
		mc = mc.WithHistory(pr, hist)
	}
	if cat != nil {
		if obs, err := Observations(ctx, db, cat, measured); err != nil {
			errs = append(errs, fmt.Errorf("local measurements: %w", err))
		} else {
			mc.Calibration = Calibrate(mc, obs)
		}
	}
	if len(errs) > 0 {
		return mc, errs[0]
	}
	return mc, nil
}

// quantizationOf finds the catalogue entry's quantization by the name a
// runtime reports (case-insensitive: Ollama says "Q4_K_M").
func quantizationOf(m Model, name string) (Quantization, bool) {
	for _, q := range m.Quantizations {
		if strings.EqualFold(q.Name, name) {
			return q, true
		}
	}
	return Quantization{}, false
}

// FigureText is a predicted figure with its interval in lang
// ("8,4 Token/s, zu erwarten 7,1 bis 9,3 Token/s"); without an interval
// the value and unit alone.
func FigureText(f *Figure, unit, lang string) string {
	if f == nil {
		return "–"
	}
	if !f.Interval() {
		return formatValue(lang, f.Value) + " " + unit
	}
	return i18n.T(lang, "fit.interval", map[string]string{
		"Value": formatValue(lang, f.Value), "Low": formatValue(lang, f.Low), "High": formatValue(lang, f.High), "Unit": unit})
}

// BandwidthText says which bandwidth the prediction uses, from how many
// probes, and how steady the newest one was.
func BandwidthText(mc Machine, pr probe.Result, lang string) string {
	if mc.MemoryReadGBps <= 0 {
		return ""
	}
	since := pr.Started
	date := since.Local().Format("02.01.2006")
	if lang == "en" {
		date = since.Local().Format("2006-01-02")
	}
	if mc.bandwidthSince.Before(since) && !mc.bandwidthSince.IsZero() {
		date = mc.bandwidthSince.Local().Format("02.01.2006")
		if lang == "en" {
			date = mc.bandwidthSince.Local().Format("2006-01-02")
		}
	}
	s := i18n.T(lang, "fit.bandwidth_basis", map[string]string{
		"GBps": formatValue(lang, mc.MemoryReadGBps), "Low": formatValue(lang, mc.MemoryReadLowGBps),
		"High": formatValue(lang, mc.MemoryReadHighGBps), "Probes": fmt.Sprint(max(1, mc.ProbesCombined)), "Since": date})
	if mc.DecodeKernelGBps > 0 {
		data := map[string]string{
			"GBps": formatValue(lang, mc.DecodeKernelGBps), "Low": formatValue(lang, mc.DecodeKernelLowGBps),
			"High": formatValue(lang, mc.DecodeKernelHighGBps), "GOPS": formatValue(lang, mc.PromptKernelGOPS), "KQuant": ""}
		if mc.KQuantKernelGBps > 0 {
			data["KQuant"], data["KLow"], data["KHigh"] = formatValue(lang, mc.KQuantKernelGBps), formatValue(lang, mc.KQuantKernelLowGBps), formatValue(lang, mc.KQuantKernelHighGBps)
		}
		s += " " + i18n.T(lang, "fitsteady.kernel_basis", data)
	}
	if st := pr.Steady; st != nil {
		data := map[string]string{"Spread": formatValue(lang, st.SpreadPercent), "Window": fmt.Sprint(st.Window),
			"Samples": fmt.Sprint(st.Samples), "Seconds": formatValue(lang, st.Seconds)}
		if st.Stable {
			s += " " + i18n.T(lang, "fit.steady.stable", data)
		} else {
			s += " " + i18n.T(lang, "fit.steady.unstable", data)
		}
	}
	return s
}
