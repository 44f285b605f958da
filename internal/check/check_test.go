package check

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// quickProbe keeps the probe short in tests; the check's steps are the same.
var quickProbe = probe.Options{BufferBytes: 16 << 20, Repetitions: 2, SkipCompute: true}

func openDB(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, store.FileName), report.Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestCheckWritesVerifiableReport(t *testing.T) {
	dataDir, out := t.TempDir(), t.TempDir()
	db := openDB(t, dataDir)
	var events []Event
	res, err := Run(context.Background(), Options{Probe: quickProbe, DataDir: dataDir, DB: db, OutDir: out}, func(e Event) { events = append(events, e) })
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < 2 || events[len(events)-1].Fraction != 1 {
		t.Errorf("progress events %+v", events)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Fraction < events[i-1].Fraction {
			t.Errorf("progress goes back: %+v then %+v", events[i-1], events[i])
		}
	}
	for _, p := range []string{res.Exported.JSON, res.Exported.Sig, res.Exported.PDF, res.Exported.HTML, res.Stored.JSON, res.Stored.Sig} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	data, sig, err := report.ReadFiles(res.Exported.JSON)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.ValidateSchema(data); err != nil {
		t.Fatalf("exported report violates the schema: %v", err)
	}
	v := report.Verify(data, sig, report.VerifyOptions{
		AllowedSigners: signing.ParseAllowedSigners("as", []byte(signing.AllowedSignersLine(res.Key.Public())))})
	if !v.Valid || !v.Trusted {
		t.Fatalf("verify: %+v", v)
	}
	if inv := v.Report.Sections.Inventory; inv == nil || inv.System.Value.OS == "" || inv.System.Value.Hostname != "" || inv.Disk.Value.Path != "" {
		t.Errorf("inventory missing: %+v", v.Report.Sections)
	}
	// The fit judged every use case of the catalogue; its verdicts and
	// the bundles it used are in the report.
	if v.Report.Sections.Fit == nil || len(v.Report.Summary.Verdicts) == 0 || len(v.Report.Summary.Verdicts) != len(v.Report.Sections.Fit.UseCases) {
		t.Fatalf("fit: %d verdicts", len(v.Report.Summary.Verdicts))
	}
	for _, u := range v.Report.Sections.Fit.UseCases {
		if len(u.Models) == 0 || u.Reason == "" {
			t.Errorf("fit use case %s: %d models, reason %q", u.UseCase, len(u.Models), u.Reason)
		}
		if u.Verdict == report.LevelReady && u.ReadyWithRAMGB != 0 {
			t.Errorf("fit use case %s is ready, yet names an upgrade to %d GB", u.UseCase, u.ReadyWithRAMGB)
		}
	}
	// IT verifies thousands of reports a second (docs/collect.md): the
	// report carries figures, not the fit's reasoning. With nine use cases
	// and an interval on every predicted speed a report is about 56–60 KB.
	if len(data) > 64<<10 {
		t.Errorf("report is %d bytes; a check report should stay under 64 KiB", len(data))
	}
	t.Logf("report %d bytes", len(data))
	if v.Report.Summary.Overall == report.LevelUnknown || v.Report.Sections.Probe == nil || v.Report.Sections.Probe.MemoryReadGBps == nil {
		t.Errorf("overall %s, probe %+v", v.Report.Summary.Overall, v.Report.Sections.Probe)
	}
	kinds := map[string]bool{}
	for _, b := range v.Report.Bundles {
		kinds[b.Kind] = true
		if b.Source != "embedded" || len(b.SHA256) != 64 {
			t.Errorf("bundle %+v", b)
		}
	}
	if !kinds["models"] || !kinds["usecases"] {
		t.Errorf("bundles %+v", v.Report.Bundles)
	}
	// Every step this build has ran.
	var ran []string
	for _, s := range v.Report.Summary.Steps {
		ran = append(ran, s.Name)
		if s.Status != report.StepDone && s.Status != report.StepSkipped {
			t.Errorf("step %+v", s)
		}
	}
	if strings.Join(ran, ",") != strings.Join(Steps(Options{}), ",") {
		t.Errorf("steps in report %v, want %v", ran, Steps(Options{}))
	}
	// The real ssh-keygen accepts the exported report.
	if kg, err := exec.LookPath("ssh-keygen"); err == nil {
		as := filepath.Join(t.TempDir(), "allowed_signers")
		os.WriteFile(as, []byte(signing.AllowedSignersLine(res.Key.Public())+"\n"), 0o644)
		cmd := exec.Command(kg, "-Y", "verify", "-f", as, "-I", res.Report.Device.DeviceID, "-n", signing.Namespace, "-s", res.Exported.Sig)
		cmd.Stdin = bytes.NewReader(data)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen -Y verify: %v\n%s", err, out)
		}
	}
	// The database knows the report and its export, the run is done.
	list, err := report.List(context.Background(), db, 10)
	if err != nil || len(list) != 1 || list[0].ReportID != res.Report.ReportID || list[0].LastExport == nil || list[0].LastExport.PDF != res.Exported.PDF {
		t.Fatalf("List: %v %+v", err, list)
	}
	runs, _ := db.ListRuns(context.Background(), RunKind, 10)
	if len(runs) != 1 || runs[0].Status != store.StatusDone || !strings.Contains(string(runs[0].Summary), res.Report.ReportID) {
		t.Fatalf("runs %+v", runs)
	}

	// Exporting again never overwrites: a second set of files appears.
	again, err := Export(context.Background(), db, list[0].ID, list[0].JSONPath, out, "de")
	if err != nil {
		t.Fatal(err)
	}
	if again.JSON == res.Exported.JSON || !strings.HasSuffix(again.JSON, "-2.json") {
		t.Errorf("second export %s, first %s", again.JSON, res.Exported.JSON)
	}
	first, _ := os.ReadFile(res.Exported.JSON)
	if !bytes.Equal(first, data) {
		t.Error("first export changed")
	}
	summary := Summary(res.Report, res.Exported, "de")
	if !strings.Contains(summary, res.Report.Device.DeviceID) || !strings.Contains(summary, res.Exported.JSON) || strings.Contains(summary, "\n") {
		t.Errorf("summary %q", summary)
	}
}

func TestHostnameOnlyWithPolicy(t *testing.T) {
	host := hardware.Host(context.Background()).Hostname
	if host == "" {
		t.Skip("this machine has no hostname")
	}
	for _, include := range []bool{false, true} {
		res, err := Run(context.Background(), Options{Probe: quickProbe, DataDir: t.TempDir(), Policy: Policy{IncludeHostname: include, OrgUnit: "FB 3"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		has := bytes.Contains(res.Data, []byte(`"`+host+`"`))
		if has != include {
			t.Errorf("include_hostname=%v: hostname in report = %v", include, has)
		}
		if res.Report.Device.OrgUnit != "FB 3" {
			t.Errorf("org unit %q", res.Report.Device.OrgUnit)
		}
	}
}

func TestCancelledCheckStillReports(t *testing.T) {
	dataDir := t.TempDir()
	db := openDB(t, dataDir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, Options{Probe: quickProbe, DataDir: dataDir, DB: db}, nil)
	if err == nil || res == nil {
		t.Fatalf("cancelled: res %v err %v", res, err)
	}
	if res.Report.Status != report.StatusIncomplete {
		t.Errorf("status %s", res.Report.Status)
	}
	for _, s := range res.Report.Summary.Steps {
		if s.Status != report.StepCancelled {
			t.Errorf("step %+v", s)
		}
	}
	if v := report.Verify(res.Data, res.Sig, report.VerifyOptions{}); !v.Valid {
		t.Errorf("cancelled report does not verify: %s", v.Message)
	}
	runs, _ := db.ListRuns(context.Background(), RunKind, 1)
	if len(runs) != 1 || runs[0].Status != store.StatusCancelled {
		t.Errorf("runs %+v", runs)
	}
}

// A step that panics (a fault injected here on purpose) becomes a failed
// step; the report is still written.
func TestPanickingStepFails(t *testing.T) {
	st := &runState{report: report.New(mustKey(t), time.Now())}
	err := runStep(context.Background(), step{name: "boom", run: func(context.Context, *runState, func(float64, string)) error {
		panic("driver crashed")
	}}, st, func(float64, string) {})
	if err == nil || !strings.Contains(err.Error(), "driver crashed") {
		t.Fatalf("err %v", err)
	}
}

func mustKey(t *testing.T) *signing.Key {
	k, err := signing.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestPolicy(t *testing.T) {
	p, err := ParsePolicy("p.yaml", []byte("org_unit: Fachbereich Bürgerservice\ninclude_hostname: true\nbundles: [office-basics]\nupload_url: https://it.example/api\n"))
	if err != nil || p.OrgUnit != "Fachbereich Bürgerservice" || !p.IncludeHostname || len(p.Bundles) != 1 || p.Source != "p.yaml" {
		t.Fatalf("%+v %v", p, err)
	}
	p, err = ParsePolicy("p.json", []byte(`{"org_unit": "FB 1", "include_hostname": false}`))
	if err != nil || p.OrgUnit != "FB 1" {
		t.Fatalf("JSON policy: %+v %v", p, err)
	}
	for _, c := range []struct{ in, want string }{
		{"org_unit: x\nhostname: true\n", `[2:1] unknown field "hostname"`},
		{"org_unit: [1\n", "p.yaml"},
		{"include_hostname: maybe\n", "[1:19]"},
		{"upload_url: ftp://x\n", "must start with https://"},
		{"ki_policy_version: \"2.0\"\n", "ki_policy_version needs ki_policy"},
	} {
		_, err := ParsePolicy("p.yaml", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParsePolicy(%q) = %v, want one line containing %q", c.in, err, c.want)
		}
		var pe *PolicyError
		if err != nil && (!errorsAs(err, &pe) || pe.Hint() == "") {
			t.Errorf("no hint for %v", err)
		}
	}
	// IT names the AI policy in force.
	p, err = ParsePolicy("p.yaml", []byte("ki_policy: halle\nki_policy_version: \"2.0\"\n"))
	if err != nil || p.KIPolicy != "halle" || p.KIPolicyVersion != "2.0" {
		t.Fatalf("ki_policy: %+v %v", p, err)
	}
	// No explicit file and no system file: the empty policy.
	if _, err := os.Stat(SystemPolicyPath()); os.IsNotExist(err) {
		p, err := LoadPolicy("")
		if err != nil || p.Source != "" {
			t.Errorf("LoadPolicy without files: %+v %v", p, err)
		}
	}
	if _, err := LoadPolicy(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("missing explicit policy accepted")
	}
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte("org_unit: FB 3\ninclude_hostname: true\n"))
	f.Add([]byte(`{"bundles": ["a", "b"]}`))
	f.Add([]byte("- a\n- b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParsePolicy("fuzz.yaml", b)
	})
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func TestPDFForStoredReport(t *testing.T) {
	dataDir := t.TempDir()
	db := openDB(t, dataDir)
	if _, err := Run(context.Background(), Options{Probe: quickProbe, DataDir: dataDir, DB: db}, nil); err != nil {
		t.Fatal(err)
	}
	list, _ := report.List(context.Background(), db, 1)
	p, err := PDFFor(list[0], "de")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if !bytes.HasPrefix(b, []byte("%PDF-")) || filepath.Dir(p) != ReportsDir(dataDir) {
		t.Fatalf("PDFFor: %s %.10q", p, b)
	}
	// A stored report changed on disk is refused, not rendered.
	os.Remove(p)
	data, _ := os.ReadFile(list[0].JSONPath)
	os.WriteFile(list[0].JSONPath, bytes.Replace(data, []byte(`"complete"`), []byte(`"incomplete"`), 1), 0o644)
	if _, err := PDFFor(list[0], "de"); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("tampered stored report: %v", err)
	}
}

// Quiz results enter the report only for the sessions chosen, and only in
// aggregate: the participants' pseudonyms never appear.
func TestQuizAggregatesOnlyWhenChosen(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dataDir, store.FileName), quiz.Schema, report.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bs, err := quiz.LoadBundles(bundles.Quizzes, "quizzes")
	if err != nil || len(bs) == 0 {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	var b *quiz.Bundle
	for _, x := range bs {
		if x.ID == "ki-grundlagen" {
			b = x
		}
	}
	s, err := quizsession.Plan(b, nil, quizsession.Options{ID: "kurs-7", Seed: 1}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := quizsession.Create(ctx, db, s); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"Falke", "Eule"} {
		a := &quizsession.Attempt{SessionID: s.ID, Pseudonym: p, Role: quiz.Anwender, Started: now, Finished: now.Add(time.Minute)}
		if err := quizsession.SaveAttempt(ctx, db, s, a); err != nil {
			t.Fatal(err)
		}
	}
	without, err := Run(ctx, Options{Probe: quickProbe, DataDir: dataDir, DB: db}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if without.Report.Sections.Quiz != nil || bytes.Contains(without.Data, []byte("kurs-7")) {
		t.Error("quiz results in a report nobody chose them for")
	}
	with, err := Run(ctx, Options{Probe: quickProbe, DataDir: dataDir, DB: db, QuizSessions: []string{"kurs-7"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := with.Report.Sections.Quiz
	if q == nil || len(q.Sessions) != 1 || q.Sessions[0].Stats == nil || q.Sessions[0].Stats.N != 2 {
		t.Fatalf("quiz section %+v", q)
	}
	for _, p := range []string{"Falke", "Eule"} {
		if bytes.Contains(with.Data, []byte(p)) {
			t.Errorf("pseudonym %s in the report", p)
		}
	}
	if v := report.Verify(with.Data, with.Sig, report.VerifyOptions{}); !v.Valid {
		t.Fatal(v.Message)
	}
	if _, err := Run(ctx, Options{Probe: quickProbe, DataDir: dataDir, DB: db, QuizSessions: []string{"no-such"}}, nil); err != nil {
		t.Fatal(err) // the check goes on; the step is marked failed
	}
}

// The cost comparison enters the report only when the municipality keeps
// its own cost parameters in the data dir (here: the packaged file copied
// there, as a municipality would start).
func TestCostOnlyWithOwnParameters(t *testing.T) {
	dataDir := t.TempDir()
	res, err := Run(context.Background(), Options{Probe: quickProbe, DataDir: dataDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Sections.Cost != nil {
		t.Fatal("cost section without own parameters")
	}
	b, err := bundles.Cost.ReadFile("cost/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	own := filepath.Join(dataDir, "bundles", "cost")
	os.MkdirAll(own, 0o755)
	os.WriteFile(filepath.Join(own, "default.yaml"), b, 0o644)
	res, err = Run(context.Background(), Options{Probe: quickProbe, DataDir: dataDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs := res.Report.Sections.Cost
	if cs == nil || cs.Source != "own:default.yaml" || cs.Result.Recommendation.Title == "" {
		t.Fatalf("cost section %+v", cs)
	}
	pdf, err := report.HTML(res.Report, report.Files{}, "de")
	if err != nil || !strings.Contains(string(pdf), "Kosten: lokal, Cloud oder beides") {
		t.Fatalf("cost not shown: %v", err)
	}
	if v := report.Verify(res.Data, res.Sig, report.VerifyOptions{}); !v.Valid {
		t.Fatal(v.Message)
	}
}

// The report names the AI policy in force: the Muster, or the one IT names.
func TestReportNamesThePolicy(t *testing.T) {
	dataDir := t.TempDir()
	res, err := Run(context.Background(), Options{Probe: quickProbe, DataDir: dataDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Report.Sections.Policy; p == nil || p.ID != "muster" || p.Version != "1.0" || p.Source != "muster" || p.Stand != "2026-12-04" {
		t.Fatalf("policy section %+v", p)
	}
	b, err := bundles.Policy.ReadFile("policy/muster.yaml")
	if err != nil {
		t.Fatal(err)
	}
	own := filepath.Join(dataDir, "bundles", "policy")
	os.MkdirAll(own, 0o755)
	os.WriteFile(filepath.Join(own, "halle.yaml"), []byte(strings.Replace(strings.Replace(string(b), "id: muster\n", "id: halle\n", 1), "version: \"1.0\"", "version: \"2.1\"", 1)), 0o644)
	res, err = Run(context.Background(), Options{Probe: quickProbe, DataDir: dataDir, Policy: Policy{KIPolicy: "halle"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Report.Sections.Policy; p == nil || p.ID != "halle" || p.Version != "2.1" || p.Source != "own:halle.yaml" {
		t.Fatalf("policy section %+v", p)
	}
	if err := report.ValidateSchema(res.Data); err != nil {
		t.Fatalf("schema: %v", err)
	}
}
