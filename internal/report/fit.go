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
	as := fit.Assess(mc, cat)
	f := &Fit{
		Machine: FitMachine{RAMTotalBytes: mc.RAMTotalBytes, RAMAvailableBytes: mc.RAMAvailableBytes, GPUs: mc.GPUs,
			MemoryReadGBps: round(mc.MemoryReadGBps, 2), ComputeGOPS: round(mc.Compute.GOPS, 1), ProbeComplete: mc.ProbeComplete},
		UseCases: make([]FitUseCase, 0, len(as)),
	}
	verdicts := make([]Verdict, 0, len(as))
	for _, a := range as {
		u := FitUseCase{UseCase: a.UseCase.ID, Verdict: string(a.Verdict), BestModel: a.Best, Reason: a.Reason.ID,
			ReadyWithRAMGB: fit.ReadyWithRAM(mc, cat, a.UseCase), CapacityB: a.CapacityB, Models: []FitModel{}}
		v := Verdict{UseCase: a.UseCase.ID, Model: a.Best, Level: string(a.Verdict), Reason: a.Reason.Text(lang),
			Subjects: map[string]string{}, ReasonMessage: reasonMessage(a.Reason)}
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
			}
			if c.Candidate {
				u.Models = append(u.Models, FitModel{Model: c.ModelID, Quantization: p.Quant, Verdict: string(c.Verdict),
					Reason: c.Reason.ID, Placement: string(p.Placement), Limit: p.Limit, MemoryBytes: p.Memory.TotalBytes,
					DecodeTPS: figure(p.DecodeTPS), FirstTokenS: figure(p.FirstTokenS), RealtimeFactor: figure(p.RealtimeFactor)})
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

func round(v float64, decimals int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}
