package learning

import (
	"os"
	"testing"
)

// FuzzParse feeds arbitrary YAML to the framework and catalogue readers (a
// municipality's own files): they return the content or errors with a
// file name, and never panic.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"../../bundles/competencies/ki-kompetenz-kommunen.yaml", "../../bundles/training/ki-schulungskatalog.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("format: kicheck-training/1\nmodules: [{id: x}]\n"))
	f.Add([]byte("a: [\n"))
	c, err := Load("")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if fw, err := parseFramework("f.yaml", data); err == nil && fw == nil {
			t.Fatal("nil framework without error")
		} else if err != nil {
			if fe, ok := err.(FileErrors); ok && (len(fe) == 0 || fe[0].File != "f.yaml") {
				t.Fatalf("error without file: %v", err)
			}
		}
		if cat, err := parseCatalogue("c.yaml", data, c.Framework); err == nil {
			for _, p := range cat.Paths {
				for _, id := range p.Modules {
					if cat.Module(id) == nil {
						t.Fatalf("accepted a path with unknown module %q", id)
					}
				}
			}
		}
	})
}
