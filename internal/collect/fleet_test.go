package collect

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

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
		verdicts:     []report.Verdict{verdict("summarize", "llama", report.LevelReady, 14), verdict("letters", "qwen", report.LevelLimited, 4)},
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
	var buf bytes.Buffer
	if err := WriteHTML(&buf, f); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<script", "http://", "https://", "src="} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "<svg", "Arbeitsspeicher auf 32 GB:", "Bürgerservice", "75 %"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	rows, err := DeviceTable(context.Background(), in.db)
	if err != nil {
		t.Fatal(err)
	}
	rows = append(rows, DeviceRow{DeviceID: "x", OrgUnit: "=HYPERLINK(\"http://evil\")"})
	buf.Reset()
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
	var buf bytes.Buffer
	if err := WriteHTML(&buf, f); err != nil {
		t.Fatal(err)
	}
}
