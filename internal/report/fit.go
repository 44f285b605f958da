package report

import (
	"math"

	"github.com/ki-reise/kicheck/internal/fit"
)

// Fit is the fit section. It carries what a reader of many reports needs
// (IT's fleet overview): per use case the verdict and the memory upgrade
// that would make it ready, and per candidate model its verdict, memory
// need and predicted speed. The full predictions with their reasoning are
// on the PC (`kicheck models --json`, the Eignung screen); in a report they
// made up nine tenths of its size, and IT verifies thousands of reports.
type Fit struct {
	Machine  FitMachine   `json:"machine"`
	UseCases []FitUseCase `json:"use_cases"`
}

// FitMachine is what the fit was computed from.
type FitMachine struct {
	RAMTotalBytes     uint64    `json:"ram_total_bytes"`
	RAMAvailableBytes uint64    `json:"ram_available_bytes"` // 0 = unknown
	GPUs              []fit.GPU `json:"gpus,omitempty"`
	MemoryReadGBps    float64   `json:"memory_read_gbps"` // 0 = not measured
	ComputeGOPS       float64   `json:"compute_gops"`     // the probe's estimate
	ProbeComplete     bool      `json:"probe_complete"`
	// The bandwidth's range and how many probes of this PC it combines
	// (fit.Machine); absent in reports made before.
	MemoryReadLowGBps  float64 `json:"memory_read_low_gbps,omitempty"`
	MemoryReadHighGBps float64 `json:"memory_read_high_gbps,omitempty"`
	ProbesCombined     int     `json:"probes_combined,omitempty"`
	// The probe's SIMD kernels that decoding and prompt processing are
	// predicted from (fit.Machine, issue 22); absent where the probe had
	// none (older reports, CPUs without AVX2).
	DecodeKernelGBps float64 `json:"decode_kernel_gbps,omitempty"`
	PromptKernelGOPS float64 `json:"prompt_kernel_gops,omitempty"`
	// KQuantKernelGBps: the K-quant decode kernel K-quant models are
	// predicted from; absent where the probe did not run it (reports
	// made before, CPUs without AVX2).
	KQuantKernelGBps float64 `json:"kquant_kernel_gbps,omitempty"`
	// Calibration: this PC's efficiency from a local runtime measurement;
	// nil = not calibrated (or a report made before).
	Calibration *FitCalibration `json:"calibration,omitempty"`
}

// FitCalibration is what the fit learnt from a local runtime measurement.
type FitCalibration struct {
	Source           string  `json:"source"` // bench, loadprofile
	RunID            int64   `json:"run_id"`
	Date             string  `json:"date"` // YYYY-MM-DD
	Model            string  `json:"model"`
	DecodeTPS        float64 `json:"decode_tps"`
	DecodeEfficiency float64 `json:"decode_efficiency"`
	ComputeScale     float64 `json:"compute_scale,omitempty"`
}

// FitUseCase is one use case on this PC.
type FitUseCase struct {
	UseCase   string `json:"use_case"`
	Verdict   string `json:"verdict"`              // ready, limited, not_ready
	BestModel string `json:"best_model,omitempty"` // the recommended candidate
	Reason    string `json:"reason"`               // message id of the reason (assets/lang)
	// ReadyWithRAMGB is the smallest memory size (GB) at which the use
	// case would be ready, all else unchanged (fit.ReadyWithRAM); 0 when it
	// is ready already or more memory alone would not make it ready.
	ReadyWithRAMGB int `json:"ready_with_ram_gb"`
	// CapacityB is the largest chat model (billions of parameters) that
	// fits at this use case's context; 0 = none or not a chat use case.
	CapacityB float64    `json:"capacity_b,omitempty"`
	Models    []FitModel `json:"models"`
	// Close: the verdict is knapp (fit.Closeness).
	Close bool `json:"close,omitempty"`
}

// FitModel is one candidate model of a use case, in the quantization the
// fit chose for it.
type FitModel struct {
	Model        string   `json:"model"`
	Quantization string   `json:"quantization"`
	Verdict      string   `json:"verdict"`
	Reason       string   `json:"reason"`
	Placement    string   `json:"placement"` // gpu, ram, ram_tight, none
	Limit        string   `json:"limit,omitempty"`
	MemoryBytes  uint64   `json:"memory_bytes"`
	DecodeTPS    *float64 `json:"decode_tps,omitempty"`
	FirstTokenS  *float64 `json:"first_token_s,omitempty"`
	// RealtimeFactor: processing time / audio length (transcription).
	RealtimeFactor *float64 `json:"realtime_factor,omitempty"`
	// The intervals of the three figures (fit.Figure Low/High); absent in
	// reports made before.
	DecodeTPSLow       *float64 `json:"decode_tps_low,omitempty"`
	DecodeTPSHigh      *float64 `json:"decode_tps_high,omitempty"`
	FirstTokenSLow     *float64 `json:"first_token_s_low,omitempty"`
	FirstTokenSHigh    *float64 `json:"first_token_s_high,omitempty"`
	RealtimeFactorLow  *float64 `json:"realtime_factor_low,omitempty"`
	RealtimeFactorHigh *float64 `json:"realtime_factor_high,omitempty"`
	Close              bool     `json:"close,omitempty"`
}

// NewFit is NewFitLang in German.
func NewFit(mc fit.Machine, cat *fit.Catalogue) (*Fit, []Verdict) { return NewFitLang(mc, cat, "de") }

// NewFitLang judges every use case of the catalogue on the machine, as the
// check does, and returns the fit section and one verdict per use case:
// subject (in German and English), level, the plain reason in lang and as
// a message (so the readable report can say it in the reader's language,
// with the technical line for IT), and the predicted speed of the
// recommended model.
func NewFitLang(mc fit.Machine, cat *fit.Catalogue, lang string) (*Fit, []Verdict) {
	return NewFitOf(mc, cat, fit.Assess(mc, cat), lang)
}

// NewFitOf is NewFitLang for use cases assessed already (fit.AssessPC).
func NewFitOf(mc fit.Machine, cat *fit.Catalogue, as []fit.Assessment, lang string) (*Fit, []Verdict) {
	f := &Fit{
		Machine: FitMachine{RAMTotalBytes: mc.RAMTotalBytes, RAMAvailableBytes: mc.RAMAvailableBytes, GPUs: mc.GPUs,
			MemoryReadGBps: round(mc.MemoryReadGBps, 2), ComputeGOPS: round(mc.Compute.GOPS, 1), ProbeComplete: mc.ProbeComplete,
			MemoryReadLowGBps: round(mc.MemoryReadLowGBps, 2), MemoryReadHighGBps: round(mc.MemoryReadHighGBps, 2), ProbesCombined: mc.ProbesCombined,
			DecodeKernelGBps: round(mc.DecodeKernelGBps, 2), PromptKernelGOPS: round(mc.PromptKernelGOPS, 1), KQuantKernelGBps: round(mc.KQuantKernelGBps, 2)},
		UseCases: make([]FitUseCase, 0, len(as)),
	}
	calDate := ""
	if c := mc.Calibration; c != nil {
		calDate = c.Date.UTC().Format("2006-01-02")
		f.Machine.Calibration = &FitCalibration{Source: c.Source, RunID: c.RunID, Date: calDate, Model: c.Model,
			DecodeTPS: round(c.DecodeTPS, 2), DecodeEfficiency: round(c.DecodeEfficiency, 3), ComputeScale: round(c.ComputeScale, 3)}
	}
	verdicts := make([]Verdict, 0, len(as))
	for _, a := range as {
		u := FitUseCase{UseCase: a.UseCase.ID, Verdict: string(a.Verdict), BestModel: a.Best, Reason: a.Reason.ID,
			ReadyWithRAMGB: fit.ReadyWithRAM(mc, cat, a.UseCase), CapacityB: a.CapacityB, Models: []FitModel{}, Close: a.Close != nil}
		v := Verdict{UseCase: a.UseCase.ID, Model: a.Best, Level: string(a.Verdict), Reason: a.Reason.Text(lang),
			Subjects: map[string]string{}, ReasonMessage: reasonMessage(a.Reason),
			Close: a.Close != nil, Calibrated: mc.Calibration != nil, CalibratedWith: calDate}
		if a.Close != nil {
			v.Reason += " " + a.Close.Text(lang)
			v.CloseMessage = reasonMessage(fit.Reason{ID: "fit.close." + a.Close.Figure,
				Data: map[string]any{"Low": a.Close.Low, "High": a.Close.High, "Threshold": a.Close.Threshold}})
		}
		for _, l := range []string{"de", "en"} {
			v.Subjects[l] = a.UseCase.Title(l)
			if m, ok := cat.Model(a.Best); ok && m.Name != "" {
				v.Subjects[l] += " (" + m.Name + ")"
			}
		}
		v.Subject = v.Subjects[reportLang(lang)]
		for _, c := range a.Cells {
			p := c.Prediction
			if c.ModelID == a.Best && p.DecodeTPS != nil {
				tps := p.DecodeTPS.Value
				v.PredictedTokensPerSecond = &tps
				v.PredictedLow, v.PredictedHigh = bounds(p.DecodeTPS)
			}
			if c.Candidate {
				u.Models = append(u.Models, FitModel{Model: c.ModelID, Quantization: p.Quant, Verdict: string(c.Verdict),
					Reason: c.Reason.ID, Placement: string(p.Placement), Limit: p.Limit, MemoryBytes: p.Memory.TotalBytes,
					DecodeTPS: figure(p.DecodeTPS), FirstTokenS: figure(p.FirstTokenS), RealtimeFactor: figure(p.RealtimeFactor),
					Close: c.Close != nil})
				fm := &u.Models[len(u.Models)-1]
				fm.DecodeTPSLow, fm.DecodeTPSHigh = bounds(p.DecodeTPS)
				fm.FirstTokenSLow, fm.FirstTokenSHigh = bounds(p.FirstTokenS)
				fm.RealtimeFactorLow, fm.RealtimeFactorHigh = bounds(p.RealtimeFactor)
			}
		}
		f.UseCases = append(f.UseCases, u)
		verdicts = append(verdicts, v)
	}
	return f, verdicts
}

// reasonMessage keeps a fit reason as a message: its id and the values
// that are finite numbers or short strings (JSON has no NaN or ∞).
func reasonMessage(r fit.Reason) *Message {
	m := &Message{ID: r.ID}
	for k, v := range r.Data {
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				continue
			}
			v = round(x, 3)
		case int:
		case string:
			if len(x) > 200 {
				continue
			}
		default:
			continue
		}
		if m.Data == nil {
			m.Data = map[string]any{}
		}
		m.Data[k] = v
	}
	return m
}

// figure keeps three significant digits: a prediction is not more exact,
// and seventeen digits per number would double the section.
func figure(f *fit.Figure) *float64 {
	if f == nil || math.IsNaN(f.Value) || math.IsInf(f.Value, 0) {
		return nil
	}
	if f.Value == 0 {
		return new(float64)
	}
	digits := 2 - int(math.Floor(math.Log10(math.Abs(f.Value))))
	v := round(f.Value, max(digits, 0))
	return &v
}

// bounds is f's interval with three significant digits, nil when it has none.
func bounds(f *fit.Figure) (lo, hi *float64) {
	if !f.Interval() {
		return nil, nil
	}
	return figure(&fit.Figure{Value: f.Low}), figure(&fit.Figure{Value: f.High})
}

func round(v float64, decimals int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}
