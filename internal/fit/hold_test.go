package fit

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
)

// holdCatalogue is handModel in Q8_0 and one chat use case whose "good"
// decode threshold is good tokens/s.
func holdCatalogue(good float64) (*Catalogue, UseCase) {
	m := handModel
	m.Quantizations = []Quantization{{Name: "Q8_0", SizeGB: 1.0}}
	u := chatCase
	u.Candidates = []string{m.ID}
	u.Thresholds = Thresholds{DecodeTPS: &AtLeast{Good: good, Minimum: good / 4}}
	return &Catalogue{Models: []Model{m}, UseCases: []UseCase{u}}, u
}

// TestKnappHoldsTheVerdictBefore: a knapp cell whose middle crossed the
// threshold keeps the verdict before while its interval reaches it, and
// says so; a verdict the interval no longer reaches, or none before,
// leaves the verdict as judged.
func TestKnappHoldsTheVerdictBefore(t *testing.T) {
	mc := kernelMachine(24, 300)
	p := Predict(mc, handModel, Quantization{Name: "Q8_0", SizeGB: 1.0}, chatCase).DecodeTPS
	if !p.Interval() {
		t.Fatal("no interval")
	}
	readyCat, readyUse := holdCatalogue(p.Value * 0.99)     // the middle just above "good"
	limitedCat, limitedUse := holdCatalogue(p.Value * 1.01) // just below
	before := AssessUseCase(mc, readyCat, readyUse)
	if before.Verdict != Ready || before.Close == nil {
		t.Fatalf("before: %s, close %+v", before.Verdict, before.Close)
	}
	alone := AssessUseCase(mc, limitedCat, limitedUse)
	if alone.Verdict != Limited || alone.Close == nil || alone.Close.Held {
		t.Fatalf("judged alone: %s, close %+v", alone.Verdict, alone.Close)
	}
	held := assessUseCase(mc, limitedCat, limitedUse, &before)
	if held.Verdict != Ready || held.Close == nil || !held.Close.Held || held.Cells[0].Reason.ID != before.Cells[0].Reason.ID {
		t.Fatalf("after a verdict of %s: %s (%s), close %+v", before.Verdict, held.Verdict, held.Cells[0].Reason.ID, held.Close)
	}
	Localize([]Assessment{held}, "de")
	if txt := held.Close.Text("de"); !strings.Contains(txt, "bleibt das Urteil so wie bei den Messungen zuvor") {
		t.Errorf("held text: %s", txt)
	}
	// "good" far above the interval: the verdict before is out of reach.
	farCat, farUse := holdCatalogue(p.High * 1.5)
	if far := assessUseCase(mc, farCat, farUse, &before); far.Verdict != Limited || (far.Close != nil && far.Close.Held) {
		t.Errorf("out of reach: %s, close %+v", far.Verdict, far.Close)
	}
	if none := assessUseCase(mc, limitedCat, limitedUse, nil); none.Verdict != Limited {
		t.Errorf("nothing before: %s", none.Verdict)
	}
}

// TestThisPCHoldsAKnappVerdictOverProbes: probes stored one after the
// other whose combined figure moves across a threshold and back; judged
// each on its own the verdict flips, through ThisPC (which replays the
// stored probes) it does not.
func TestThisPCHoldsAKnappVerdictOverProbes(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	inv := hardware.Inventory{Memory: hardware.Section[hardware.Memory]{Status: hardware.StatusOK, Value: hardware.Memory{TotalBytes: 16e9, AvailableBytes: 12e9}}}
	start := time.Date(2026, 12, 6, 1, 0, 0, 0, time.Local)
	kernels := []float64{30, 33, 29, 33, 29, 33, 29, 33}
	mk := func(i int) probe.Result {
		k := kernels[i]
		pr := probe.Result{Complete: true, Started: start.Add(time.Duration(i) * time.Minute), Threads: 4, KernelISA: "AVX2",
			Steady:             &probe.Steadiness{SustainedGBps: 40, LowGBps: 39, HighGBps: 41},
			DecodeKernel:       &probe.Steadiness{MedianGBps: k, LowGBps: k - 0.5, HighGBps: k + 0.5},
			PromptKernelSteady: &probe.Steadiness{MedianGBps: 1000}}
		pr.Compute.CPU = probe.CPU{Model: "Test CPU", LogicalCores: 8, PhysicalCores: 4}
		return pr
	}
	// The threshold: the middle of the combined figures' predictions, so
	// that judged alone they land on both sides.
	var values []float64
	for i := range kernels {
		if _, err := probe.Save(ctx, db, mk(i), nil); err != nil {
			t.Fatal(err)
		}
		cat, _ := holdCatalogue(1)
		values = append(values, ThisPC(ctx, db, cat, inv, mk(i), nil, nil, "de").Assessments[0].Cells[0].Prediction.DecodeTPS.Value)
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	cat, u := holdCatalogue((sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2)

	db = openStore(t)
	var alone, shown []Verdict
	for i := range kernels {
		if _, err := probe.Save(ctx, db, mk(i), nil); err != nil {
			t.Fatal(err)
		}
		pf := ThisPC(ctx, db, cat, inv, mk(i), nil, nil, "de")
		if pf.MachineErr != nil {
			t.Fatal(pf.MachineErr)
		}
		shown = append(shown, pf.Assessments[0].Verdict)
		alone = append(alone, AssessUseCase(pf.Machine, cat, u).Verdict)
	}
	if len(slices.Compact(slices.Clone(alone))) < 2 {
		t.Fatalf("judged alone the verdicts %v never change: the probes do not cross the threshold, so this test would not tell", alone)
	}
	if len(slices.Compact(slices.Clone(shown))) != 1 {
		t.Errorf("shown verdicts %v change (judged alone: %v)", shown, alone)
	}
}

// TestKnappHoldsAcrossTheQuantizationShown: a model shown in Q8_0 (its
// first token knapp under the maximum) whose Q8_0 crosses the maximum
// would be shown in the faster-decoding Q4_K_M, "nicht bereit"; the held
// verdict brings Q8_0 back with the verdict before.
func TestKnappHoldsAcrossTheQuantizationShown(t *testing.T) {
	mc := kernelMachine(24, 30)
	m := handModel
	m.Quantizations = []Quantization{{Name: "Q8_0", SizeGB: 1.0}, {Name: "Q4_K_M", SizeGB: 0.6}}
	first := Predict(mc, m, m.Quantizations[0], chatCase).FirstTokenS
	use := func(maximum float64) (*Catalogue, UseCase) {
		u := chatCase
		u.Candidates = []string{m.ID}
		u.Thresholds = Thresholds{FirstTokenS: &AtMost{Good: maximum / 10, Maximum: maximum}}
		return &Catalogue{Models: []Model{m}, UseCases: []UseCase{u}}, u
	}
	beforeCat, beforeUse := use(first.Value * 1.01)
	before := AssessUseCase(mc, beforeCat, beforeUse)
	if c := before.Cells[0]; c.Verdict != Limited || c.Prediction.Quant != "Q8_0" || c.Close == nil {
		t.Fatalf("before: %s in %s, close %+v", c.Verdict, c.Prediction.Quant, c.Close)
	}
	nowCat, nowUse := use(first.Value * 0.99)
	if c := AssessUseCase(mc, nowCat, nowUse).Cells[0]; c.Verdict != NotReady || c.Prediction.Quant != "Q4_K_M" {
		t.Fatalf("judged alone: %s in %s, want nicht bereit in Q4_K_M (the fastest)", c.Verdict, c.Prediction.Quant)
	}
	c := assessUseCase(mc, nowCat, nowUse, &before).Cells[0]
	if c.Verdict != Limited || c.Prediction.Quant != "Q8_0" || c.Close == nil || !c.Close.Held || len(c.Others) != 1 || c.Others[0].Quant != "Q4_K_M" {
		t.Errorf("held: %s in %s, close %+v, others %d", c.Verdict, c.Prediction.Quant, c.Close, len(c.Others))
	}
}
