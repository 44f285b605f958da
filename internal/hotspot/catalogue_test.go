package hotspot

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func loadCatalogue(t *testing.T, dataDir string) *Catalogue {
	t.Helper()
	fc, err := fit.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	var ucs []string
	for _, u := range fc.UseCases {
		ucs = append(ucs, u.ID)
	}
	c, err := LoadCatalogue(dataDir, ucs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPackagedCatalogue(t *testing.T) {
	c := loadCatalogue(t, "")
	if len(c.Problems) != 0 {
		t.Fatal(c.Problems)
	}
	// The task types, each with a use case and a stated source.
	for _, id := range []string{"klassifizieren", "extrahieren", "zusammenfassen", "entwerfen", "uebersetzen", "leichte_sprache", "recherchieren", "transkribieren"} {
		tt, ok := c.TaskType(id)
		if !ok {
			t.Errorf("task type %s missing", id)
			continue
		}
		if tt.UseCase == "" || tt.SavingPercent <= 0 || !strings.Contains(tt.SavingSource, "Annahme") && len(tt.SavingSource) < 10 || tt.NameEN == "" || tt.DescriptionEN == "" {
			t.Errorf("task type %s incomplete: %+v", id, tt)
		}
	}
	if len(c.Processes) < 30 {
		t.Errorf("%d processes, want at least 30", len(c.Processes))
	}
	units := map[string]int{}
	for _, p := range c.Processes {
		units[p.Unit]++
		if !p.ExampleValues {
			t.Errorf("%s: packaged figures must be marked as example values", p.ID)
		}
		if !ValidLeiKa(p.LeiKa) {
			t.Errorf("%s: LeiKa %q", p.ID, p.LeiKa)
		}
		if p.NameEN == "" || len(p.Steps) == 0 {
			t.Errorf("%s: no English name or steps", p.ID)
		}
		// Every catalogue process is a valid survey row.
		if ps := Validate(p.Survey(), c.TaskIDs()); ps != nil {
			t.Errorf("%s: %v", p.ID, ps)
		}
	}
	for _, u := range []string{"Bürgeramt", "Standesamt", "Ordnungsamt", "Sozialamt", "Jugendamt", "Bauamt", "Kämmerei/Steueramt", "Personalamt", "Ratsbüro", "Querschnitt"} {
		if units[u] == 0 {
			t.Errorf("no process of %s", u)
		}
	}
}

func TestValidLeiKa(t *testing.T) {
	for s, want := range map[string]bool{"": true, "99123456789012": true, "9912345678901": false, "991234567890123": false, "9912345678901a": false} {
		if ValidLeiKa(s) != want {
			t.Errorf("ValidLeiKa(%q) = %v", s, !want)
		}
	}
}

func TestOwnCatalogueFiles(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "bundles", "tasktypes")
	if err := os.MkdirAll(own, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(own, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Replaces the packaged saving with the municipality's measured one.
	write("klassifizieren.yaml", "id: klassifizieren\nname: Eingänge zuordnen\ndescription: x\nusecase: anfrage-klassifizieren\nsaving_percent: 35\nsaving_source: Messung Poststelle 2026\n")
	write("kaputt.yaml", "id: kaputt\nname: K\ndescription: x\nusecase: gibt-es-nicht\nsaving_percent: 10\nsaving_source: Annahme\n")
	c := loadCatalogue(t, dir)
	if tt, _ := c.TaskType("klassifizieren"); tt.SavingPercent != 35 || tt.SavingSource != "Messung Poststelle 2026" {
		t.Errorf("override: %+v", tt)
	}
	if _, ok := c.TaskType("kaputt"); ok || len(c.Problems) != 1 || c.Problems[0].Field() != "usecase" || c.Problems[0].Line != 4 {
		t.Errorf("problems %v", c.Problems)
	}
}

func TestMessagesInBothLanguages(t *testing.T) {
	de, en := i18n.Catalog("de"), i18n.Catalog("en")
	for id := range de {
		if strings.HasPrefix(id, "hotspot.") {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: no English text", id)
			}
		}
	}
	for id := range en {
		if strings.HasPrefix(id, "hotspot.") {
			if _, ok := de[id]; !ok {
				t.Errorf("%s: no German text", id)
			}
		}
	}
	// Every message id the package's sources name exists.
	src, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`msg\("([a-z_.]+)"|t\(lang, "([a-z_.]+)"|"hotspot\.([a-z_.]+)"`)
	for _, f := range src {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			id := m[1] + m[2] + m[3]
			if strings.HasSuffix(id, ".") || strings.HasSuffix(id, "_") {
				continue // a prefix completed at run time
			}
			if _, ok := de["hotspot."+id]; !ok {
				t.Errorf("%s: hotspot.%s has no text", f, id)
			}
		}
	}
}
