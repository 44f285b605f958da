package learning

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/quiz"
)

func TestLoadPackaged(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	fw := c.Framework
	if fw.Ref() != "ki-kompetenz-kommunen@1.0" || fw.License != "CC-BY-4.0" {
		t.Errorf("framework %s licence %s", fw.Ref(), fw.License)
	}
	if len(fw.Areas) < 6 || len(fw.Roles) != 4 {
		t.Errorf("%d areas, %d roles", len(fw.Areas), len(fw.Roles))
	}
	for _, a := range fw.Areas {
		if len(a.DigComp) == 0 || len(a.Guidance) == 0 {
			t.Errorf("area %s lacks its DigComp or Art. 4 guidance mapping", a.ID)
		}
	}
	if len(c.Catalogue.Modules) < 8 {
		t.Errorf("%d modules", len(c.Catalogue.Modules))
	}
	for _, m := range c.Catalogue.Modules {
		if !IsPlaceholder(m.Provider) {
			t.Errorf("module %s: the packaged catalogue must leave the provider to the municipality, has %q", m.ID, m.Provider)
		}
	}
}

// A municipality's broken file names file, line and field, and the
// packaged content stays in use.
func TestBrokenOverrideFallsBack(t *testing.T) {
	dir := t.TempDir()
	tdir := filepath.Join(dir, "bundles", "training")
	if err := os.MkdirAll(tdir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../bundles/training/ki-schulungskatalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), "format: praesenz", "format: webinar", 1)
	if err := os.WriteFile(filepath.Join(tdir, "katalog.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Catalogue.ID != "ki-schulungskatalog" || len(c.Catalogue.Modules) == 0 {
		t.Fatal("packaged catalogue not in use")
	}
	if len(c.Warnings) != 1 {
		t.Fatalf("warnings %v", c.Warnings)
	}
	var fe FileErrors
	if !errors.As(c.Warnings[0], &fe) || len(fe) == 0 {
		t.Fatalf("warning %T %v", c.Warnings[0], c.Warnings[0])
	}
	wantLine := 1 + strings.Count(broken[:strings.Index(broken, "format: webinar")], "\n")
	if fe[0].Line != wantLine || fe[0].Field() != "modules[0].format" || !strings.Contains(fe[0].File, "katalog.yaml") {
		t.Errorf("got %s (line %d), want line %d field modules[0].format", fe[0], fe[0].Line, wantLine)
	}

	// An unknown module in a path is found after decoding; still positioned.
	broken = strings.Replace(string(data), "[m01-ki-verstehen, m02", "[m99-gibt-es-nicht, m02", 1)
	os.WriteFile(filepath.Join(tdir, "katalog.yaml"), []byte(broken), 0o644)
	c, _ = Load(dir)
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].Error(), `paths[0].modules[0]: unknown module "m99-gibt-es-nicht"`) {
		t.Errorf("warnings %v", c.Warnings)
	}
}

func TestValidOverrideIsUsed(t *testing.T) {
	dir := t.TempDir()
	tdir := filepath.Join(dir, "bundles", "training")
	os.MkdirAll(tdir, 0o755)
	data, _ := os.ReadFile("../../bundles/training/ki-schulungskatalog.yaml")
	own := strings.Replace(string(data), `provider: "von der Kommune einzutragen"`, `provider: "Studieninstitut Halle"`, 1)
	os.WriteFile(filepath.Join(tdir, "katalog.yaml"), []byte(own), 0o644)
	c, err := Load(dir)
	if err != nil || len(c.Warnings) > 0 {
		t.Fatal(err, c.Warnings)
	}
	if c.Catalogue.Modules[0].Provider != "Studieninstitut Halle" {
		t.Errorf("override not used: %q", c.Catalogue.Modules[0].Provider)
	}
}

func f64(v float64) *float64 { return &v }

func TestEvaluate(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	so := func(area string, level quiz.Level, fr float64) Outcome {
		return Outcome{Type: quiz.Single, Area: area, Level: level, Fraction: fr}
	}
	self := func(area string, rating int) Outcome {
		return Outcome{Type: quiz.SelfRating, Area: area, Rating: rating, ScaleSteps: 5}
	}
	outcomes := []Outcome{
		// A1: grundlage 1, 1 (mean 1.0 ≥ 0.6: reached); mittel 1, 0 (mean
		// 0.5 < 0.6: missed) → level grundlage. Score (1+1+1+0)/4 = 0.75.
		so("A1", quiz.Grundlage, 1), so("A1", quiz.Grundlage, 1), so("A1", quiz.Mittel, 1), so("A1", quiz.Mittel, 0),
		// Self-rating A1: steps 4 and 4 of 0..4 → 1.0; gap 1.0 − 0.75 = 0.25 ≥ 0.25 → "higher".
		self("A1", 4), self("A1", 4),
		// A4: grundlage 0.5 (< 0.6) → below Grundlage, level "". Score 0.5.
		so("A4", quiz.Grundlage, 0.5),
		// Self-rating A4: step 2 of 0..4 → 0.5; gap 0 → "matches".
		self("A4", 2),
		// A5: no grundlage items (skipped), mittel 1 → mittel. Score 1.
		so("A5", quiz.Mittel, 1),
		// A6: grundlage −0.5 (negative single-choice fraction) → score clamped to 0.
		so("A6", quiz.Grundlage, -0.5),
		// A3: self-rating only → untested, listed with its self-rating.
		self("A3", 1),
	}
	ev, err := Evaluate(c.Framework, c.Catalogue, quiz.Anwender, outcomes)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]AreaResult{}
	for _, a := range ev.Areas {
		got[a.Area] = a
	}
	want := map[string]AreaResult{
		// Anwender targets (competencies YAML): A1 grundlage, A4 mittel, A5 mittel, A6 mittel.
		"A1": {Items: 4, Score: 0.75, Level: quiz.Grundlage, Target: quiz.Grundlage, MeetsTarget: true, SelfRating: f64(1), Gap: f64(0.25), GapVerdict: "higher"},
		"A4": {Items: 1, Score: 0.5, Level: "", Target: quiz.Mittel, SelfRating: f64(0.5), Gap: f64(0), GapVerdict: "matches"},
		"A5": {Items: 1, Score: 1, Level: quiz.Mittel, Target: quiz.Mittel, MeetsTarget: true},
		"A6": {Items: 1, Score: 0, Level: "", Target: quiz.Mittel},
		"A3": {Target: quiz.Grundlage, SelfRating: f64(0.25)},
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("area %s missing", id)
			continue
		}
		if g.Items != w.Items || math.Abs(g.Score-w.Score) > 1e-9 || g.Level != w.Level || g.Target != w.Target || g.MeetsTarget != w.MeetsTarget || g.GapVerdict != w.GapVerdict ||
			!eqPtr(g.SelfRating, w.SelfRating) || !eqPtr(g.Gap, w.Gap) {
			t.Errorf("area %s: got %+v, want %+v", id, g, w)
		}
	}
	// Gaps (Anwender): A4 reached none < mittel, A6 none < mittel. A1 and
	// A5 are at target. Path of anwender in order: m01 (A1 grundlage, A4
	// grundlage → closes A4), m02 (A2: untested), m03 (A5: met), m06 (A4
	// grundlage/mittel → A4), m05 (A6 grundlage/mittel → A6), m07 (A7:
	// untested), m04 (A3 untested, A7 untested), m08 (A8, A2 untested).
	var ids []string
	for _, r := range ev.Recommendations {
		ids = append(ids, r.Module.ID+":"+strings.Join(r.Closes, ","))
	}
	if strings.Join(ids, " ") != "m01-ki-verstehen:A4 m06-halluzinationen-pruefen:A4 m05-prompting-praxis:A6" {
		t.Errorf("recommendations %v", ids)
	}
	if strings.Join(ev.Untested, ",") != "A2,A3,A7,A8" {
		t.Errorf("untested %v", ev.Untested)
	}
	if _, err := Evaluate(c.Framework, c.Catalogue, "praktikant", nil); err == nil {
		t.Error("unknown role accepted")
	}
}

func eqPtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) < 1e-9
}
