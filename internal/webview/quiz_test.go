package webview

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// A participant takes a quiz in the view: every question type as a form,
// the attempt stored and graded by quizsession, the result with the
// per-area table and the learning path.
func TestQuizStartToResult(t *testing.T) {
	e := newEnv(t, nil)
	s := e.startSession("ansicht-1", true)
	_, body, _ := e.get("/de/quiz")
	if !strings.Contains(body, "Ansichtstest ansicht-1") || !strings.Contains(body, `<fieldset id="f-session">`) {
		t.Fatalf("start form: %s", text(body))
	}
	// Missing pseudonym: the form again, with an error summary.
	code, body, _ := e.post("/de/quiz", url.Values{"session": {s.ID}, "pseudonym": {"  "}})
	if code != 422 || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, i18n.T("de", "quiz.pseudonym_missing")) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("empty pseudonym: %d %s", code, text(body))
	}
	code, body, at := e.post("/de/quiz", url.Values{"session": {s.ID}, "pseudonym": {"Falke"}, "role": {"it"}})
	if code != 200 || !strings.Contains(e.after(at), "/de/quiz/") {
		t.Fatalf("start: %d %s", code, text(body))
	}
	path := e.after(at)
	// Answers by question id, in the shown order (NoShuffle).
	answers := map[string]url.Values{
		"q1": {"a": {"1"}, "cbm": {"3"}},
		"q2": {"a": {"0", "2"}},
		"q3": {"a": {"0"}},
		"q4": {"text": {"30"}},
		"q5": {"text": {"AVV"}},
		"q6": {"m0": {"KI-Kompetenz"}, "m1": {"Auftragsverarbeitung"}, "m2": {"Besondere Kategorien"}},
		"q7": {"text": {"Anträge vorsortieren."}},
		"s1": {"a": {"4"}},
	}
	for i, it := range s.Items {
		if !strings.Contains(body, i18n.T("de", "quiz.item_head", map[string]any{"N": i + 1, "Of": len(s.Items), "Area": it.Question.Area, "Title": it.Question.DisplayTitle()})) {
			t.Fatalf("question %d not shown: %s", i+1, text(body))
		}
		f := answers[it.Question.ID]
		f.Set("pos", itoa(i))
		_, body, _ = e.post(path, f)
		// The same form again (a reload) changes nothing.
		if i == 0 {
			_, body, _ = e.post(path, f)
		}
	}
	plain := text(body)
	for _, want := range []string{i18n.T("de", "quiz.result_heading", map[string]any{"Pseudonym": "Falke"}), i18n.T("de", "quiz.areas_heading")} {
		if !strings.Contains(plain, want) {
			t.Errorf("result lacks %q:\n%s", want, plain)
		}
	}
	as, err := quizsession.Attempts(context.Background(), e.db, s.ID)
	if err != nil || len(as) != 1 {
		t.Fatalf("attempts %v %v", as, err)
	}
	a := as[0]
	if a.Pseudonym != "Falke" || a.Role != "it" || a.Score != a.MaxScore || a.MaxScore == 0 || a.CBMMark == nil {
		t.Errorf("stored attempt: %+v", a)
	}
	if a.Answers[0].Certainty != 3 {
		t.Errorf("certainty %d", a.Answers[0].Certainty)
	}
	if !strings.Contains(plain, i18n.T("de", "quiz.result_total", map[string]any{"Score": i18n.Short("de", a.Score), "Max": i18n.Short("de", a.MaxScore), "Pct": "100", "Role": i18n.T("de", "quiz.role_it")})) &&
		!strings.Contains(plain, i18n.Short("de", a.Score)+" von "+i18n.Short("de", a.MaxScore)) {
		t.Errorf("total missing:\n%s", plain)
	}
	// The pseudonym is taken now.
	code, body, _ = e.post("/de/quiz", url.Values{"session": {s.ID}, "pseudonym": {"Falke"}})
	if code != 422 || !strings.Contains(text(body), i18n.T("de", "quizsession.taken", map[string]any{"Name": "Falke", "ID": s.ID})) {
		t.Errorf("taken pseudonym: %d %s", code, text(body))
	}
}

// Wrong answers leave gaps: the learning path recommends modules.
func TestQuizLearningPath(t *testing.T) {
	e := newEnv(t, nil)
	s := e.startSession("ansicht-2", false)
	_, _, at := e.post("/en/quiz", url.Values{"session": {s.ID}, "pseudonym": {"Owl"}})
	path := e.after(at)
	var body string
	for i := range s.Items {
		_, body, _ = e.post(path, url.Values{"pos": {itoa(i)}, "a": {"0"}})
	}
	plain := text(body)
	if !strings.Contains(plain, "Result of Owl") || !strings.Contains(plain, "Your learning path") || strings.Contains(plain, i18n.T("en", "quiz.path_none")) {
		t.Errorf("result:\n%s", plain)
	}
}

func TestQuizWithoutSessions(t *testing.T) {
	e := newEnv(t, nil)
	_, body, _ := e.get("/de/quiz")
	if !strings.Contains(text(body), i18n.T("de", "webview.no_open_sessions")) {
		t.Errorf("%s", text(body))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// With a time limit the page names the end; an answer sent after it ends
// the attempt as timed out, with the answers given before.
func TestQuizTimeLimit(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.Local)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, func(o *Options) { o.Now = clock })
	b, self := testBundle()
	s, _, err := quizsession.Start(context.Background(), e.db, b, self, quizsession.Options{ID: "zeit-1", Seed: 1, NoShuffle: true, TimeLimit: 5 * time.Minute}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, body, at := e.post("/de/quiz", url.Values{"session": {s.ID}, "pseudonym": {"Eule"}})
	path := e.after(at)
	if !strings.Contains(text(body), i18n.T("de", "webview.time_until", map[string]any{"Time": "10:05"})) {
		t.Fatalf("no end time: %s", text(body))
	}
	e.post(path, url.Values{"pos": {"0"}, "a": {"1"}})
	mu.Lock()
	now = now.Add(6 * time.Minute)
	mu.Unlock()
	_, body, _ = e.post(path, url.Values{"pos": {"1"}, "a": {"0"}})
	if !strings.Contains(text(body), i18n.T("de", "quiz.time_up")) {
		t.Fatalf("after the limit: %s", text(body))
	}
	as, err := quizsession.Attempts(context.Background(), e.db, s.ID)
	if err != nil || len(as) != 1 || !as[0].TimedOut || len(as[0].Answers) == 0 || !as[0].Answers[0].Answered {
		t.Fatalf("stored: %+v %v", as, err)
	}
}
