package strategy

import (
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/policy"
)

// Without survey, fleet or probe: the sections say what is missing; the
// cost figures are the cost model's, with their source.
func TestBuildWithoutData(t *testing.T) {
	p := cost.Defaults()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	res := cost.Compute(p, now)
	figs, d := Build(Inputs{Kommune: "Stadt Halle (Saale)", Policy: policy.Muster(), Cost: &res, CostParams: p, CostSource: cost.BuiltinSource, Now: now}, "de")
	md := string(d.Markdown())
	for _, want := range []string{"# KI-Strategie der Stadt Halle (Saale)", "Noch keine Prozess-Erhebung", "Noch keine Messung", "Es gilt die KI-Richtlinie muster, Version 1.0", "Quelle: kicheck cost"} {
		if !strings.Contains(md, want) {
			t.Errorf("document lacks %q", want)
		}
	}
	byID := map[string]Figure{}
	for _, f := range figs {
		byID[f.ID] = f
	}
	if f := byID["cost.cloud_horizon"]; f.Value != res.Cloud.Horizon || f.Source != "kicheck cost" || !strings.Contains(md, f.Text) {
		t.Errorf("cloud figure %+v", f)
	}
	if _, ok := byID["hotspots.count"]; ok {
		t.Error("a hotspot figure without a survey")
	}
	if d.Meta.Language != "de-DE" || d.Meta.Title != "KI-Strategie der Stadt Halle (Saale)" {
		t.Errorf("meta %+v", d.Meta)
	}
	_, en := Build(Inputs{Policy: policy.Muster(), Now: now}, "en")
	if md := string(en.Markdown()); !strings.Contains(md, "No process survey yet") || !strings.Contains(md, "to be filled in by the municipality") {
		t.Errorf("english:\n%s", md)
	}
}
