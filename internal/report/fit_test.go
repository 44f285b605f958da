package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/fit"
)

// sampleFit is the fit section of an office PC with 8 GB, judged with the
// embedded catalogue, as the check makes it.
func sampleFit(t testing.TB) *Fit {
	t.Helper()
	cat, err := fit.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	mc := fit.Machine{RAMTotalBytes: 8 << 30, RAMAvailableBytes: 3 << 30, MemoryReadGBps: 38.23456, ProbeComplete: true}
	mc.Compute.GOPS = 311.987
	f, _ := NewFit(mc, cat)
	return f
}

func TestNewFitKeepsCandidatesAndFigures(t *testing.T) {
	cat, err := fit.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	mc := fit.Machine{RAMTotalBytes: 8 << 30, RAMAvailableBytes: 3 << 30, MemoryReadGBps: 38.23456}
	mc.Compute.GOPS = 311.987
	as := fit.Assess(mc, cat)
	f, verdicts := NewFit(mc, cat)
	if f.Machine.MemoryReadGBps != 38.23 || f.Machine.ComputeGOPS != 312 || f.Machine.RAMTotalBytes != 8<<30 {
		t.Errorf("machine %+v", f.Machine)
	}
	if len(f.UseCases) != len(as) {
		t.Fatalf("%d use cases, want %d", len(f.UseCases), len(as))
	}
	for i, u := range f.UseCases {
		a := as[i]
		if u.UseCase != a.UseCase.ID || u.Verdict != string(a.Verdict) || u.BestModel != a.Best || u.Reason != a.Reason.ID || u.ReadyWithRAMGB != fit.ReadyWithRAM(mc, cat, a.UseCase) {
			t.Errorf("use case %d: %+v, assessment %s %s %s", i, u, a.UseCase.ID, a.Verdict, a.Best)
		}
		want := a.Reason.Text("de")
		if a.Close != nil { // a knapp verdict says so, with its interval
			want += " " + a.Close.Text("de")
		}
		if v := verdicts[i]; v.UseCase != u.UseCase || v.Level != u.Verdict || v.Model != u.BestModel || v.Reason != want || v.Close != (a.Close != nil) || u.Close != (a.Close != nil) || !strings.HasPrefix(v.Subject, a.UseCase.Title("de")) {
			t.Errorf("verdict %d: %+v, use case %+v", i, v, u)
		}
		// Exactly the use case's candidates, in the catalogue's order.
		if len(u.Models) != len(a.UseCase.Candidates) {
			t.Errorf("%s: %d models, the use case has %d candidates", u.UseCase, len(u.Models), len(a.UseCase.Candidates))
		}
		for _, m := range u.Models {
			var cell *fit.Cell
			for j := range a.Cells {
				if a.Cells[j].ModelID == m.Model {
					cell = &a.Cells[j]
				}
			}
			if cell == nil || !cell.Candidate {
				t.Errorf("%s: model %s is not a candidate", u.UseCase, m.Model)
				continue
			}
			p := cell.Prediction
			if m.MemoryBytes != p.Memory.TotalBytes || m.Placement != string(p.Placement) || m.Quantization != p.Quant || m.Verdict != string(cell.Verdict) {
				t.Errorf("%s/%s: %+v, prediction %+v", u.UseCase, m.Model, m, p)
			}
			if p.DecodeTPS != nil {
				if m.DecodeTPS == nil {
					t.Errorf("%s/%s: decode speed lost", u.UseCase, m.Model)
				} else if rel := *m.DecodeTPS / p.DecodeTPS.Value; rel < 0.995 || rel > 1.005 {
					t.Errorf("%s/%s: decode %v, predicted %v: more than rounding apart", u.UseCase, m.Model, *m.DecodeTPS, p.DecodeTPS.Value)
				}
			}
		}
	}
}

func TestFigureKeepsThreeSignificantDigits(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{6.826477556991769, 6.83}, {62.87149333539986, 62.9}, {16.051948076898732, 16.1},
		{1234.5678, 1235}, {0.0123456, 0.0123}, {0, 0},
	} {
		got := figure(&fit.Figure{Value: c.in})
		if got == nil || *got != c.want {
			t.Errorf("figure(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if figure(nil) != nil {
		t.Error("no figure became a number")
	}
}

// TestFitSectionSchema: the schema checks the fit section of version 2
// reports, and a version 1 report with the old fit section still verifies.
func TestFitSectionSchema(t *testing.T) {
	key, _, data, _ := sample(t)
	bad := bytes.Replace(data, []byte(`"placement": "`), []byte(`"placement": "cloud-`), 1)
	if bytes.Equal(bad, data) {
		t.Fatal("sample has no fit placement to change")
	}
	bad = rehash(t, bad)
	sig, _ := key.Sign(bad)
	if res := Verify(bad, sig, VerifyOptions{}); res.Problem != ProblemSchema || !strings.Contains(res.Message, "/sections/fit/use_cases/") {
		t.Errorf("bad placement in the fit section: %+v", res)
	}

	// Version 1 wrote every prediction with its basis under "assessments".
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	doc["schema_version"] = 1
	doc["sections"].(map[string]any)["fit"] = map[string]any{
		"machine":     map[string]any{"ram_total_bytes": 8 << 30},
		"assessments": []any{map[string]any{"usecase": map[string]any{"id": "antwort-entwurf"}, "verdict": "limited", "models": []any{}}},
	}
	old, _ := json.MarshalIndent(doc, "", "  ")
	old = rehash(t, old)
	sig, _ = key.Sign(old)
	res := Verify(old, sig, VerifyOptions{})
	if !res.Valid || res.SchemaVersion != 1 {
		t.Fatalf("version 1 report: %+v", res)
	}
	if f := res.Report.Sections.Fit; f == nil || len(f.UseCases) != 0 {
		t.Errorf("version 1 fit section read as %+v; its figures have another shape and must not be taken for version 2's", f)
	}
}

// rehash recomputes the integrity hashes of an edited report.
func rehash(t testing.TB, data []byte) []byte {
	t.Helper()
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var sections map[string]json.RawMessage
	if err := json.Unmarshal(doc["sections"], &sections); err != nil {
		t.Fatal(err)
	}
	hashes, err := sectionHashes(sections)
	if err != nil {
		t.Fatal(err)
	}
	doc["integrity"], _ = json.Marshal(Integrity{Algorithm: "sha256", Sections: hashes})
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// A calibrated fit with intervals and knapp marks validates; a report made
// before (none of these fields) still does: TestSampleValidatesAndVerifies
// and the version 1 case above.
func TestCalibratedFitWithIntervalsValidates(t *testing.T) {
	key, r, _, _ := sample(t)
	cat, err := fit.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	mc := fit.Machine{RAMTotalBytes: 8 << 30, RAMAvailableBytes: 3 << 30, MemoryReadGBps: 30, MemoryReadLowGBps: 25, MemoryReadHighGBps: 40, ProbesCombined: 3, ProbeComplete: true,
		DecodeKernelGBps: 45, DecodeKernelLowGBps: 44, DecodeKernelHighGBps: 47, PromptKernelGOPS: 140, KQuantKernelGBps: 35, KQuantKernelLowGBps: 34, KQuantKernelHighGBps: 36, KernelISA: "AVX2"}
	mc.Compute.GOPS = 300
	mc.Calibration = &fit.Calibration{DecodeEfficiency: 0.7, DecodeEfficiencyLow: 0.66, DecodeEfficiencyHigh: 0.74, Source: "loadprofile", RunID: 4,
		Date: time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC), Model: "llama3.2-1b", DecodeTPS: 14, Measurements: 1}
	f, verdicts := NewFit(mc, cat)
	if f.Machine.Calibration == nil || f.Machine.Calibration.Date != "2026-12-04" || f.Machine.ProbesCombined != 3 || f.Machine.MemoryReadLowGBps != 25 ||
		f.Machine.DecodeKernelGBps != 45 || f.Machine.KQuantKernelGBps != 35 {
		t.Fatalf("machine %+v", f.Machine)
	}
	withInterval := 0
	for _, u := range f.UseCases {
		for _, m := range u.Models {
			if m.DecodeTPS != nil && m.DecodeTPSLow != nil && m.DecodeTPSHigh != nil && *m.DecodeTPSLow <= *m.DecodeTPS && *m.DecodeTPS <= *m.DecodeTPSHigh {
				withInterval++
			}
		}
	}
	if withInterval == 0 {
		t.Error("no model carries a decode interval")
	}
	for _, v := range verdicts {
		if !v.Calibrated || v.CalibratedWith != "2026-12-04" {
			t.Errorf("verdict %s not marked calibrated: %+v", v.UseCase, v)
		}
	}
	r.Sections.Fit, r.Summary.Verdicts = f, verdicts
	data, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := key.Sign(data)
	if res := Verify(data, sig, VerifyOptions{}); !res.Valid {
		t.Fatalf("calibrated report: %+v", res)
	}
	bad := rehash(t, bytes.Replace(data, []byte(`"calibrated_with": "2026-12-04"`), []byte(`"calibrated_with": "gestern"`), 1))
	sig, _ = key.Sign(bad)
	if res := Verify(bad, sig, VerifyOptions{}); res.Problem != ProblemSchema {
		t.Errorf("a calibration date that is no date: %+v", res)
	}
	if !bytes.Contains(data, []byte(`"kquant_kernel_gbps": 35`)) {
		t.Fatal("the report lacks the K-quant kernel")
	}
	bad = rehash(t, bytes.Replace(data, []byte(`"kquant_kernel_gbps": 35`), []byte(`"kquant_kernel_gbps": "schnell"`), 1))
	sig, _ = key.Sign(bad)
	if res := Verify(bad, sig, VerifyOptions{}); res.Problem != ProblemSchema {
		t.Errorf("a K-quant kernel figure that is no number: %+v", res)
	}
}
