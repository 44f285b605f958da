package fit

import (
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/probe"
)

// TestBasisSpeaksTheReadersLanguage: every figure's basis (and the memory
// formula) renders in German with German words and none of the English
// formula's, and in English exactly as the JSON's Basis string.
func TestBasisSpeaksTheReadersLanguage(t *testing.T) {
	q := Quantization{Name: "Q8_0", SizeGB: 1.0}
	withKernels := kernelMachine(24, 30)
	estimate := Machine{RAMTotalBytes: 16e9, RAMAvailableBytes: 12e9, MemoryReadGBps: 40,
		Compute: probe.EstimateCompute(probe.CPU{PhysicalCores: 4, MaxMHz: 3000, AVX2: true})}
	english := []string{"cores", "efficiency", "tokens/s", "per token", "weights", "measured", "bandwidth", "compute", "dims", "layers"}
	for name, mc := range map[string]Machine{"kernels": withKernels, "estimate": estimate} {
		p := Predict(mc, handModel, q, chatCase)
		figs := map[string]interface {
			BasisText(string) string
		}{"memory": p.Memory, "decode": p.DecodeTPS, "prompt": p.PromptTPS, "first": p.FirstTokenS}
		for fig, f := range figs {
			de, en := f.BasisText("de"), f.BasisText("en")
			if de == "" || de == en {
				t.Errorf("%s %s: German basis %q", name, fig, de)
			}
			for _, w := range english {
				if strings.Contains(de, w) {
					t.Errorf("%s %s: German basis holds %q: %s", name, fig, w, de)
				}
			}
		}
		t.Logf("%s decode basis, de: %s\n  en: %s", name, p.DecodeTPS.BasisText("de"), p.DecodeTPS.Basis)
		if en := p.DecodeTPS.BasisText("en"); en != p.DecodeTPS.Basis {
			t.Errorf("%s: English basis %q, JSON %q", name, en, p.DecodeTPS.Basis)
		}
		if en := p.Memory.BasisText("en"); en != p.Memory.Basis {
			t.Errorf("%s: English memory basis %q, JSON %q", name, en, p.Memory.Basis)
		}
	}
	if s := ComputeEstimateBasis(estimate.Compute).Text("de"); !strings.Contains(s, "4 Kerne × 3,00 GHz") {
		t.Errorf("compute estimate in German: %q", s)
	}
}
