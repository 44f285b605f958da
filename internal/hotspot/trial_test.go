package hotspot

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/golden"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/store"
)

func trialProcess() Process {
	return Process{ID: "so-01", Name: "Wohngeld-Anträge nach Thema vorsortieren", Unit: "Sozialamt", CasesPerYear: 3500,
		MinutesPerCase: 5, TextSharePercent: 80, Task: "klassifizieren", DataClass: "sozialdaten", Effect: "vorbereitend",
		Area: "oeffentliche_leistungen", Exception: "vorbereitung", ExceptionDocumented: true}
}

func trialTask(t *testing.T) TaskType {
	t.Helper()
	c, err := LoadCatalogue(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tt, ok := c.TaskType("klassifizieren")
	if !ok {
		t.Fatal("no task type klassifizieren")
	}
	return tt
}

func TestTrialInputsAndBundle(t *testing.T) {
	in, ps := ReadTrialInputs("testdata/erprobung-so-01.txt")
	if ps != nil {
		t.Fatal(ps)
	}
	if len(in) != 3 || in[0].Line != 1 || in[1].Line != 5 || in[2].Expect[0] != "Weiterleistung" {
		t.Fatalf("inputs %+v", in)
	}
	if len(in[0].PII) != 0 || len(in[1].PII) != 0 {
		t.Errorf("personal data found in synthetic inputs: %+v %+v", in[0].PII, in[1].PII)
	}
	kinds := map[string]bool{}
	for _, f := range in[2].PII {
		kinds[f.Kind] = true
	}
	if !kinds[PIIName] || !kinds[PIIAddress] || !kinds[PIIIBAN] {
		t.Errorf("third input's findings %+v", in[2].PII)
	}
	data, b, err := TrialBundle(trialProcess(), trialTask(t), in, true, "1")
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != "erprobung-so-01" || len(b.Prompts) != 3 || b.AllowsCloud() {
		t.Fatalf("bundle %s, %d prompts, cloud %v (an input with personal data keeps it local)", b.ID, len(b.Prompts), b.AllowsCloud())
	}
	if got := bench.RunChecks(&b.Prompts[0], "Die E-Mail gehört zu: Nachweis nachgereicht. Die Unterlagen werden dem Antrag zugeordnet und geprüft."); !allPassed(got) {
		t.Errorf("a fitting answer fails: %+v", got)
	}
	if got := bench.RunChecks(&b.Prompts[0], "Als KI kann ich das nicht."); allPassed(got) {
		t.Error("a refusal passes the checks")
	}
	golden.Check(t, "erprobung-so-01.golden.yaml", data)
	// Without the personal data and with an AVV, the bundle may go to the cloud.
	_, b2, err := TrialBundle(trialProcess(), trialTask(t), in[:2], true, "1")
	if err != nil || !b2.AllowsCloud() {
		t.Fatalf("cloud %v, %v", b2 != nil && b2.AllowsCloud(), err)
	}
	_, b3, _ := TrialBundle(trialProcess(), trialTask(t), in[:2], false, "1")
	if b3.AllowsCloud() {
		t.Error("social data without an AVV may go to the cloud")
	}
}

func allPassed(rs []bench.CheckResult) bool {
	for _, r := range rs {
		if !r.Passed {
			return false
		}
	}
	return len(rs) > 0
}

func TestTrialInputsBad(t *testing.T) {
	for name, c := range map[string]struct{ text, want string }{
		"empty":        {"\n\n---\n", "trial.err.no_inputs"},
		"expect only":  {"erwartet: X\n---\nText\n", "trial.err.empty_input"},
		"latin1":       {"Stra\xdfe\n", "trial.err.not_utf8"},
		"too long one": {strings.Repeat("a", MaxTrialInputRunes+1), "trial.err.input_too_long"},
	} {
		_, ps := ParseTrialInputs(name+".txt", strings.NewReader(c.text))
		if len(ps) == 0 || ps[0].Msg.ID != "hotspot."+c.want {
			t.Errorf("%s: problems %v, want %s", name, ps, c.want)
		}
	}
	many := strings.Repeat("Text\n---\n", MaxTrialInputs+1)
	if _, ps := ParseTrialInputs("many.txt", strings.NewReader(many)); len(ps) == 0 || ps[0].Msg.ID != "hotspot.trial.err.too_many" {
		t.Errorf("too many inputs: %v", ps)
	}
}

func FuzzParseTrialInputs(f *testing.F) {
	f.Add([]byte("a\nerwartet: b\n---\nc"))
	f.Add([]byte("\xef\xbb\xbf---\n---\nerwartet:\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in, ps := ParseTrialInputs("f.txt", bytes.NewReader(b))
		if (in == nil) == (ps == nil) {
			t.Fatalf("inputs %v and problems %v", in, ps)
		}
		for _, x := range in {
			if strings.TrimSpace(x.Text) == "" || x.Line < 1 {
				t.Fatalf("bad input %+v", x)
			}
		}
	})
}

// TestTrialRunsInTheKITest runs the Erprobung bundle with the one KI-Test
// runner (bench.Execute) against the real pinned Ollama and records its
// pass rate and speed on the process, where Umsetzbarkeit counts it.
func TestTrialRunsInTheKITest(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "kc-trial", ollamatest.TinyShape, gguf.QuantQ8_0)
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, store.FileName), append([]store.Schema{Schema, TrialSchema}, bench.Schema)...)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := trialProcess()
	if ps, err := Save(ctx, db, p, []string{"klassifizieren"}); err != nil || ps != nil {
		t.Fatal(ps, err)
	}
	in, _ := ReadTrialInputs("testdata/erprobung-so-01.txt")
	data, _, err := TrialBundle(p, trialTask(t), in[:2], false, "1")
	if err != nil {
		t.Fatal(err)
	}
	path, err := WriteTrialBundle(dir, p.ID, data)
	if err != nil {
		t.Fatal(err)
	}
	// The KI-Test finds it among the municipality's bundles.
	cat, err := bench.LoadCatalogue(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := cat.Get(TrialBundleID(p.ID))
	if err != nil || b.Source != path {
		t.Fatalf("bundle %v from %v, want %s", err, b, path)
	}
	ep := bench.Endpoint{URL: srv.URL(), Runtime: bench.RuntimeOllama}
	res, err := bench.Execute(ctx, db, bench.Options{Endpoint: ep, Model: bench.ModelInfo{Name: "kc-trial"}, Bundle: b, Repeat: 1, Warmup: -1})
	if err != nil {
		t.Fatal(err)
	}
	latest, err := LatestTrialRun(ctx, db, p.ID)
	if err != nil || latest.RunID != res.RunID {
		t.Fatalf("latest trial run %v, %v; want %d", latest, err, res.RunID)
	}
	tr, err := RecordTrial(ctx, db, p.ID, latest, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := bench.Summarize(res)
	if tr.ChecksTotal != s.ChecksTotal || tr.ChecksTotal != 2*4 || tr.PassRate != float64(s.ChecksPassed)/float64(s.ChecksTotal) {
		t.Fatalf("trial %+v, run summary %+v", tr, s)
	}
	if tr.DecodeTPS == nil || *tr.DecodeTPS <= 0 {
		t.Errorf("no speed recorded: %+v", tr)
	}
	got, _, _ := Get(ctx, db, p.ID)
	if got.PassRate == nil || *got.PassRate != tr.PassRate {
		t.Fatalf("pass rate on the process %v, want %v", got.PassRate, tr.PassRate)
	}
	// It counts in Umsetzbarkeit.
	h := Score([]Process{got}, Inputs{Catalogue: &Catalogue{TaskTypes: []TaskType{trialTask(t)}}}).Hotspots[0]
	if rp := h.Parts[3]; !rp.Known || rp.Value != tr.PassRate {
		t.Errorf("readiness part %+v, want the pass rate %v", rp, tr.PassRate)
	}
	ts, err := Trials(ctx, db, p.ID)
	if err != nil || len(ts) != 1 || ts[0].RunID != res.RunID {
		t.Fatalf("trials %+v %v", ts, err)
	}
	// Pass rate and speed on the Steckbrief, where it says how the figures came about.
	latest2, err := LatestTrials(ctx, db)
	if err != nil || latest2[p.ID].RunID != res.RunID {
		t.Fatalf("latest trials %+v %v", latest2, err)
	}
	pf := Score([]Process{got}, Inputs{Catalogue: &Catalogue{TaskTypes: []TaskType{trialTask(t)}}})
	AttachTrials(&pf, latest2)
	html, err := SteckbriefHTML(&pf, p.ID, nil, Meta{Lang: "de", Created: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("KI-Test-Lauf %d, kc-trial, lokal): %d von %d Prüfungen bestanden", res.RunID, tr.ChecksPassed, tr.ChecksTotal)
	if !strings.Contains(string(html), want) || !strings.Contains(string(html), "Token/s.") {
		t.Errorf("Steckbrief lacks the trial %q", want)
	}
}

func TestAttachTrialsShowsOnTheSteckbrief(t *testing.T) {
	p := trialProcess()
	rate := 0.75
	p.PassRate = &rate
	pf := Score([]Process{p}, Inputs{Catalogue: &Catalogue{TaskTypes: []TaskType{trialTask(t)}}})
	speed := 12.34
	AttachTrials(&pf, map[string]Trial{p.ID: {ProcessID: p.ID, RunID: 7, Model: "llama3.2:3b", ChecksPassed: 6, ChecksTotal: 8,
		PassRate: 0.75, DecodeTPS: &speed, Recorded: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)}})
	for lang, want := range map[string]string{
		"de": "Erprobung (2026-12-04, KI-Test-Lauf 7, llama3.2:3b, lokal): 6 von 8 Prüfungen bestanden = 75 % Bestehensquote, 12,3 Token/s.",
		"en": "Trial (2026-12-04, KI-Test run 7, llama3.2:3b, local): 6 of 8 checks passed = 75 % pass rate, 12.3 tokens/s.",
	} {
		pf.Localize(lang)
		if got := pf.Hotspots[0].TraceText; !slices.Contains(got, want) {
			t.Errorf("%s trace %q lacks %q", lang, got, want)
		}
		pdf, err := SteckbriefPDF(&pf, p.ID, nil, Meta{Lang: lang, Created: time.Now()})
		if err != nil || len(pdf) == 0 {
			t.Fatalf("%s: PDF %v", lang, err)
		}
	}
}
