package bench

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPackagedBundlesLoad(t *testing.T) {
	c, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) > 0 {
		t.Fatalf("packaged bundles refused: %v", c.Problems)
	}
	for _, id := range []string{DefaultBundle, "speed"} {
		b, err := c.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.SHA256) != 64 || b.Version == "" || b.CloudAllowed == nil {
			t.Errorf("%s: sha256 %q version %q cloud_allowed %v", id, b.SHA256, b.Version, b.CloudAllowed)
		}
	}
	if _, err := c.Get("nope"); !errors.Is(err, ErrBundleNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

const goodBundle = `format: 1
id: test
version: "1"
title: Test
language: de
cloud_allowed: false
prompts:
  - id: p1
    use_case: summarise
    messages:
      - role: user
        content: Hallo
    params: {temperature: 0, max_tokens: 10, seed: 1}
    checks:
      - contains: Hallo
`

// TestBrokenBundlesRefusedWithLine: every broken file names its line.
func TestBrokenBundlesRefusedWithLine(t *testing.T) {
	cases := []struct {
		name, replace, with string
		line                int
		field, msg          string
	}{
		{"bad regex", "- contains: Hallo", "- regex: '(unclosed'", 15, "prompts[0].checks[0].regex", "regex does not compile"},
		{"invalid json schema", "- contains: Hallo", "- json_schema: {type: 12}", 15, "prompts[0].checks[0].json_schema", "not a valid JSON Schema"},
		{"two kinds in one check", "- contains: Hallo", "- {contains: a, regex: b}", 15, "prompts[0].checks[0]", "exactly one"},
		{"unknown field", "use_case: summarise", "use_case: summarise\n    colour: blue", 10, "", "unknown field"},
		{"missing cloud_allowed", "cloud_allowed: false\n", "", 0, "cloud_allowed", "cloud_allowed is missing"},
		{"bad role", "role: user", "role: robot", 11, "prompts[0].messages[0].role", "robot"},
		{"no temperature", "temperature: 0, ", "", 13, "prompts[0].params.temperature", "temperature is missing"},
		{"yaml syntax", "title: Test", "title: [Test", 0, "", ""},
		{"bad length", "- contains: Hallo", "- length: {min: 10, max: 5}", 15, "prompts[0].checks[0].length", "max ≥ min"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodBundle, tc.replace, tc.with, 1)
			if src == goodBundle {
				t.Fatal("replacement did not apply")
			}
			_, err := ParseBundle("x.yaml", []byte(src))
			var be *BundleError
			if !errors.As(err, &be) {
				t.Fatalf("want BundleError, got %v", err)
			}
			if be.File != "x.yaml" || be.Line == 0 {
				t.Errorf("location missing: %+v", be)
			}
			if tc.line != 0 && be.Line != tc.line {
				t.Errorf("line %d, want %d (%v)", be.Line, tc.line, err)
			}
			if be.Field() != tc.field {
				t.Errorf("field %q, want %q", be.Field(), tc.field)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
			if be.Hint() == "" {
				t.Error("no hint")
			}
		})
	}
	if _, err := ParseBundle("ok.yaml", []byte(goodBundle)); err != nil {
		t.Fatalf("good bundle refused: %v", err)
	}
}

// TestOverrides: a municipality's file replaces the packaged bundle of the
// same id, adds new ones, and a broken file is listed without stopping the
// others.
func TestOverrides(t *testing.T) {
	dir := t.TempDir()
	od := OverrideDir(dir)
	if err := os.MkdirAll(od, 0o755); err != nil {
		t.Fatal(err)
	}
	override := strings.Replace(goodBundle, "id: test", "id: "+DefaultBundle, 1)
	override = strings.Replace(override, "title: Test", "title: Eigene Fassung", 1)
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(od, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("eigen.yaml", override)
	write("neu.yml", goodBundle)
	write("kaputt.yaml", strings.Replace(goodBundle, "- contains: Hallo", "- regex: '['", 1))
	write("notes.txt", "ignored")
	c, err := LoadCatalogue(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Get(DefaultBundle)
	if err != nil || b.Title != "Eigene Fassung" || !strings.HasSuffix(b.Source, "eigen.yaml") {
		t.Errorf("override not used: %+v %v", b, err)
	}
	if _, err := c.Get("test"); err != nil {
		t.Errorf("new bundle missing: %v", err)
	}
	if _, err := c.Get("speed"); err != nil {
		t.Errorf("packaged bundle lost: %v", err)
	}
	if len(c.Problems) != 1 || !strings.Contains(c.Problems[0].Error(), "kaputt.yaml:15") {
		t.Errorf("problems: %v", c.Problems)
	}
}
