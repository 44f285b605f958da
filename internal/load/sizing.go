package load

import (
	"math"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Candidate is a server that cannot be measured yet: figures typed in
// from its data sheet or a probe run on it.
type Candidate struct {
	RAMGB            float64 `json:"ram_gb"`
	BandwidthGBps    float64 `json:"bandwidth_gbps"`     // memory read bandwidth of the CPU side
	GPUMemoryGB      float64 `json:"gpu_memory_gb"`      // 0 = no GPU
	GPUBandwidthGBps float64 `json:"gpu_bandwidth_gbps"` // 0 = fit's assumed GPU bandwidth
	GOPS             float64 `json:"gops"`               // compute estimate; 0 = not known
}

// Sizing is the single-stream prediction for a candidate server.
type Sizing struct {
	Candidate  Candidate      `json:"candidate"`
	Model      string         `json:"model"`
	Quant      string         `json:"quantization"`
	UseCase    string         `json:"use_case"`
	Prediction fit.Prediction `json:"prediction"`
	// ComputeKnown is false when no compute figure was given: then only
	// the bandwidth bounds decoding and no first-token time is predicted.
	ComputeKnown bool     `json:"compute_known"`
	Note         i18n.Msg `json:"-"`
}

// SizeWithoutServer predicts one clerk's speed on a candidate server with
// fit's model (bandwidth-bound decoding). It says nothing about many
// clerks at once: that needs a measurement (Note says so).
func SizeWithoutServer(cat *fit.Catalogue, c Candidate, modelID, quant, useCase string) (Sizing, error) {
	if !(c.RAMGB > 0 && c.RAMGB <= 1e5) || !(c.BandwidthGBps > 0 && c.BandwidthGBps <= 1e5) || c.GPUMemoryGB < 0 || c.GPUBandwidthGBps < 0 || c.GOPS < 0 {
		return Sizing{}, newErr("load.error.sizing_figures", "load.hint.sizing_figures", nil, nil)
	}
	m, ok := cat.Model(modelID)
	if !ok {
		return Sizing{}, newErr("load.error.sizing_model", "load.hint.sizing_model", map[string]any{"Model": i18n.Escape(modelID)}, nil)
	}
	var q *fit.Quantization
	for i := range m.Quantizations {
		if m.Quantizations[i].Name == quant {
			q = &m.Quantizations[i]
		}
	}
	if q == nil {
		return Sizing{}, newErr("load.error.sizing_quant", "load.hint.sizing_quant", map[string]any{"Model": i18n.Escape(modelID), "Quant": i18n.Escape(quant)}, nil)
	}
	u, ok := cat.UseCase(useCase)
	if !ok {
		return Sizing{}, newErr("load.error.sizing_usecase", "load.hint.sizing_usecase", map[string]any{"UseCase": i18n.Escape(useCase)}, nil)
	}
	mc := fit.Machine{RAMTotalBytes: uint64(c.RAMGB * 1e9), RAMAvailableBytes: uint64(c.RAMGB * 1e9 * 0.9), MemoryReadGBps: c.BandwidthGBps, ProbeComplete: true}
	mc.Compute.GOPS, mc.Compute.Basis = c.GOPS, "typed in"
	mc.ComputeBasisMsg = i18n.Msg{ID: "load.sizing.gops_typed_in"}
	known := c.GOPS > 0
	if !known {
		mc.Compute.GOPS, mc.Compute.Basis = math.MaxFloat32, "not given: bandwidth only"
		mc.ComputeBasisMsg = i18n.Msg{ID: "load.sizing.gops_not_given"}
	}
	if c.GPUMemoryGB > 0 {
		mc.GPUs = []fit.GPU{{Name: "candidate", VRAMBytes: uint64(c.GPUMemoryGB * 1e9), Discrete: true, BandwidthGBps: c.GPUBandwidthGBps}}
	}
	p := fit.Predict(mc, m, *q, u)
	if !known {
		p.PromptTPS, p.FirstTokenS = nil, nil
		if f := p.DecodeTPS; f != nil {
			f.OnlyBandwidth() // only the bandwidth half of fit's "min(bandwidth …, compute …)"
		}
	}
	s := Sizing{Candidate: c, Model: m.ID, Quant: q.Name, UseCase: u.ID, Prediction: p, ComputeKnown: known,
		Note: i18n.Msg{ID: "load.sizing.note"}}
	return s, nil
}

// Text renders the sizing in lang.
func (s Sizing) Text(lang string) string {
	p := s.Prediction
	out := i18n.T(lang, "load.sizing.head", map[string]any{"Model": s.Model, "Quant": s.Quant, "UseCase": s.UseCase,
		"Placement": string(p.Placement), "MemGB": i18n.Decimal(lang, float64(p.Memory.TotalBytes)/1e9, 1)})
	if f := p.DecodeTPS; f != nil {
		out += "\n" + i18n.T(lang, "load.sizing.decode", map[string]any{"V": i18n.Decimal(lang, f.Value, 1),
			"Lo": i18n.Decimal(lang, f.Low, 1), "Hi": i18n.Decimal(lang, f.High, 1), "Basis": f.BasisText(lang)})
	}
	if f := p.FirstTokenS; f != nil {
		out += "\n" + i18n.T(lang, "load.sizing.first", map[string]any{"V": i18n.Decimal(lang, f.Value, 1),
			"Lo": i18n.Decimal(lang, f.Low, 1), "Hi": i18n.Decimal(lang, f.High, 1)})
	}
	if !s.ComputeKnown {
		out += "\n" + i18n.T(lang, "load.sizing.no_compute")
	}
	return out + "\n" + s.Note.Text(lang)
}
