package webview

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/store"
)

// quickProbe keeps the probe short in tests; the steps are the same.
var quickProbe = probe.Options{BufferBytes: 16 << 20, Repetitions: 2, SkipCompute: true}

// env is a running view over a real SQLite database in a temporary data
// folder.
type env struct {
	t       testing.TB
	srv     *Server
	db      *store.DB
	dataDir string
	client  *http.Client
}

func newEnv(t testing.TB, mod func(*Options)) *env {
	t.Helper()
	dataDir := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dataDir, store.FileName), report.Schema, quiz.Schema, bench.Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	opts := Options{DataDir: dataDir, DB: db, Check: check.Options{Probe: quickProbe}, Probe: quickProbe}
	if mod != nil {
		mod(&opts)
	}
	srv, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	jar, _ := cookiejar.New(nil)
	return &env{t: t, srv: srv, db: db, dataDir: dataDir, client: &http.Client{Jar: jar, Timeout: time.Minute}}
}

// page is the body of a GET of path (after /TOKEN), following redirects.
func (e *env) get(path string) (int, string, string) {
	e.t.Helper()
	resp, err := e.client.Get(e.abs(path))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Request.URL.Path
}

// post sends a form (with the CSRF token) to path, following redirects.
func (e *env) post(path string, form url.Values) (int, string, string) {
	e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", e.srv.token)
	resp, err := e.client.PostForm(e.abs(path), form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Request.URL.Path
}

func (e *env) abs(path string) string {
	return "http://" + e.srv.host + "/" + e.srv.token + path
}

// after is path relative to /TOKEN of a full path.
func (e *env) after(full string) string { return strings.TrimPrefix(full, "/"+e.srv.token) }

// refreshRE finds the "Aktualisieren" link of a progress page.
var refreshRE = regexp.MustCompile(`<a class="button" href="([^"]+)">`)

// waitDone follows "Aktualisieren" from the page at path until the page is
// no longer a progress page (at most two minutes); every link it follows
// must differ from the page it is on (else the browser would not reload).
func (e *env) waitDone(path string) (string, string) {
	e.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	_, body, at := e.get(path)
	cur := path
	for time.Now().Before(deadline) {
		if !strings.Contains(body, `<progress id="bar"`) {
			return body, at
		}
		m := refreshRE.FindStringSubmatch(body)
		if m == nil {
			e.t.Fatalf("progress page without a refresh link: %s", text(body))
		}
		next := e.after(html.UnescapeString(m[1]))
		if next == cur {
			e.t.Fatalf("the refresh link %s is the page's own address", next)
		}
		cur = next
		_, body, at = e.get(strings.TrimSuffix(next, "#progress"))
	}
	e.t.Fatalf("%s still in progress after two minutes", path)
	return "", ""
}

var tagRE = regexp.MustCompile(`<[^>]+>`)

// text is the page's visible text, with whitespace collapsed.
func text(html string) string {
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(html, " ")), " ")
}

// testBundle has every question type the view renders; the self-rating
// bundle one statement.
func testBundle() (*quiz.Bundle, *quiz.Bundle) {
	b := &quiz.Bundle{ID: "ansicht", Version: "1", Title: "Ansichtstest", Questions: []quiz.Question{
		{ID: "q1", Type: quiz.Single, Text: "Welche Antwort ist richtig?", Area: "A1", Level: quiz.Grundlage,
			Answers: []quiz.Answer{{Text: "falsch A", Fraction: 0}, {Text: "richtig", Fraction: 1}, {Text: "falsch B", Fraction: 0}}},
		{ID: "q2", Type: quiz.Multi, Text: "Zwei sind richtig.", Area: "A1", Level: quiz.Grundlage,
			Answers: []quiz.Answer{{Text: "ja 1", Fraction: 0.5}, {Text: "nein", Fraction: -1}, {Text: "ja 2", Fraction: 0.5}}},
		{ID: "q3", Type: quiz.TrueFalse, Text: "Diese Aussage ist wahr.", Area: "A4", Level: quiz.Grundlage,
			Answers: []quiz.Answer{{Text: quiz.TrueText, Fraction: 1}, {Text: quiz.FalseText, Fraction: 0}}},
		{ID: "q4", Type: quiz.Numerical, Text: "Wie viel ist 600 geteilt durch 20?", Area: "A4", Level: quiz.Mittel,
			Numeric: []quiz.NumericAnswer{{Value: 30, Fraction: 1}}},
		{ID: "q5", Type: quiz.Short, Text: "Abkürzung für Auftragsverarbeitungsvertrag?", Area: "A5", Level: quiz.Grundlage,
			Answers: []quiz.Answer{{Text: "AVV", Fraction: 1}}},
		{ID: "q6", Type: quiz.Matching, Text: "Ordnen Sie zu.", Area: "A3", Level: quiz.Mittel,
			Pairs: []quiz.Pair{{Question: "Art. 4 KI-VO", Answer: "KI-Kompetenz"}, {Question: "Art. 28 DSGVO", Answer: "Auftragsverarbeitung"}, {Question: "Art. 9 DSGVO", Answer: "Besondere Kategorien"}}},
		{ID: "q7", Type: quiz.Essay, Text: "Beschreiben Sie eine Aufgabe, bei der KI helfen könnte.", Area: "A2", Level: quiz.Grundlage},
	}}
	self := &quiz.Bundle{ID: "ansicht-selbst", Version: "1", Title: "Selbst", Questions: []quiz.Question{
		{ID: "s1", Type: quiz.SelfRating, Text: "Ich kann erklären, was KI ist.", Area: "A1", Level: quiz.Grundlage,
			Scale: []string{"trifft nicht zu", "trifft eher nicht zu", "teils", "trifft eher zu", "trifft zu"}},
	}}
	return b, self
}

// startSession stores a session of the test bundle (answers in the
// bundle's order).
func (e *env) startSession(id string, cbm bool) *quizsession.Session {
	e.t.Helper()
	b, self := testBundle()
	s, _, err := quizsession.Start(context.Background(), e.db, b, self, quizsession.Options{ID: id, Title: "Ansichtstest " + id, Seed: 1, NoShuffle: true, CBM: cbm}, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}
