package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/document/officetest"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/strategy"
)

// TestStrategyFiguresMatchTheApp: a municipality's data (two survey
// sheets, a quiz session with three participants, a Sammelstelle with two
// real checks); every figure of the strategy equals the app's own figure
// for the same data (kicheck cost, hotspot score, fleet, quiz evidence);
// the rendered ODT opens in LibreOffice with its headings and tables.
func TestStrategyFiguresMatchTheApp(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := kicheck(t, append([]string{"--data-dir", dir}, args...)...)
		if code != 0 && !(args[0] == "hotspot" && code == exitConflicts) {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
		return out
	}
	run("hotspot", "import", sozialamtSheet, buergeramtSheet)

	// Quiz: three participants, two roles.
	if _, errOut, code := kicheckSession(t, dir, "", "quiz", "session", "start", "--quiz", "ki-grundlagen", "--id", "kurs-s", "--seed", "7", "--draw", "A1/grundlage=2,A4/grundlage=1"); code != 0 {
		t.Fatal(errOut)
	}
	for _, p := range []struct{ name, role, input string }{
		{"Falke", "anwender", "1\n1\n1\n"}, {"Eule", "anwender", "2\n2\n2\n"}, {"Luchs", "it", "1\n2\n3\n"},
	} {
		if out, errOut, code := kicheckSession(t, dir, p.input, "quiz", "session", "answer", "kurs-s", "--pseudonym", p.name, "--role", p.role); code != 0 {
			t.Fatalf("answer %s: %d %s %s", p.name, code, out, errOut)
		}
	}

	// Sammelstelle: two real checks (a short probe), collected.
	share := t.TempDir()
	for _, pc := range []string{"pc1", "pc2"} {
		out := filepath.Join(share, pc)
		os.MkdirAll(out, 0o755)
		if _, err := check.Run(context.Background(), check.Options{DataDir: t.TempDir(), OutDir: out, Policy: check.Policy{OrgUnit: "Bauamt"},
			Probe: probe.Options{BufferBytes: 16 << 20, Repetitions: 2, SkipCompute: true}}, nil); err != nil {
			t.Fatalf("check: %v", err)
		}
	}
	fleetDB := filepath.Join(t.TempDir(), "central.db")
	if _, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "collect", "--db", fleetDB, "--enroll", share); code != 0 {
		t.Fatalf("collect: %d %s", code, stderr)
	}

	var figs []strategy.Figure
	if err := json.Unmarshal([]byte(run("strategy", "figures", "--db", fleetDB, "--json")), &figs); err != nil {
		t.Fatal(err)
	}
	got := map[string]strategy.Figure{}
	for _, f := range figs {
		if f.Source == "" || f.Text == "" {
			t.Errorf("figure %s without source or text", f.ID)
		}
		got[f.ID] = f
	}
	want := map[string]float64{}

	var cj struct {
		Local, Cloud, Hybrid struct{ Horizon float64 }
		RequestsPerMonth     float64 `json:"requests_per_month"`
	}
	if err := json.Unmarshal([]byte(run("cost", "--json")), &cj); err != nil {
		t.Fatal(err)
	}
	want["cost.local_horizon"], want["cost.cloud_horizon"], want["cost.hybrid_horizon"] = cj.Local.Horizon, cj.Cloud.Horizon, cj.Hybrid.Horizon
	want["cost.requests_per_month"] = cj.RequestsPerMonth

	var doc struct {
		Hotspots []struct {
			Process struct{ ID string } `json:"process"`
			Hours   float64             `json:"hours_per_year"`
			Rank    int                 `json:"rank"`
		} `json:"hotspots"`
	}
	if err := json.Unmarshal([]byte(run("hotspot", "score", "--fleet-db", fleetDB, "--json")), &doc); err != nil {
		t.Fatal(err)
	}
	var listed []hotspot.Process
	json.Unmarshal([]byte(run("hotspot", "list", "--json")), &listed)
	want["hotspots.count"] = float64(len(listed))
	var top float64
	for _, h := range doc.Hotspots {
		if h.Rank <= 5 {
			want["hotspot."+h.Process.ID+".hours"] = h.Hours
			top += h.Hours
		}
	}
	want["hotspots.top_hours"] = top

	var fleet collect.Fleet
	if err := json.Unmarshal([]byte(run("fleet", "--db", fleetDB, "--json")), &fleet); err != nil {
		t.Fatal(err)
	}
	want["fleet.devices"] = float64(fleet.Devices)
	want["fleet.ready"], want["fleet.limited"], want["fleet.not_ready"], want["fleet.unknown"] = float64(fleet.Overall.Ready), float64(fleet.Overall.Limited), float64(fleet.Overall.NotReady), float64(fleet.Overall.Unknown)

	var ev struct {
		Rows []struct{ Participant, Role string } `json:"participants"`
	}
	if err := json.Unmarshal([]byte(run("quiz", "evidence", "kurs-s", "--json")), &ev); err != nil {
		t.Fatal(err)
	}
	perRole := map[string]float64{}
	for _, r := range ev.Rows {
		perRole[r.Role]++
	}
	for _, role := range []string{"anwender", "fachverantwortlich", "fuehrungskraft", "it"} {
		want["quiz."+role+".participants"] = perRole[role]
	}
	want["quiz.participants"] = float64(len(ev.Rows))
	if len(ev.Rows) != 3 || perRole["anwender"] != 2 {
		t.Fatalf("evidence rows %+v", ev.Rows)
	}

	for id, w := range want {
		f, ok := got[id]
		if !ok {
			t.Errorf("the strategy lacks %s (app: %v)", id, w)
			continue
		}
		if math.Abs(f.Value-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s: strategy %v, app %v", id, f.Value, w)
		}
	}
	if len(doc.Hotspots) < 5 || fleet.Devices != 2 {
		t.Fatalf("test data: %d hotspots, %d devices", len(doc.Hotspots), fleet.Devices)
	}

	// The document shows the same figures as printed text.
	md := filepath.Join(t.TempDir(), "strategie.md")
	run("strategy", "render", "--db", fleetDB, "--kommune", "Stadt Musterstadt", "--format", "md", "--out", md)
	b, _ := os.ReadFile(md)
	for _, id := range []string{"cost.local_horizon", "cost.cloud_horizon", "hotspots.top_hours", "fleet.devices"} {
		if !strings.Contains(string(b), got[id].Text) {
			t.Errorf("the document lacks %s = %q", id, got[id].Text)
		}
	}
	if !strings.Contains(string(b), "# KI-Strategie der Stadt Musterstadt") || !strings.Contains(string(b), "Quelle: kicheck hotspot score") {
		t.Errorf("document:\n%s", b)
	}

	odt := filepath.Join(t.TempDir(), "strategie.odt")
	run("strategy", "render", "--db", fleetDB, "--kommune", "Stadt Musterstadt", "--format", "odt", "--out", odt)
	if _, err := os.Stat(odt + ".sig"); err != nil {
		t.Fatal("no signature")
	}
	officetest.Soffice(t)
	pdf := officetest.ToPDF(t, t.TempDir(), odt)[0]
	text := officetest.Text(t, pdf)
	officetest.Contains(t, "strategie.odt", text, "KI-Strategie der Stadt Musterstadt", "Wo KI am meisten bringt", "Kosten im Vergleich", "Qualifizierung",
		"Lokal (Arbeitsplatz/Server)", got["cost.local_horizon"].Text, fmt.Sprint(doc.Hotspots[0].Rank))
	if pics := os.Getenv("KICHECK_PICS"); pics != "" {
		for page := 1; page <= 3; page++ {
			officetest.Page(t, pdf, page, 80, pics, fmt.Sprintf("strategie-soffice-s%d", page))
		}
	}
}

// Without a process survey the hotspot section says so.
func TestStrategyWithoutSurvey(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "s.md")
	out, errOut, code := kicheck(t, "--data-dir", dir, "--lang", "en", "strategy", "render", "--format", "md", "--out", md)
	if code != 0 {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	b, _ := os.ReadFile(md)
	if !strings.Contains(string(b), "No process survey yet") || !strings.Contains(string(b), "# AI strategy of") {
		t.Fatalf("%s", b)
	}
	if _, _, code := kicheck(t, "--data-dir", dir, "strategy", "render", "--format", "odt"); code != exitUsage {
		t.Errorf("no --out: %d", code)
	}
}
