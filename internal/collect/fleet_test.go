package collect

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/golden"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
)

// fleetDB stores a small, hand-made fleet:
//
//	A (Bürgerservice, 8 GB):  summarize/llama ready 9 t/s, letters/qwen not ready, ready with 16 GB → 16 GB
//	B (Bürgerservice, 16 GB): summarize/llama ready 14 t/s, letters/qwen limited by speed (no size helps) → none
//	C (Bauamt, 8 GB, RTX):    summarize/llama limited, ready with 32 GB → 32 GB; quiz 10 people, 60 %
//	D (<script>, 32 GB):      all ready; quiz 30 people, 80 %; last report 90 days old (stale); an older report before
//	E (Bauamt, 16 GB):        no verdicts (unknown), bandwidth unknown
func fleetDB(t *testing.T) (*Intake, time.Time) {
	t.Helper()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	recent := now.AddDate(0, 0, -3)
	in := NewIntake(openDB(t), Trust{Enroll: true})
	var items []Item
	add := func(s spec) {
		d, sg := makeReport(t, newKey(t), s)
		items = append(items, Item{Source: s.orgUnit, Data: d, Sig: sg})
	}
	add(spec{created: recent, orgUnit: "Bürgerservice", ramGB: 8, bandwidth: 30,
		verdicts:     []report.Verdict{verdict("summarize", "llama", report.LevelReady, 9), verdict("letters", "qwen", report.LevelNotReady, 1)},
		readyWithRAM: map[string]int{"letters": 16}})
	add(spec{created: recent, orgUnit: "Bürgerservice", ramGB: 16, bandwidth: 45,
		verdicts:     []report.Verdict{calibrated(verdict("summarize", "llama", report.LevelReady, 14)), verdict("letters", "qwen", report.LevelLimited, 4)},
		readyWithRAM: map[string]int{"letters": 0}})
	add(spec{created: recent, orgUnit: "Bauamt", ramGB: 8, gpu: "RTX A2000", vramGB: 6, bandwidth: 50, quiz: [2]float64{10, 60},
		verdicts: []report.Verdict{verdict("summarize", "llama", report.LevelLimited, 5)}, readyWithRAM: map[string]int{"summarize": 32}})
	keyD := newKey(t)
	for i, c := range []time.Time{now.AddDate(0, 0, -120), now.AddDate(0, 0, -90)} {
		d, sg := makeReport(t, keyD, spec{created: c, orgUnit: "<script>alert(1)</script>", ramGB: 32, bandwidth: 110, quiz: [2]float64{30, 80},
			verdicts: []report.Verdict{verdict("summarize", "llama", report.LevelReady, 20+float64(i))}})
		items = append(items, Item{Source: "d", Data: d, Sig: sg})
	}
	add(spec{created: recent, orgUnit: "Bauamt", ramGB: 16})
	if sum := runItems(t, in, items...); sum.Accepted != 6 {
		t.Fatalf("%+v", sum)
	}
	return in, now
}

func TestFleet(t *testing.T) {
	in, now := fleetDB(t)
	f, err := ComputeFleet(context.Background(), in.db, FleetOptions{Now: now, StaleDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	if f.Devices != 5 || f.Reports != 6 {
		t.Fatalf("devices %d reports %d", f.Devices, f.Reports)
	}
	if f.Overall != (Levels{Ready: 1, Limited: 3, NotReady: 0, Unknown: 1}) {
		t.Fatalf("overall %+v", f.Overall) // A: ready+not ready = limited
	}
	wantUC := map[string]Levels{"letters": {Limited: 1, NotReady: 1}, "summarize": {Ready: 3, Limited: 1}}
	for _, u := range f.UseCases {
		if u.Levels != wantUC[u.UseCase] {
			t.Errorf("use case %s: %+v", u.UseCase, u.Levels)
		}
	}
	if len(f.Models) != 2 || f.Models[1].Model != "llama" || f.Models[1].ReadyShare != 0.75 {
		t.Fatalf("models %+v", f.Models)
	}
	if got := bucketCount(f.RAM, "8 GB"); got != 2 {
		t.Errorf("RAM 8 GB: %d", got)
	}
	if got := bucketCount(f.RAM, "32 GB"); got != 1 {
		t.Errorf("RAM 32 GB: %d", got)
	}
	if got := bucketCount(f.VRAM, "6 GB"); got != 1 {
		t.Errorf("VRAM 6 GB: %d (%+v)", got, f.VRAM)
	}
	if got := bucketCount(f.Bandwidth, "nicht gemessen"); got != 1 {
		t.Errorf("bandwidth unknown: %d", got)
	}
	if got := bucketCount(f.Bandwidth, "100 GB/s und mehr"); got != 1 {
		t.Errorf("bandwidth ≥100: %d", got)
	}
	var llama ModelSpeed
	for _, s := range f.Speed {
		if s.Model == "llama" {
			llama = s
		}
	}
	// Newest report of D counts (21 t/s), not the older one (20).
	if llama.Devices != 4 || llama.Min != 5 || llama.Max != 21 || llama.Median != 11.5 {
		t.Fatalf("speed %+v", llama)
	}
	// A is ready with 16 GB, C with 32 GB; B is held back by speed, D is
	// ready, E has no verdicts. D's older report has no fit section, but
	// only the newest counts: no device is without fit data.
	got, smallest := map[int]int{}, map[int]int{}
	for _, o := range f.Upgrade.Options {
		got[o.RAMGB], smallest[o.RAMGB] = o.Devices, o.Smallest
	}
	if len(f.Upgrade.Options) != 7 || got[16] != 1 || got[24] != 1 || got[32] != 2 || got[128] != 2 || smallest[16] != 1 || smallest[24] != 0 || smallest[32] != 1 ||
		f.Upgrade.Best == nil || f.Upgrade.Best.RAMGB != 32 || f.Upgrade.WithoutFitData != 0 {
		t.Fatalf("upgrade %+v best %+v without fit data %d", f.Upgrade.Options, f.Upgrade.Best, f.Upgrade.WithoutFitData)
	}
	for _, o := range f.OrgUnits {
		switch o.Name {
		case "Bauamt":
			if o.Devices != 2 || o.QuizParticipants != 10 || o.QuizScorePercent == nil || *o.QuizScorePercent != 60 {
				t.Errorf("Bauamt %+v", o)
			}
		case "Bürgerservice":
			if o.Devices != 2 || o.QuizScorePercent != nil {
				t.Errorf("Bürgerservice %+v", o)
			}
		}
	}
	if f.Stale.Count != 1 || f.Stale.Devices[0].OrgUnit != "<script>alert(1)</script>" {
		t.Fatalf("stale %+v", f.Stale)
	}
	// Six verdicts on the devices' newest reports; B's summarize verdict
	// was calibrated with a measurement on the device.
	if f.Calibration != (CalibrationCount{Verdicts: 6, Calibrated: 1}) {
		t.Errorf("calibration %+v, want 1 of 6", f.Calibration)
	}
}

// calibrated marks v as calibrated with a local measurement.
func calibrated(v report.Verdict) report.Verdict {
	v.Calibrated, v.CalibratedWith = true, "2026-12-01"
	return v
}

func bucketCount(bs []Bucket, label string) int {
	for _, b := range bs {
		if b.Label == label {
			return b.Devices
		}
	}
	return -1
}

func TestFleetHTMLAndCSV(t *testing.T) {
	in, now := fleetDB(t)
	f, err := ComputeFleet(context.Background(), in.db, FleetOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	// A hostile GPU name reaches the page through a chart label.
	f.GPUModels = append(f.GPUModels, Bucket{Label: `<b onmouseover=alert(2)>GPU</b>`, Devices: 1},
		Bucket{Label: "NVIDIA GeForce RTX 4060 Laptop GPU with a long name", Devices: 1})
	pages := map[string]string{}
	for _, lang := range []string{"de", "en"} {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, f, lang); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		pages[lang] = page
		if *dashboardDir != "" {
			if err := os.WriteFile(filepath.Join(*dashboardDir, "fleet-"+lang+".html"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, bad := range []string{"<script", "<b onmouseover", "http://", "https://", "src=", "href=", "url(", "@import",
			"fleet.html.", "fleet.bucket.", "level."} { // the last ones: a text id without a translation
			if strings.Contains(page, bad) {
				t.Errorf("%s page contains %q", lang, bad)
			}
		}
		for _, want := range []string{`<html lang="` + lang + `">`, "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b onmouseover=alert(2)&gt;GPU&lt;/b&gt;",
			"<svg", "Bürgerservice", "RTX A2000",
			"<title>NVIDIA GeForce RTX 4060 Laptop GPU with a long name</title>NVIDIA GeForce RTX 4060 Laptop GP…<"} { // long: cut, whole in the tooltip
			if !strings.Contains(page, want) {
				t.Errorf("%s page lacks %q", lang, want)
			}
		}
	}

	de, en := pages["de"], pages["en"]
	for _, want := range []string{"Übersicht der Arbeitsplätze", "Arbeitsspeicher auf 32 GB:", "75 %", "Gesamturteil",
		">mehr als 128 GB<", ">keine eigene<", ">unbekannt<", ">100 GB/s und mehr<", ">nicht gemessen<", ">11,5<", "60,0 %",
		"1 bereit (20 %), 3 eingeschränkt (60 %), 0 nicht bereit (0 %), 1 ohne Urteil", `<span class="counts">0 bereit, 2 eingeschränkt, 0 nicht bereit, 0 ohne Urteil</span>`, "Welche Aufrüstung am meisten hilft"} {
		if !strings.Contains(de, want) {
			t.Errorf("German page lacks %q", want)
		}
	}
	for _, want := range []string{"Workplace overview", "Memory upgraded to 32 GB:", "75%", "Overall verdict",
		">more than 128 GB<", ">none of its own<", ">unknown<", ">100 GB/s and more<", ">not measured<", ">11.5<", "60.0%",
		"1 ready (20%), 3 limited (60%), 0 not ready (0%), 1 without a verdict", `<span class="counts">0 ready, 2 limited, 0 not ready, 0 without a verdict</span>`, "Which upgrade helps most", "Organisational units"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	for _, w := range germanWords(en, "Bürgerservice", "Bauamt") {
		t.Errorf("English page has German %q", w)
	}
	for _, english := range []string{"workplaces", "not measured", "Overall verdict", "ready ("} {
		if strings.Contains(de, english) {
			t.Errorf("German page has English %q", english)
		}
	}

	for _, lang := range []string{"de", "en"} {
		var text bytes.Buffer
		if err := f.WriteText(&text, lang); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "fleet."+lang+".golden", text.Bytes())
	}

	rows, err := DeviceTable(context.Background(), in.db)
	if err != nil {
		t.Fatal(err)
	}
	var stable bytes.Buffer
	if err := WriteCSV(&stable, stableDeviceRows(rows)); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "devices.csv.golden", stable.Bytes())
	rows = append(rows, DeviceRow{DeviceID: "x", OrgUnit: "=HYPERLINK(\"http://evil\")"})
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 7 || recs[0][0] != "device_id" {
		t.Fatalf("%d records", len(recs))
	}
	var reports5 bool
	for _, r := range recs[1:] {
		if r[4] == "2" && r[9] == "32.0" {
			reports5 = true // device D: two reports, 32 GB from the newest
		}
	}
	if !reports5 {
		t.Errorf("device D row missing: %v", recs)
	}
	if last := recs[6][1]; !strings.HasPrefix(last, "'=") {
		t.Errorf("formula not defused: %q", last)
	}
}

func TestFleetEmpty(t *testing.T) {
	f, err := ComputeFleet(context.Background(), openDB(t), FleetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Devices != 0 || f.Upgrade.Best != nil || f.Models == nil {
		t.Fatalf("%+v", f)
	}
	for _, lang := range []string{"de", "en", "xx"} {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, f, lang); err != nil {
			t.Fatal(err)
		}
		wantLang := map[string]string{"de": "de", "en": "en", "xx": "de"}[lang] // unknown: German
		if !strings.Contains(buf.String(), `<html lang="`+wantLang+`">`) || strings.Contains(buf.String(), "fleet.html.") {
			t.Errorf("%s: empty fleet page is wrong:\n%s", lang, buf.String())
		}
	}
}

var dashboardDir = flag.String("dashboard-dir", "", "write the test's dashboards as fleet-de.html and fleet-en.html into this `folder`, to look at them")

// germanWords returns the German words (and words with umlauts) in an
// English page, leaving out the given report data.
func germanWords(page string, data ...string) []string {
	for _, d := range data {
		page = strings.ReplaceAll(page, d, "")
	}
	german := map[string]bool{}
	for _, w := range strings.Fields(`bereit eingeschränkt nicht keine kein eigene unbekannt gemessen andere mehr als und unter
		arbeitsplätze arbeitsplatz arbeitsspeicher grafikspeicher grafikkarten speicherbandbreite bericht berichte stand
		anwendungsfall modell anteil urteil gesamturteil angabe angaben einheit einheiten organisationseinheiten gerät rechnername
		letzter tage tagen punkte teilnehmende ohne der die das je nach bei wenn oder auf aus ist sind wäre wären ein eine zählt
		insgesamt liste davon genau diese größe danach bewertung aufrüstung hilft am meisten übersicht geschwindigkeit
		sekunde pro quizergebnisse zusammengefasst einzelergebnisse bereitschaft`) {
		german[w] = true
	}
	var found []string
	for _, w := range regexp.MustCompile(`\p{L}+`).FindAllString(page, -1) {
		if german[strings.ToLower(w)] || strings.ContainsAny(w, "äöüÄÖÜß") {
			found = append(found, w)
		}
	}
	return found
}

func TestBucketKeysAndLabels(t *testing.T) {
	in, now := fleetDB(t)
	f, err := ComputeFleet(context.Background(), in.db, FleetOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	// The JSON keeps the German label it always had and adds a stable key.
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`{"key":"8gb","label":"8 GB","devices":2}`, `{"key":"over_128gb","label":"mehr als 128 GB","devices":0}`,
		`{"key":"none","label":"keine eigene","devices":4}`, `{"key":"not_measured","label":"nicht gemessen","devices":1}`,
		`{"key":"ge_100gbps","label":"100 GB/s und mehr","devices":1}`, `"gpu_models":[{"label":"Iris Xe Graphics","devices":4},{"label":"RTX A2000","devices":1}]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	for _, bs := range [][]Bucket{f.RAM, f.VRAM, f.Bandwidth} {
		for _, bk := range bs {
			if bk.Key == "" || BucketLabel("de", bk) != bk.Label || BucketLabel("en", bk) == "" {
				t.Errorf("bucket %+v: de %q en %q", bk, BucketLabel("de", bk), BucketLabel("en", bk))
			}
		}
	}
	gpus := map[string]int{}
	for i := range 12 {
		gpus[fmt.Sprintf("GPU %02d", i)] = 20 - i
	}
	top := topBuckets(gpus, 10)
	if rest := top[10]; rest.Key != "other" || rest.Devices != 10+9 || BucketLabel("de", rest) != "andere" || BucketLabel("en", rest) != "other" {
		t.Errorf("rest bucket %+v", rest)
	}
	if top[0].Key != "" || BucketLabel("en", top[0]) != "GPU 00" {
		t.Errorf("a GPU model is shown as named: %+v", top[0])
	}
	for _, c := range []struct{ lang, key, want string }{
		{"en", "unknown", "unknown"}, {"de", "unknown", "unbekannt"}, {"en", "over_48gb", "more than 48 GB"},
		{"en", "lt_20gbps", "below 20 GB/s"}, {"en", "20_40gbps", "20–40 GB/s"}, {"en", "16gb", "16 GB"},
		{"en", "future_key", "as stored"}, // a key this version does not know keeps its label
	} {
		if got := BucketLabel(c.lang, Bucket{Key: c.key, Label: "as stored"}); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.key, got, c.want)
		}
	}
}

// TestDashboardTextsTranslated checks every text id of the page, also
// those of branches the fixtures do not reach, in both languages.
func TestDashboardTextsTranslated(t *testing.T) {
	ids := []string{"common.percent", "fleet.html.not_given", "fleet.html.levels_aria"}
	for _, m := range regexp.MustCompile(`\$\.T "([^"]+)"`).FindAllStringSubmatch(dashboardHTML, -1) {
		ids = append(ids, m[1])
	}
	for _, d := range bucketsByKey {
		ids = append(ids, d.text)
	}
	if len(ids) < 50 {
		t.Fatalf("found only %d ids; the scan is broken", len(ids))
	}
	for _, id := range ids {
		for _, l := range []string{"de", "en"} {
			if _, ok := i18n.Catalog(l)[id]; !ok {
				t.Errorf("%q has no %s text in assets/lang/%s.json", id, l, l)
			}
		}
	}
}

// stableDeviceRows orders the rows by what the test made (unit, RAM,
// reports) and names the devices, whose keys each run makes anew, by
// that order, for a golden file.
func stableDeviceRows(rows []DeviceRow) []DeviceRow {
	out := slices.Clone(rows)
	val := func(p *int64) int64 {
		if p == nil {
			return -1
		}
		return *p
	}
	slices.SortStableFunc(out, func(a, b DeviceRow) int {
		return cmp.Or(cmp.Compare(a.OrgUnit, b.OrgUnit), cmp.Compare(val(a.RAMBytes), val(b.RAMBytes)), cmp.Compare(a.Reports, b.Reports))
	})
	for i := range out {
		out[i].DeviceID = fmt.Sprintf("geraet-%d", i+1)
		out[i].Fingerprint = fmt.Sprintf("SHA256:schluessel-%d", i+1)
	}
	return out
}
