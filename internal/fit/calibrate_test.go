package fit

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/loadprofile"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

func packaged(t *testing.T) *Catalogue {
	t.Helper()
	c, err := LoadCatalogue(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func machineAt(gbps float64) Machine {
	mc := Machine{RAMTotalBytes: 32e9, RAMAvailableBytes: 24e9, MemoryReadGBps: gbps, MemoryReadLowGBps: gbps * 0.9, MemoryReadHighGBps: gbps * 1.1}
	mc.Compute.GOPS = 300
	return mc
}

func TestEverySpeedCarriesAnIntervalAroundIt(t *testing.T) {
	cat := packaged(t)
	mc := machineAt(30)
	n := 0
	for _, u := range cat.UseCases {
		for _, m := range cat.Models {
			if m.Kind != u.Kind {
				continue
			}
			p := Predict(mc, m, m.Quantizations[0], u)
			for name, f := range map[string]*Figure{"decode": p.DecodeTPS, "prompt": p.PromptTPS, "first token": p.FirstTokenS, "rtf": p.RealtimeFactor} {
				if f == nil {
					continue
				}
				n++
				if !f.Interval() || !(f.Low < f.Value && f.Value < f.High) {
					t.Errorf("%s %s %s: %.3g not inside (%.3g, %.3g)", u.ID, m.ID, name, f.Value, f.Low, f.High)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d figures checked", n)
	}
}

func TestKnappWhenTheIntervalReachesAcrossAThreshold(t *testing.T) {
	cat := packaged(t)
	u, _ := cat.UseCase("anfrage-klassifizieren")
	m, _ := cat.Model("llama3.2-3b")
	q := m.Quantizations[0]
	good := u.Thresholds.DecodeTPS.Good
	// Find the bandwidth at which the prediction is 5 % above "good".
	ref := Predict(machineAt(30), m, q, u).DecodeTPS.Value
	at := func(factor float64) Prediction { return Predict(machineAt(30*good/ref*factor), m, q, u) }

	near := at(1.05)
	c := Close(near, u)
	if c == nil || c.Figure != "decode_tps" || c.Threshold != good || !(c.Low < good && good < c.High) {
		t.Fatalf("5 %% above the threshold: close %+v, want decode_tps at %v", c, good)
	}
	as := []Assessment{AssessUseCase(machineAt(30*good/ref*1.05), cat, u)}
	Localize(as, "de")
	found := false
	for _, cell := range as[0].Cells {
		if cell.ModelID == m.ID && cell.Prediction.Quant == q.Name {
			found = true
			if cell.Close == nil || !strings.HasSuffix(cell.VerdictLabel, ", knapp") || cell.CloseText == "" {
				t.Errorf("cell close %+v labelled %q", cell.Close, cell.VerdictLabel)
			}
		}
	}
	if !found {
		t.Logf("the fit chose another quantization of %s; label not checked", m.ID)
	}
	if txt := c.Text("de"); !strings.Contains(txt, "Knapp") || !strings.Contains(txt, "Grenze liegt bei 50 Sekunden") || strings.Contains(txt, "Token") {
		t.Errorf("German text %q", txt)
	}
	if txt := c.Text("en"); !strings.Contains(txt, "Borderline") {
		t.Errorf("English text %q", txt)
	}
	// Below the minimum with an interval reaching over both thresholds:
	// the line it is at is the minimum.
	wide := at(0.3 * u.Thresholds.DecodeTPS.Minimum / good)
	wide.DecodeTPS.Low, wide.DecodeTPS.High = wide.DecodeTPS.Value/4, wide.DecodeTPS.Value*10
	if c := Close(wide, u); c == nil || c.Threshold != u.Thresholds.DecodeTPS.Minimum {
		t.Errorf("wide interval below the minimum: %+v, want the minimum %v", c, u.Thresholds.DecodeTPS.Minimum)
	}
	if far := Close(at(3), u); far != nil && far.Figure == "decode_tps" {
		t.Errorf("three times the threshold is not knapp: %+v", far)
	}
}

func TestCalibrationReproducesTheLocalMeasurement(t *testing.T) {
	cat := packaged(t)
	m, _ := cat.Model("llama3.2-1b")
	q, _ := quantizationOf(m, "q8_0")
	u := UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: 20, AnswerTokens: 96}
	mc := machineAt(30)
	date := time.Date(2026, 12, 4, 20, 0, 0, 0, time.Local)
	obs := []Observation{{Source: "bench", RunID: 7, Date: date, Model: m.ID, Quantization: q.Name,
		BytesPerToken: weightsReadPerToken(m, q), Params: float64(promptParameters(m)), DecodeTPS: 14, PromptTPS: 60}}
	mc.Calibration = Calibrate(mc, obs)
	if mc.Calibration == nil {
		t.Fatal("no calibration")
	}
	p := Predict(mc, m, q, u)
	if d := p.DecodeTPS.Value / 14; d < 0.97 || d > 1.0 {
		t.Errorf("calibrated prediction %.2f tok/s for a measured 14 (ratio %.3f)", p.DecodeTPS.Value, d)
	}
	if pp := Predict(mc, m, q, UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: 2, AnswerTokens: 1}).PromptTPS.Value; pp < 57 || pp > 61 {
		t.Errorf("calibrated prompt speed %.1f, measured 60", pp)
	}
	// Calibrated, the interval is the runtime's own few percent.
	unc := Predict(machineAt(30), m, q, u).DecodeTPS
	if w, wu := p.DecodeTPS.High/p.DecodeTPS.Low, unc.High/unc.Low; w > 1.15 || w >= wu {
		t.Errorf("calibrated interval ×%.2f, uncalibrated ×%.2f", w, wu)
	}
	if !strings.Contains(p.DecodeTPS.Basis, "calibrated: bench run 7 of 2026-12-04") {
		t.Errorf("basis %q", p.DecodeTPS.Basis)
	}
	if got := mc.Calibration.Text("de"); !strings.HasPrefix(got, "kalibriert mit Messung vom 04.12.2026") || !strings.Contains(got, "14 Token/s") {
		t.Errorf("German %q", got)
	}
	if got := mc.Calibration.Text("en"); !strings.HasPrefix(got, "calibrated with the measurement of 2026-12-04") {
		t.Errorf("English %q", got)
	}
	var none *Calibration
	if got := none.Text("de"); !strings.HasPrefix(got, "nicht kalibriert") {
		t.Errorf("uncalibrated %q", got)
	}
	// A figure no CPU reaches (a GPU run, another PC's memory) is left out.
	if c := Calibrate(mc, []Observation{{DecodeTPS: 500, BytesPerToken: 1e9}}); c != nil {
		t.Errorf("calibrated from an impossible figure: %+v", c)
	}
}

func TestForPCCombinesStoredProbesAndCalibratesFromALoadProfile(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	cat := packaged(t)
	cpu := probe.CPU{Model: "Test CPU", LogicalCores: 2, PhysicalCores: 2}
	mk := func(gbps float64, ago time.Duration) probe.Result {
		r := probe.Result{Complete: true, Started: time.Now().Add(-ago), MemoryReadGBps: &probe.Stat{Median: gbps * 1.1, Q1: gbps, Q3: gbps * 1.2},
			Steady: &probe.Steadiness{Stable: true, SustainedGBps: gbps, LowGBps: gbps, HighGBps: gbps * 1.2}}
		r.Compute.CPU = cpu
		r.Compute.GOPS = 200
		return r
	}
	for i, g := range []float64{31, 33, 32} {
		if _, err := probe.Save(ctx, db, mk(g, time.Duration(i+1)*time.Hour), nil); err != nil {
			t.Fatal(err)
		}
	}
	// A load profile against a runtime on this PC; another against a
	// remote one, which must not calibrate this PC.
	shape := gguf.Shape{Layers: 16, Hidden: 2048, Heads: 32, KVHeads: 8, FFN: 8192, Vocab: 128256, Context: 4096}
	for _, ep := range []string{"http://10.0.0.9:11434", "http://127.0.0.1:11434"} {
		id, err := db.StartRun(ctx, loadprofile.RunKind)
		if err != nil {
			t.Fatal(err)
		}
		rec := loadprofile.Record{RunID: id, Status: store.StatusDone, Result: loadprofile.Result{Model: "llama3.2-1b", Quant: gguf.QuantQ8_0,
			Shape: shape, FileBytes: 1.3e9, Endpoint: ep, DecodeTPS: 20, PromptTPS: 80, Complete: true}}
		if err := db.FinishRun(ctx, id, store.StatusDone, rec); err != nil {
			t.Fatal(err)
		}
	}
	mc, err := ForPC(ctx, db, cat, hardware.Inventory{}, mk(50, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	if mc.ProbesCombined != 4 || mc.MemoryReadGBps != 32.5 || mc.MemoryReadLowGBps != 31 || mc.MemoryReadHighGBps != 60 {
		t.Errorf("machine bandwidth %.1f (%.1f–%.1f) from %d probes, want 32.5 (31–60) from 4", mc.MemoryReadGBps, mc.MemoryReadLowGBps, mc.MemoryReadHighGBps, mc.ProbesCombined)
	}
	c := mc.Calibration
	if c == nil || c.Source != "loadprofile" || c.Measurements != 1 || c.DecodeTPS != 20 {
		t.Fatalf("calibration %+v, want the local load profile", c)
	}
	as := Assess(mc, cat)
	Localize(as, "de")
	if !as[0].Calibrated || !strings.Contains(as[0].CalibrationText, "Lastprofil-Test") {
		t.Errorf("assessment calibrated=%v %q", as[0].Calibrated, as[0].CalibrationText)
	}
	if got := BandwidthText(mc, mk(50, 0), "de"); !strings.Contains(got, "Messungen dieses PCs: 4,") || !strings.Contains(got, "stabil") {
		t.Errorf("bandwidth text %q", got)
	}
	// Without a database: the probe alone.
	alone, err := ForPC(ctx, nil, cat, hardware.Inventory{}, mk(50, 0), nil)
	if err != nil || alone.ProbesCombined != 1 || alone.MemoryReadGBps != 50 || alone.Calibration != nil {
		t.Errorf("alone: %+v, %v", alone, err)
	}
}

func TestNewMessagesExistInBothLanguages(t *testing.T) {
	for _, id := range []string{"fit.verdict_close", "fit.close.decode_tps", "fit.close.first_token_s", "fit.close.realtime_factor",
		"fit.calibration.with", "fit.calibration.none", "fit.calibration.source.bench", "fit.calibration.source.loadprofile",
		"fit.interval", "fit.bandwidth_basis", "fit.steady.stable", "fit.steady.unstable", "fit.fleet_calibrated"} {
		for _, l := range []string{"de", "en"} {
			if got := i18n.T(l, id); got == id || got == "" {
				t.Errorf("%s: %s missing", l, id)
			}
		}
	}
}

// TestTheProbesCPUShareDoesNotMoveThePrediction: issue 22's review found
// that scaling the compute estimate by the CPU share of one probe made a
// verdict depend on how busy the PC was in those seconds; the share is now
// informative only.
func TestTheProbesCPUShareDoesNotMoveThePrediction(t *testing.T) {
	cat := packaged(t)
	m, _ := cat.Model("llama3.2-1b")
	u, _ := cat.UseCase("bescheid-zusammenfassen")
	idle, busy := machineAt(30), machineAt(30)
	idle.CPUShare, busy.CPUShare = 0.97, 0.4
	pi, pb := Predict(idle, m, m.Quantizations[0], u), Predict(busy, m, m.Quantizations[0], u)
	if pb.PromptTPS.Value != pi.PromptTPS.Value || pb.DecodeTPS.Value != pi.DecodeTPS.Value || strings.Contains(pb.PromptTPS.Basis, "CPU share") {
		t.Errorf("busy prompt %.1f decode %.1f vs idle %.1f / %.1f, basis %q", pb.PromptTPS.Value, pb.DecodeTPS.Value, pi.PromptTPS.Value, pi.DecodeTPS.Value, pb.PromptTPS.Basis)
	}
}

func TestLatestMeasurementsTakesTheNewestRunPerCatalogueModel(t *testing.T) {
	cat := packaged(t)
	day := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	runs := []MeasuredRun{
		{RunID: 1, RuntimeModel: "llama3.2:1b", Quantization: "Q4_K_M", DecodeTPS: 20, Date: day},
		{RunID: 2, RuntimeModel: "llama3.2:1b-instruct-q8_0", Quantization: "Q8_0", DecodeTPS: 15, Date: day.Add(time.Hour)},
		{RunID: 3, RuntimeModel: "llama3.2:1b", DecodeTPS: 30, Date: day.Add(-time.Hour)},
		{RunID: 4, RuntimeModel: "not-in-the-catalogue:7b", DecodeTPS: 9, Date: day},
		{RunID: 5, RuntimeModel: "qwen3:8b", DecodeTPS: 0, Date: day},
	}
	got := LatestMeasurements(cat, runs)
	if len(got) != 1 {
		t.Fatalf("measurements %+v, want llama3.2-1b alone", got)
	}
	if m := got["llama3.2-1b"]; m.RunID != 2 || m.DecodeTPS != 15 || m.Quantization != "Q8_0" || m.RuntimeModel != "llama3.2:1b-instruct-q8_0" {
		t.Errorf("llama3.2-1b: %+v, want run 2 (the newest)", m)
	}
}

// TestLoadProfileObservationReadsTheTiedEmbedding: from a Lastprofil run,
// the bytes read per token leave out the input embedding only when it is
// not also the output matrix, and a prompt token counts the layers'
// weights alone (as weightsReadPerToken and promptParameters).
func TestLoadProfileObservationReadsTheTiedEmbedding(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	for _, tied := range []bool{true, false} {
		shape := gguf.Shape{Layers: 16, Hidden: 2048, Heads: 32, KVHeads: 8, FFN: 8192, Vocab: 128256, Context: 4096, TiedEmbeddings: tied}
		id, err := db.StartRun(ctx, loadprofile.RunKind)
		if err != nil {
			t.Fatal(err)
		}
		rec := loadprofile.Record{RunID: id, Status: store.StatusDone, Result: loadprofile.Result{Model: "llama3.2-1b", Quant: gguf.QuantQ8_0,
			Shape: shape, FileBytes: 1.3e9, Endpoint: "http://127.0.0.1:11434", DecodeTPS: 20, PromptTPS: 80, Complete: true}}
		if err := db.FinishRun(ctx, id, store.StatusDone, rec); err != nil {
			t.Fatal(err)
		}
	}
	obs, err := Observations(ctx, db, packaged(t), nil)
	if err != nil || len(obs) != 2 {
		t.Fatalf("observations %+v, %v", obs, err)
	}
	emb := 128256.0 * 2048
	tiedSeen := 0
	for _, o := range obs {
		tied := o.BytesPerToken == 1.3e9 // the whole file: the table is the output matrix too
		if tied {
			tiedSeen++
		}
		wantParams := float64(gguf.Shape{Layers: 16, Hidden: 2048, Heads: 32, KVHeads: 8, FFN: 8192, Vocab: 128256, Context: 4096, TiedEmbeddings: tied}.Params()) - emb
		if !tied {
			wantParams -= emb
			untied := gguf.Shape{Layers: 16, Hidden: 2048, Heads: 32, KVHeads: 8, FFN: 8192, Vocab: 128256, Context: 4096}
			if want := 1.3e9 - emb*1.3e9/float64(untied.Params()); o.BytesPerToken < want*0.999 || o.BytesPerToken > want*1.001 {
				t.Errorf("untied: %.0f bytes per token, want %.0f (the file less the input embedding)", o.BytesPerToken, want)
			}
		}
		if o.Params != wantParams {
			t.Errorf("tied %v: %.0f prompt parameters, want %.0f (the layers)", tied, o.Params, wantParams)
		}
	}
	if tiedSeen != 1 {
		t.Errorf("%d observations read the whole file per token, want 1 (the tied one)", tiedSeen)
	}
}

// openStore opens a fresh database in the test's folder, closed at its end.
func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
