package ui

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/quizstats"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// testPC is a workplace of the test fleet.
type testPC struct {
	org       string
	ramGB     uint64
	bandwidth float64 // GB/s measured by the probe
	gpu       string  // a discrete NVIDIA card, "" = Intel graphics only
	vramGB    uint64
	age       time.Duration // how old its report is
	quiz      [2]float64    // participants, mean score %; 0 = no quiz
	speed     float64       // measured tokens/s written for every verdict with a model
	gops      float64       // the processor's compute estimate (fit.Machine.Compute.GOPS)
}

// writeFittedReport writes a real signed report of pc into dir as the
// headless check does: inventory, probe, the fit of the embedded catalogue
// (report.NewFit) and its verdicts, and a quiz aggregate. It returns the
// verdicts and fit it wrote, from which the test works out what the
// Sammelstelle must show.
func writeFittedReport(t *testing.T, dir, name string, cat *fit.Catalogue, pc testPC) ([]report.Verdict, *report.Fit) {
	t.Helper()
	key, err := signing.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	created := time.Now().Add(-pc.age).Add(-time.Hour)
	ok := hardware.StatusOK
	gpu := hardware.GPU{Vendor: "Intel", Model: "Iris Xe Graphics"}
	mc := fit.Machine{RAMTotalBytes: pc.ramGB << 30, RAMAvailableBytes: pc.ramGB << 29, MemoryReadGBps: pc.bandwidth, ProbeComplete: true}
	mc.Compute.GOPS = pc.gops
	if pc.gpu != "" {
		gpu = hardware.GPU{Vendor: "NVIDIA", Model: pc.gpu, Discrete: true, DedicatedVRAMBytes: pc.vramGB << 30}
		mc.GPUs = []fit.GPU{{Name: pc.gpu, VRAMBytes: pc.vramGB << 30, Discrete: true}}
	}
	r := report.New(key, created)
	r.Device.OrgUnit = pc.org
	r.Sections.Inventory = report.ScrubInventory(hardware.Inventory{
		SchemaVersion: 1, CollectedAt: created, Complete: true,
		CPU: hardware.Section[hardware.CPU]{Status: ok, Value: hardware.CPU{Vendor: "GenuineIntel", Model: "Intel(R) Core(TM) i5-1335U",
			Arch: "amd64", Sockets: 1, PhysicalCores: 10, Threads: 12}},
		Memory: hardware.Section[hardware.Memory]{Status: ok, Value: hardware.Memory{TotalBytes: pc.ramGB << 30, AvailableBytes: pc.ramGB << 29}},
		GPUs:   hardware.Section[hardware.GPUList]{Status: ok, Value: hardware.GPUList{Devices: []hardware.GPU{gpu}}},
		NPUs:   hardware.Section[hardware.NPUList]{Status: ok, Value: hardware.NPUList{Devices: []hardware.NPU{}}},
		Disk:   hardware.Section[hardware.Disk]{Status: ok, Value: hardware.Disk{TotalBytes: 512e9, FreeBytes: 230e9, Kind: "ssd"}},
		System: hardware.Section[hardware.System]{Status: ok, Value: hardware.System{OS: "windows", Platform: "Microsoft Windows 11 Pro", Arch: "amd64", FormFactor: "laptop"}},
		Power:  hardware.Section[hardware.Power]{Status: hardware.StatusUnknown, Reason: "no answer within 3s"},
	})
	b := pc.bandwidth
	r.Sections.Probe = &probe.Result{Complete: true, Started: created, Seconds: 4.2, Threads: 12, BufferBytes: 256 << 20,
		MemoryReadGBps: &probe.Stat{Median: b, Min: b * 0.97, Max: b * 1.02, Q1: b * 0.99, Q3: b * 1.01, Samples: []float64{b * 0.97, b * 0.99, b, b * 1.01, b * 1.02}}}
	r.Sections.Fit, r.Summary.Verdicts = report.NewFit(mc, cat)
	for i, v := range r.Summary.Verdicts {
		if v.Model != "" {
			r.Summary.Verdicts[i].MeasuredTokensPerSecond = &pc.speed
		}
	}
	r.Summary.Overall = report.Overall(r.Summary.Verdicts)
	r.Summary.Steps = []report.Step{{Name: "inventory", Status: report.StepDone, DurationMS: 120},
		{Name: "probe", Status: report.StepDone, DurationMS: 4200}, {Name: "fit", Status: report.StepDone, DurationMS: 3}}
	if pc.quiz[0] > 0 {
		r.Sections.Quiz = &report.Quiz{Sessions: []report.QuizSession{{SessionID: "s-" + name, Title: "KI-Grundlagen", BundleID: "ki-grundlagen", BundleVersion: "1",
			Stats: &quizstats.Report{N: int(pc.quiz[0]), MeanTotal: pc.quiz[1] / 100 * 20, MaxTotal: 20, Items: []quizstats.ItemStats{}, Areas: []quizstats.AreaStats{}, Warnings: []quizstats.Warning{}}}}}
	}
	data, err := report.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := key.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json.sig"), sig, 0o644); err != nil {
		t.Fatal(err)
	}
	return r.Summary.Verdicts, r.Sections.Fit
}

// testFleet is twelve workplaces in three units: four memory sizes, fast
// and slow processors, one graphics card, four bandwidths, two quiz
// aggregates in the Bauamt and two reports older than 30 days. The fast
// 4 GB workplaces are the ones a memory upgrade makes ready.
var testFleet = []testPC{
	{org: "Bauamt", ramGB: 4, gops: 2400, bandwidth: 35, speed: 4.2, quiz: [2]float64{10, 70}},
	{org: "Bauamt", ramGB: 4, gops: 2400, bandwidth: 35, speed: 4.4, quiz: [2]float64{30, 50}},
	{org: "Bauamt", ramGB: 16, gops: 288, bandwidth: 35, speed: 8.0},
	{org: "Bauamt", ramGB: 16, gops: 288, bandwidth: 35, speed: 8.6, age: 60 * 24 * time.Hour},
	{org: "Bürgeramt", ramGB: 8, gops: 288, bandwidth: 15, speed: 3.9},
	{org: "Bürgeramt", ramGB: 16, gops: 2400, bandwidth: 55, speed: 11.5},
	{org: "Bürgeramt", ramGB: 16, gops: 2400, bandwidth: 55, speed: 12.1},
	{org: "Bürgeramt", ramGB: 16, gops: 288, bandwidth: 35, speed: 7.7, age: 45 * 24 * time.Hour},
	{org: "Kämmerei", ramGB: 16, gops: 288, bandwidth: 35, speed: 8.1},
	{org: "Kämmerei", ramGB: 32, gops: 2400, bandwidth: 80, speed: 17.3},
	{org: "Kämmerei", ramGB: 32, gops: 2400, bandwidth: 80, speed: 16.8},
	{org: "Kämmerei", ramGB: 32, gops: 288, bandwidth: 80, gpu: "GeForce RTX 4060", vramGB: 8, speed: 41.0},
}

// expected is what the test works out from the reports it wrote,
// independently of internal/collect.
type expected struct {
	overall  map[string]int            // level → devices
	useCase  map[string]map[string]int // use case → level → devices
	speeds   map[string][]float64      // model → measured tokens/s
	upgrade  map[int]int               // memory size → devices ready with it
	unjudged int
}

func expect(all [][]report.Verdict, fits []*report.Fit) expected {
	e := expected{overall: map[string]int{}, useCase: map[string]map[string]int{}, speeds: map[string][]float64{}, upgrade: map[int]int{}}
	for i, vs := range all {
		e.overall[report.Overall(vs)]++
		target := 0
		for _, v := range vs {
			if e.useCase[v.UseCase] == nil {
				e.useCase[v.UseCase] = map[string]int{}
			}
			e.useCase[v.UseCase][v.Level]++ // one verdict per use case
			if v.MeasuredTokensPerSecond != nil && v.Model != "" {
				e.speeds[v.Model] = append(e.speeds[v.Model], *v.MeasuredTokensPerSecond)
			}
			if v.Level == report.LevelReady || target < 0 {
				continue
			}
			for _, u := range fits[i].UseCases {
				if u.UseCase == v.UseCase {
					if u.ReadyWithRAMGB == 0 {
						target = -1 // memory alone does not help
					} else {
						target = max(target, u.ReadyWithRAMGB)
					}
				}
			}
		}
		for _, size := range fit.RAMSizesGB {
			if target > 0 && target <= size {
				e.upgrade[size]++
			}
		}
	}
	return e
}

// median of the values (the middle one, or the mean of the two middle
// ones), with one decimal.
func median(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return math.Round(m*10) / 10
}

// tableRow returns the texts of the row of table whose first cell is
// first (nil if none): labels as their text, a bar as "bar".
func tableRow(table *fyne.Container, first string) []string {
	cols := table.Layout.(*tableLayout).cols
	for i := 0; i+cols <= len(table.Objects); i += cols {
		if l, ok := table.Objects[i].(*widget.Label); !ok || l.Text != first {
			continue
		}
		var out []string
		for _, o := range table.Objects[i : i+cols] {
			switch c := o.(type) {
			case *widget.Label:
				out = append(out, c.Text)
			case *fyne.Container:
				// a bar: not text
			}
		}
		return out
	}
	return nil
}

// IT opens a central database filled through the real intake with twelve
// real signed reports; the Sammelstelle shows every part of the overview
// with the numbers the reports give, in German and, after switching the
// language, in English (the screen reopens the database by itself). The
// stale-days entry works from the keyboard, and the overview is saved as
// an HTML page.
func TestCollectScreenFleetOverviewGermanAndEnglish(t *testing.T) {
	cat, err := fit.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var all [][]report.Verdict
	var fits []*report.Fit
	for i, pc := range testFleet {
		vs, f := writeFittedReport(t, dir, fmt.Sprintf("pc%02d", i), cat, pc)
		all, fits = append(all, vs), append(fits, f)
	}
	want := expect(all, fits)

	st := newTestState(t)
	s, wait := showCollectScreen(t, st, "Sammelstelle")
	if !s.htmlBtn.Disabled() {
		t.Fatal("the HTML button must wait for a database")
	}
	dbPath := filepath.Join(t.TempDir(), "sammelstelle.db")
	s.openDB(dbPath)
	wait("the database")
	s.importPaths([]string{dir})
	wait("the import")
	if s.status.Text != "12 Berichte gespeichert, 0 schon vorhanden, 0 abgelehnt." {
		t.Fatalf("status %q; rejected %q", s.status.Text, s.rejected.Text)
	}
	st.win.Resize(fyne.NewSize(1200, 760))

	check := func(code string) {
		t.Helper()
		v := s.view
		pct := func(n, of int) string {
			p := i18n.Decimal(code, float64(n)*100/float64(of), 0)
			if code == "de" {
				return p + " %"
			}
			return p + "%"
		}
		if v.devices.Text != "12" || v.reports.Text != "12" || v.staleKPI.Text != "2" {
			t.Errorf("%s: key figures %q %q %q", code, v.devices.Text, v.reports.Text, v.staleKPI.Text)
		}
		if got := v.readyPct.Text; got != pct(want.overall[report.LevelReady], 12) {
			t.Errorf("%s: ready share %q, want %q", code, got, pct(want.overall[report.LevelReady], 12))
		}
		// Every use case: its name from the catalogue, and the devices
		// ready / limited / not ready with their share.
		for id, levels := range want.useCase {
			u, _ := cat.UseCase(id)
			row := tableRow(v.useCases, u.Title(code))
			cell := func(level string) string { return fmt.Sprintf("%d (%s)", levels[level], pct(levels[level], 12)) }
			wantRow := []string{u.Title(code), cell(report.LevelReady), cell(report.LevelLimited), cell(report.LevelNotReady)}
			if !slices.Equal(row, wantRow) {
				t.Errorf("%s: use case row %q, want %q", code, row, wantRow)
			}
		}
		if len(v.models.Objects) < 2*6 {
			t.Errorf("%s: %d cells in the model table", code, len(v.models.Objects))
		}
		// Distributions, with their labels in the language.
		none, below20, from80 := "keine eigene", "unter 20 GB/s", "60–100 GB/s"
		if code == "en" {
			none, below20, from80 = "none of its own", "below 20 GB/s", "60–100 GB/s"
		}
		for _, c := range []struct {
			table *fyne.Container
			label string
			n     int
		}{{v.ram, "4 GB", 2}, {v.ram, "8 GB", 1}, {v.ram, "12 GB", 0}, {v.ram, "16 GB", 6}, {v.ram, "32 GB", 3},
			{v.vram, none, 11}, {v.vram, "8 GB", 1}, {v.gpus, "Iris Xe Graphics", 11}, {v.gpus, "GeForce RTX 4060", 1},
			{v.bandwidth, below20, 1}, {v.bandwidth, "20–40 GB/s", 6}, {v.bandwidth, from80, 3}} {
			if row := tableRow(c.table, c.label); len(row) != 2 || row[1] != fmt.Sprint(c.n) {
				t.Errorf("%s: distribution row %q = %q, want %d devices", code, c.label, row, c.n)
			}
		}
		// Measured speed: median and range of what the reports carry.
		for model, speeds := range want.speeds {
			m, _ := cat.Model(model)
			row := tableRow(v.speed, m.Name)
			if len(row) != 5 || row[1] != fmt.Sprint(len(speeds)) || row[2] != i18n.Decimal(code, median(speeds), 1) ||
				row[4] != i18n.Decimal(code, slices.Min(speeds), 1)+"–"+i18n.Decimal(code, slices.Max(speeds), 1) {
				t.Errorf("%s: speed of %s %q; measured %v", code, model, row, speeds)
			}
		}
		if len(want.speeds) == 0 {
			t.Error("the test fleet has no measured speed")
		}
		// The upgrade: every memory size that helps, with its devices.
		if len(want.upgrade) == 0 {
			t.Error("the test fleet has no device an upgrade would help")
		}
		// The smallest size that makes the most devices ready, and the
		// table of sizes up to it.
		best, most := 0, 0
		for _, size := range fit.RAMSizesGB {
			if n := want.upgrade[size]; n > most {
				best, most = size, n
			}
		}
		for _, size := range fit.RAMSizesGB {
			row := tableRow(v.upgradeTable, fmt.Sprintf("%d GB", size))
			switch {
			case size <= best && want.upgrade[size] > 0 && (len(row) != 3 || row[1] != fmt.Sprint(want.upgrade[size])):
				t.Errorf("%s: upgrade to %d GB %q, want %d devices", code, size, row, want.upgrade[size])
			case size > best && row != nil:
				t.Errorf("%s: upgrade to %d GB listed after the best, %d GB", code, size, best)
			}
		}
		wantUpgrade := fmt.Sprintf("Am meisten hilft: Arbeitsspeicher auf %d GB – danach wären %d Arbeitsplätze überall bereit.", best, most)
		if code == "en" {
			wantUpgrade = fmt.Sprintf("What helps most: RAM to %d GB – then %d workplaces would be ready everywhere.", best, most)
		}
		if v.upgrade.Text != wantUpgrade {
			t.Errorf("%s: upgrade %q, want %q", code, v.upgrade.Text, wantUpgrade)
		}
		// Quiz per unit, only in aggregate: 40 participants, mean 55 %.
		quiz := "55,0 %"
		if code == "en" {
			quiz = "55.0%"
		}
		if row := tableRow(v.orgs, "Bauamt"); len(row) != 5 || row[1] != "4" || row[3] != "40" || row[4] != quiz {
			t.Errorf("%s: Bauamt row %q", code, row)
		}
		if row := tableRow(v.orgs, "Kämmerei"); len(row) != 5 || row[3] != "0" || row[4] != "–" {
			t.Errorf("%s: Kämmerei row %q", code, row)
		}
	}
	check("de")
	// The demo fleet's reports predate calibration: none of the 12
	// devices' verdicts (one per use case of the catalogue) is calibrated.
	if want := fmt.Sprintf("0 von %d Urteilen sind mit einer Messung auf dem Gerät kalibriert.", 12*len(cat.UseCases)); s.view.calibrated.Text != want {
		t.Errorf("calibrated %q", s.view.calibrated.Text)
	}
	if s.view.stale.Text != "2 Arbeitsplätze ohne Bericht seit 30 Tagen:" || tableRow(s.view.staleTable, "Gerät") == nil {
		t.Errorf("stale %q", s.view.stale.Text)
	}
	saveScreenshot(t, st.win, "sammelstelle.png")

	// N days from the keyboard: 50 days leaves the report of 60 days.
	st.win.Canvas().Focus(s.view.staleDays)
	s.view.staleDays.SetText("")
	typeKeys(st.win, "50", true)
	wait("the overview for 50 days")
	if s.view.stale.Text != "1 Arbeitsplätze ohne Bericht seit 50 Tagen:" || s.view.staleKPI.Text != "1" {
		t.Errorf("after 50 days: %q, %q", s.view.stale.Text, s.view.staleKPI.Text)
	}
	s.view.staleDays.SetText("viele")
	s.onStaleDays()
	if !strings.Contains(s.view.stale.Text, "„viele“ ist keine Anzahl von Tagen") {
		t.Errorf("bad days: %q", s.view.stale.Text)
	}
	s.view.staleDays.SetText("30")
	st.win.Canvas().Focus(s.view.staleApply) // the button, from the keyboard
	s.view.staleApply.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	wait("the overview for 30 days")

	html := filepath.Join(t.TempDir(), "uebersicht.html")
	s.saveHTML(html)
	wait("the HTML page")
	page, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(page), "<!DOCTYPE html>") || !strings.Contains(string(page), "Arbeitsplätze ohne aktuellen Bericht") ||
		!strings.Contains(string(page), "Kämmerei") || s.status.Text != "Übersicht gespeichert: "+html {
		t.Fatalf("HTML page (%v, status %q): %.300s", err, s.status.Text, page)
	}

	// English: the rebuilt screen opens the remembered database itself,
	// and the replaced screen has given its connection back.
	last := len(st.shell.screens) - 1
	st.shell.nav.Select(last)
	old, oldDB := s, s.db
	st.shell.screens[last].(*settingsScreen).language.SetSelected("English")
	if old.db != nil || oldDB.Ping(context.Background()) == nil {
		t.Error("the replaced Sammelstelle still holds its database connection")
	}
	s, wait = showCollectScreen(t, st, "Collection")
	wait("the remembered database")
	if s.dbPath.Text != dbPath {
		t.Fatalf("database %q, want %q", s.dbPath.Text, dbPath)
	}
	check("en")
	if s.view.stale.Text != "2 workplaces without a report for 30 days:" || tableRow(s.view.staleTable, "Device") == nil {
		t.Errorf("stale %q", s.view.stale.Text)
	}
	s.saveHTML(html)
	wait("the English HTML page")
	if page, _ := os.ReadFile(html); !strings.Contains(string(page), `<html lang="en">`) || !strings.Contains(string(page), "Workplaces without a recent report") {
		t.Errorf("English HTML page: %.300s", page)
	}
	test.Tap(s.htmlBtn) // opens the save dialog on the window; must not panic
}
