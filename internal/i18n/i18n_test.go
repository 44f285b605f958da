package i18n

import (
	"math"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"
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

// seconds renders itself, as the domain packages' values do.
type seconds float64

func (s seconds) Text(lang string) string { return Decimal(lang, float64(s), 1) }

func TestMsgRendersValuesInItsLanguage(t *testing.T) {
	m := Msg{ID: "loadprofile.speed", Data: map[string]any{"Decode": seconds(12.25)}}
	de, en := m.Text("de"), m.Text("en")
	if !strings.Contains(de, "12,2") && !strings.Contains(de, "12,3") {
		t.Errorf("German: %q", de)
	}
	if !strings.Contains(en, "12.2") && !strings.Contains(en, "12.3") {
		t.Errorf("English: %q", en)
	}
	if got := (Msg{ID: "nav.settings"}).Text("en"); got != "Settings" {
		t.Errorf("without data: %q", got)
	}
}

func TestNumbersPerLanguage(t *testing.T) {
	for _, c := range []struct {
		v      float64
		prec   int
		de, en string
	}{{1234567.891, 2, "1.234.567,89", "1,234,567.89"}, {0.5, 2, "0,50", "0.50"}, {-1234, 0, "-1.234", "-1,234"}, {999, 1, "999,0", "999.0"}} {
		if de, en := Grouped("de", c.v, c.prec), Grouped("en", c.v, c.prec); de != c.de || en != c.en {
			t.Errorf("Grouped(%v) = %q / %q, want %q / %q", c.v, de, en, c.de, c.en)
		}
	}
	if de, en := Decimal("de", 1234.56, 1), Decimal("en", 1234.56, 1); de != "1234,6" || en != "1234.6" {
		t.Errorf("Decimal = %q / %q", de, en)
	}
	if got := Decimal("de", -0.01, 1); got != "0,0" {
		t.Errorf("Decimal(-0.01) = %q", got)
	}
	if got := Decimal("en", math.NaN(), 1); got != "–" {
		t.Errorf("NaN = %q", got)
	}
}

func TestReadCatalogMergesPartFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"lang/de.json":         {Data: []byte(`{"a": "A"}`)},
		"lang/de.hotspot.json": {Data: []byte(`{"b": "B"}`)},
		"lang/en.json":         {Data: []byte(`{"a": "A", "b": "B"}`)},
	}
	got, err := readCatalog(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got["de"]["a"] != "A" || got["de"]["b"] != "B" || len(got["de"]) != 2 {
		t.Errorf("de catalogue = %v, want a and b from two files", got["de"])
	}
}

func TestReadCatalogRefusesAnIDInTwoFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"lang/de.json":         {Data: []byte(`{"a": "A"}`)},
		"lang/de.hotspot.json": {Data: []byte(`{"a": "other"}`)},
	}
	_, err := readCatalog(fsys)
	if err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Fatalf("err = %v, want the duplicate id named", err)
	}
}

func TestShortMinutesDateTime(t *testing.T) {
	for _, tt := range []struct {
		v      float64
		de, en string
	}{{2.5, "2,5", "2.5"}, {3, "3", "3"}, {1.005, "1", "1"}, {0.126, "0,13", "0.13"}, {-0.001, "0", "0"}, {12.10, "12,1", "12.1"}} {
		if got := Short("de", tt.v); got != tt.de {
			t.Errorf("Short(de, %v) = %q, want %q", tt.v, got, tt.de)
		}
		if got := Short("en", tt.v); got != tt.en {
			t.Errorf("Short(en, %v) = %q, want %q", tt.v, got, tt.en)
		}
	}
	for min, want := range map[int]string{45: "45 min", 60: "1 h", 360: "6 h", 90: "1 h 30 min"} {
		if got := Minutes("de", min); got != want {
			t.Errorf("Minutes(%d) = %q, want %q", min, got, want)
		}
	}
	tm := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)
	if got := DateTime("de", tm); got != "27.11.2026, 14:05" {
		t.Errorf("DateTime de: %q", got)
	}
	if got := DateTime("en", tm); got != "27 Nov 2026, 14:05" {
		t.Errorf("DateTime en: %q", got)
	}
}
