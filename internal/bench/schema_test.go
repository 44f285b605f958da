package bench

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ki-reise/kicheck/bundles"
)

// The published schema (docs/schema/prompts.schema.json) accepts every
// packaged bundle and refuses what the loader refuses, so people who edit
// bundles with a schema-aware editor get the same answer as KI-Check.
func TestPublishedSchema(t *testing.T) {
	f, err := os.Open("../../docs/schema/prompts.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("prompts.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("prompts.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(src []byte) error {
		var v any
		if err := yaml.Unmarshal(src, &v); err != nil {
			return err
		}
		raw, err := yaml.YAMLToJSON(src)
		if err != nil {
			return err
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
		if err != nil {
			return err
		}
		return sch.Validate(inst)
	}
	entries, _ := fs.ReadDir(bundles.Prompts, "prompts")
	if len(entries) == 0 {
		t.Fatal("no packaged bundles")
	}
	for _, e := range entries {
		src, _ := fs.ReadFile(bundles.Prompts, path.Join("prompts", e.Name()))
		if err := validate(src); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
	if err := validate([]byte(goodBundle)); err != nil {
		t.Errorf("good bundle: %v", err)
	}
	for name, bad := range map[string]string{
		"bad regex":      strings.Replace(goodBundle, "- contains: Hallo", "- regex: '(unclosed'", 1),
		"two kinds":      strings.Replace(goodBundle, "- contains: Hallo", "- {contains: a, regex: b}", 1),
		"no cloud flag":  strings.Replace(goodBundle, "cloud_allowed: false\n", "", 1),
		"unknown field":  strings.Replace(goodBundle, "use_case: summarise", "use_case: summarise\n    colour: blue", 1),
		"no temperature": strings.Replace(goodBundle, "temperature: 0, ", "", 1),
		"bad role":       strings.Replace(goodBundle, "role: user", "role: robot", 1),
	} {
		if validate([]byte(bad)) == nil {
			t.Errorf("schema accepts %s", name)
		}
		if _, err := ParseBundle("x.yaml", []byte(bad)); err == nil {
			t.Errorf("loader accepts %s", name)
		}
	}
}
