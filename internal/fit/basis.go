package fit

import (
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
)

// The basis of a figure (the measurement and formula behind it) is a
// message, rendered late in the reader's language (BasisText); its
// English rendering is the Basis string of the JSON output, as before.

// num is a number with prec decimals in the reader's language.
type num struct {
	v    float64
	prec int
}

func (n num) Text(lang string) string { return i18n.Decimal(lang, n.v, n.prec) }

func basisMsg(id string, data map[string]any) i18n.Msg {
	return i18n.Msg{ID: "fit.basis." + id, Data: data}
}

// rawBasis is a basis given as text (typed in, or read from an old file).
func rawBasis(s string) i18n.Msg { return basisMsg("raw", map[string]any{"Text": s}) }

// ComputeEstimateBasis is the basis of the probe's compute estimate in
// lang: cores × clock × operations per cycle × efficiency.
func ComputeEstimateBasis(e probe.ComputeEstimate) i18n.Msg {
	if e.Cores == 0 {
		return rawBasis(i18n.Escape(e.Basis))
	}
	return basisMsg("compute_estimate", map[string]any{"Cores": e.Cores, "GHz": num{e.GHz, 2}, "Ops": num{e.OpsCycle, 0}, "ISA": e.ISA, "Eff": num{e.Efficiency, 2}})
}

// ComputeAssumed says in lang what the estimate assumed ("" when
// nothing).
func ComputeAssumed(e probe.ComputeEstimate, lang string) string {
	if e.Assumed == "" {
		return ""
	}
	if e.Cores == 0 || e.GHz <= 0 {
		return i18n.Escape(e.Assumed)
	}
	return basisMsg("clock_assumed", map[string]any{"GHz": num{e.GHz, 1}}).Text(lang)
}

// BasisText is f's basis in lang (the English Basis for a figure read
// back from JSON).
func (f *Figure) BasisText(lang string) string {
	if f.BasisMsg.ID != "" {
		return f.BasisMsg.Text(lang)
	}
	return i18n.Escape(f.Basis)
}

// BasisText is the memory formula in lang (see Figure.BasisText).
func (m Memory) BasisText(lang string) string {
	if m.BasisMsg.ID != "" {
		return m.BasisMsg.Text(lang)
	}
	return i18n.Escape(m.Basis)
}

// figure is a Figure whose Basis is the English rendering of its message.
func figure(v float64, b i18n.Msg) *Figure {
	return &Figure{Value: v, Basis: b.Text("en"), BasisMsg: b}
}

// gbText is a size in GB with two decimals in the reader's language.
func gbText(b uint64) num { return num{float64(b) / 1e9, 2} }

// OnlyBandwidth cuts a decoding figure's basis to its bandwidth half (for
// a machine whose compute is not known).
func (f *Figure) OnlyBandwidth() {
	if f.BasisMsg.ID == "fit.basis.decode" {
		f.BasisMsg.ID = "fit.basis.decode_bandwidth"
		f.Basis = f.BasisMsg.Text("en")
	}
}
