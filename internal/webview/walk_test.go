package webview

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/axetest"
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/report"
)

// walkResult is what scripts/a11y/walk.mjs prints.
type walkResult struct {
	Check struct {
		Refreshes int      `json:"refreshes"`
		Verdict   string   `json:"verdict"`
		Sentence  string   `json:"sentence"`
		Verdicts  []string `json:"verdicts"`
		Downloads []string `json:"downloads"`
	} `json:"check"`
	Quiz struct {
		Session   string   `json:"session"`
		Role      string   `json:"role"`
		Questions []string `json:"questions"`
		Heading   string   `json:"heading"`
		Total     string   `json:"total"`
		Path      []string `json:"path"`
	} `json:"quiz"`
	Clicks int            `json:"clicks"`
	Error  string         `json:"error"`
	Log    []string       `json:"log"`
	Keys   map[string]int `json:"keys"`
}

// A keyboard-only walk in the real Chromium (Tab, Enter, Space, arrow
// keys, typing; no clicks): the check from the start page to its result
// and export, and a quiz from choosing the session to the result with
// every answer right.
func TestKeyboardWalk(t *testing.T) {
	e := newEnv(t, nil)
	e.startSession("walk-a", true) // the one taken: second in the list
	e.startSession("walk-b", false)
	plan := map[string]any{
		"pseudonym":     "Falke",
		"sessionArrows": 1,
		"roleArrows":    3, // Anwender:in → IT
		"answers": []map[string]any{
			{"kind": "radio", "pick": []int{1}, "cbm": 3},
			{"kind": "checkbox", "pick": []int{0, 2}, "cbm": 2},
			{"kind": "radio", "pick": []int{0}, "cbm": 3},
			{"kind": "text", "text": "30", "cbm": 3},
			{"kind": "text", "text": "AVV", "cbm": 3},
			{"kind": "matching", "pick": []int{0, 1, 2}, "cbm": 3},
			{"kind": "text", "text": "Anträge vorsortieren."},
			{"kind": "radio", "pick": []int{4}},
		},
	}
	pf := filepath.Join(t.TempDir(), "plan.json")
	b, _ := json.Marshal(plan)
	if err := os.WriteFile(pf, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out := axetest.RunScript(t, 5*time.Minute, "walk.mjs", e.srv.URLIn("de"), pf)
	var w walkResult
	if err := json.Unmarshal(out, &w); err != nil {
		t.Fatalf("walk.mjs printed %q: %v", out, err)
	}
	for _, l := range w.Log {
		t.Log(l)
	}
	t.Logf("keys pressed: %v", w.Keys)
	if w.Error != "" {
		t.Fatalf("walk: %s", w.Error)
	}
	if w.Clicks != 0 {
		t.Errorf("%d clicks", w.Clicks)
	}
	for _, k := range []string{"Tab", "Enter", "Space", "ArrowDown"} {
		if w.Keys[k] == 0 {
			t.Errorf("the walk did not use %s", k)
		}
	}

	// The check's result is the stored report's, in the window's words.
	e.srv.mu.Lock()
	var rep *report.Report
	for _, j := range e.srv.checks {
		if cr, ok := j.check.(*check.Result); ok {
			rep = cr.Report
		}
	}
	e.srv.mu.Unlock()
	if rep == nil {
		t.Fatal("no check ran")
	}
	if want := i18n.T("de", "checkflow.result", map[string]any{"Level": levelText("de", rep.Summary.Overall)}); w.Check.Verdict != want {
		t.Errorf("verdict %q, want %q", w.Check.Verdict, want)
	}
	if w.Check.Sentence != overallText("de", rep.Summary.Overall) || len(w.Check.Verdicts) != len(rep.Summary.Verdicts) {
		t.Errorf("result %q with %d verdicts (report: %d)", w.Check.Sentence, len(w.Check.Verdicts), len(rep.Summary.Verdicts))
	}
	if len(w.Check.Downloads) != 4 || !strings.HasSuffix(w.Check.Downloads[0], ".json") {
		t.Errorf("downloads %v", w.Check.Downloads)
	}

	// The quiz: the session chosen with the arrow keys, every answer
	// right, stored and shown.
	if !strings.Contains(w.Quiz.Session, "walk-a") || w.Quiz.Role != i18n.T("de", "quiz.role_it") || len(w.Quiz.Questions) != 8 {
		t.Errorf("session %q, role %q, %d questions", w.Quiz.Session, w.Quiz.Role, len(w.Quiz.Questions))
	}
	as, err := quizsession.Attempts(context.Background(), e.db, "walk-a")
	if err != nil || len(as) != 1 {
		t.Fatalf("attempts: %v %v", as, err)
	}
	a := as[0]
	if a.Pseudonym != "Falke" || a.Role != "it" || a.MaxScore == 0 || a.Score != a.MaxScore {
		t.Errorf("stored attempt: score %v of %v, role %s", a.Score, a.MaxScore, a.Role)
	}
	if w.Quiz.Heading != i18n.T("de", "quiz.result_heading", map[string]any{"Pseudonym": "Falke"}) ||
		!strings.Contains(w.Quiz.Total, "(100 %)") || !strings.Contains(w.Quiz.Total, i18n.T("de", "quiz.role_it")) {
		t.Errorf("result %q: %q", w.Quiz.Heading, w.Quiz.Total)
	}
}
