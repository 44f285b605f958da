package i18n

import (
	"sort"
	"testing"
)

func TestCatalogsHaveTheSameIDs(t *testing.T) {
	if err := LoadError(); err != nil {
		t.Fatal(err)
	}
	de, en := Catalog("de"), Catalog("en")
	if len(de) == 0 || len(en) == 0 {
		t.Fatalf("catalogs missing: de %d, en %d entries", len(de), len(en))
	}
	var missing []string
	for id := range de {
		if _, ok := en[id]; !ok {
			missing = append(missing, "en lacks "+id)
		}
	}
	for id := range en {
		if _, ok := de[id]; !ok {
			missing = append(missing, "de lacks "+id)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
	for id, text := range de {
		if text == "" || en[id] == "" {
			t.Errorf("%s has an empty text", id)
		}
	}
}

func TestTranslateWithData(t *testing.T) {
	got := T("de", "overview.version_text", map[string]any{"Version": "1.2", "Commit": "abc", "Date": "heute"})
	if got != "Version 1.2 (Stand abc, erstellt heute)" {
		t.Fatalf("got %q", got)
	}
	if got := T("en", "nav.settings"); got != "Settings" {
		t.Fatalf("en nav.settings = %q", got)
	}
	if got := T("xx", "nav.settings"); got != "Einstellungen" {
		t.Fatalf("unknown language should fall back to German, got %q", got)
	}
	if got := T("de", "no.such.id"); got != "no.such.id" {
		t.Fatalf("unknown id should show itself, got %q", got)
	}
}
