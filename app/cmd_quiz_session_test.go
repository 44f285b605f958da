package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/golden"

	"github.com/ki-reise/kicheck/internal/quizsession"
)

func kicheckSession(t *testing.T, dataDir, input string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := mainWith(context.Background(), append([]string{"--data-dir", dataDir, "--lang", "de"}, args...), strings.NewReader(input), &out, &errb)
	return out.String(), errb.String(), code
}

// The trainer's whole flow on the command line: start a session, two
// participants answer on this PC, one on a laptop whose exported result is
// merged (twice), then result, stats, evidence and deletion.
func TestQuizSessionCLI(t *testing.T) {
	trainer, laptop := t.TempDir(), t.TempDir()
	start := []string{"quiz", "session", "start", "--quiz", "ki-grundlagen", "--id", "kurs-1", "--seed", "2026", "--draw", "A1/grundlage=2,A4/grundlage=1", "--cbm", "--json"}
	out, errOut, code := kicheckSession(t, trainer, "", start...)
	if code != 0 {
		t.Fatalf("start: %d %s", code, errOut)
	}
	var started struct {
		Items int   `json:"items"`
		Seed  int64 `json:"seed"`
	}
	json.Unmarshal([]byte(out), &started)
	if started.Items != 3 || started.Seed != 2026 {
		t.Fatalf("start: %s", out)
	}
	if _, _, code := kicheckSession(t, laptop, "", start...); code != 0 {
		t.Fatal("start on the laptop")
	}

	// Answers: three items (each with a certainty), then the self-ratings.
	// "9" is out of range → unanswered; EOF ends the self-ratings.
	for _, p := range []struct{ dir, name, input string }{
		{trainer, "Falke", "1\n3\n1\n3\n1\n3\n5\n"},
		{trainer, "Eule", "9\n\n\n"},
		{laptop, "Kranich", "2\n2\n2\n2\n2\n2\n"},
	} {
		out, errOut, code := kicheckSession(t, p.dir, p.input, "quiz", "session", "answer", "kurs-1", "--pseudonym", p.name, "--role", "fachverantwortlich")
		if code != 0 || !strings.Contains(out, "Gespeichert für "+p.name) {
			t.Fatalf("answer %s: %d %s %s", p.name, code, out, errOut)
		}
	}
	_, errOut, code = kicheckSession(t, trainer, "", "quiz", "session", "answer", "kurs-1", "--pseudonym", "Falke")
	if code != 1 || !strings.Contains(errOut, "hint: bitte ein anderes Pseudonym wählen") {
		t.Errorf("same pseudonym twice: %d %s", code, errOut)
	}

	file := filepath.Join(t.TempDir(), "kranich.json")
	if _, errOut, code := kicheckSession(t, laptop, "", "quiz", "session", "export", "kurs-1", "Kranich", "--out", file); code != 0 {
		t.Fatal(errOut)
	}
	out, _, code = kicheckSession(t, trainer, "", "quiz", "merge", file)
	if code != 0 || !strings.Contains(out, "Kranich in Sitzung kurs-1 übernommen") {
		t.Errorf("merge: %d %s", code, out)
	}
	out, _, code = kicheckSession(t, trainer, "", "quiz", "merge", file)
	if code != 0 || !strings.Contains(out, "bereits übernommen") {
		t.Errorf("merge twice: %d %s", code, out)
	}

	out, _, code = kicheckSession(t, trainer, "", "quiz", "session", "list", "--json")
	var list []struct{ Participants int }
	json.Unmarshal([]byte(out), &list)
	if code != 0 || len(list) != 1 || list[0].Participants != 3 {
		t.Errorf("list: %s", out)
	}
	// The text list speaks the user's language: status and date.
	out, _, code = kicheckSession(t, trainer, "", "quiz", "session", "list")
	if code != 0 || !strings.Contains(out, "kurs-1") || !strings.Contains(out, " offen ") || !dateTime.MatchString(out) || strings.Contains(out, " open ") {
		t.Errorf("list (German): %d %s", code, out)
	}

	out, _, code = kicheckSession(t, trainer, "", "quiz", "result", "Eule")
	if code != 0 {
		t.Errorf("result: %d\n%s", code, out)
	}
	golden.CheckString(t, "quiz-result.de.golden", stableDates(out))
	out, _, code = kicheckSession(t, trainer, "", "quiz", "result", "Eule", "--json")
	var res []struct {
		Score      float64
		Evaluation struct{ Recommendations []any }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || len(res) != 1 || res[0].Score != 0 || len(res[0].Evaluation.Recommendations) == 0 {
		t.Errorf("result --json: %v %s", err, out)
	}

	out, _, code = kicheckSession(t, trainer, "", "quiz", "stats", "kurs-1", "--csv")
	if code != 0 {
		t.Errorf("stats csv: %d\n%s", code, out)
	}
	golden.CheckString(t, "quiz-stats.csv.golden", stableDates(out))
	out, _, code = kicheckSession(t, trainer, "", "quiz", "stats", "kurs-1")
	if code != 0 {
		t.Errorf("stats: %d\n%s", code, out)
	}
	golden.CheckString(t, "quiz-stats.de.golden", stableDates(out))

	evid := filepath.Join(t.TempDir(), "nachweis.md")
	if _, errOut, code := kicheckSession(t, trainer, "", "quiz", "evidence", "kurs-1", "--out", evid); code != 0 {
		t.Fatal(errOut)
	}
	md, err := os.ReadFile(evid)
	if err != nil {
		t.Fatal(err)
	}
	golden.CheckString(t, "quiz-evidence.de.md.golden", stableDates(string(md)))

	out, _, code = kicheckSession(t, trainer, "", "quiz", "delete-participant", "Falke")
	if code != 0 || !strings.Contains(out, "1 Teilnahme(n) von Falke") {
		t.Errorf("delete: %d %s", code, out)
	}
	_, errOut, code = kicheckSession(t, trainer, "", "quiz", "result", "Falke")
	if code != 1 || !strings.Contains(errOut, "Das Pseudonym „Falke“ hat nicht teilgenommen.") {
		t.Errorf("result after delete: %d %s", code, errOut)
	}
}

func TestQuizSessionCLIBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"quiz", "session", "start"}, 2, "braucht --quiz"},
		{[]string{"quiz", "session", "start", "--quiz", "gibt-es-nicht"}, 1, "hint: eines davon angeben: datenschutz-ki-verordnung"},
		{[]string{"quiz", "session", "start", "--quiz", "ki-grundlagen", "--draw", "A1/experte=2"}, 2, "jede Regel als BEREICH/STUFE=N"},
		{[]string{"quiz", "session", "answer", "nirgends", "--pseudonym", "X"}, 1, "Die Sitzung „nirgends“ gibt es nicht."},
		{[]string{"quiz", "session", "answer", "x", "--pseudonym", "X", "--role", "chef"}, 2, "--role"},
		{[]string{"quiz", "stats"}, 2, "Aufruf: kicheck quiz stats SITZUNG"},
		{[]string{"quiz", "bogus"}, 2, `unbekannter Unterbefehl "bogus" von kicheck quiz`},
	} {
		_, errOut, code := kicheckSession(t, dir, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: code %d, stderr %q; want %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"format":"kicheck-quiz-result/1","hash":"sha256:00"}`), 0o600)
	_, errOut, code := kicheckSession(t, dir, "", "quiz", "merge", bad)
	if code != 1 || !strings.Contains(errOut, "Die Prüfsumme passt nicht zum Inhalt") || !strings.Contains(errOut, "hint:") {
		t.Errorf("merge bad file: %d %s", code, errOut)
	}
}

// The time limit ends the CLI attempt: after it passes no question is
// asked, the answers so far are kept and the attempt is marked.
func TestAnswerInteractivelyTimeLimit(t *testing.T) {
	lib, err := quizsession.LoadLibrary("")
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := lib.Resolve("ki-grundlagen")
	s, err := quizsession.Plan(b, nil, quizsession.Options{ID: "t", Seed: 1, TimeLimit: 2 * time.Minute}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// A clock that moves one minute per look.
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { now = now.Add(time.Minute); return now }
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(strings.Repeat("1\n", 30)), stdout: &out, stderr: &out, lang: "de"}
	a, err := answerInteractively(context.Background(), e, s, sessionAnswerOptions{Pseudonym: "Uhr", Role: "it"}, clock)
	if err != nil {
		t.Fatal(err)
	}
	// Started 9:01; question 1 asked at 9:02 (≤ 9:03 deadline), question 2
	// at 9:03, then 9:04 is past the deadline.
	if !a.TimedOut || len(a.Answers) != 2 || !strings.Contains(out.String(), "Die Zeit ist abgelaufen") {
		t.Errorf("timed out %v, %d answers\n%s", a.TimedOut, len(a.Answers), out.String())
	}
}

// TestQuizSessionStartShowsLegalAsOf: a trainer starting a session sees
// the Rechtsstand of the questions, in the chosen language.
func TestQuizSessionStartShowsLegalAsOf(t *testing.T) {
	dir := t.TempDir()
	for lang, want := range map[string]string{"de": "Rechtsstand der Fragen: 04.12.2026", "en": "Legal status of the questions: 4 Dec 2026"} {
		out, errOut, code := kicheckSession(t, dir, "", "--lang", lang, "quiz", "session", "start", "--quiz", "datenschutz-ki-verordnung")
		if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "Digital Omnibus") {
			t.Errorf("%s: %d %q\n%s", lang, code, out, errOut)
		}
	}
}

// stableDates replaces the moments a test run produces (the session's
// start, an answer's time) with a mark, so that golden files hold the
// rest: "04.12.2026 23:05" and "2026-12-04T23:05:09Z" become "<Zeitpunkt>".
// Dates without a time (a Rechtsstand) stay.
func stableDates(s string) string {
	s = rfc3339.ReplaceAllString(s, "<Zeitpunkt>")
	return dateTime.ReplaceAllString(s, "<Zeitpunkt>")
}

var (
	rfc3339  = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?`)
	dateTime = regexp.MustCompile(`\d{2}\.\d{2}\.\d{4},? \d{2}:\d{2}( Uhr)?`)
)
