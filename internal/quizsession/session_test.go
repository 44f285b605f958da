package quizsession

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/store"
)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName), quiz.Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func packaged(t *testing.T, id string) *quiz.Bundle {
	t.Helper()
	bs, err := quiz.LoadBundles(bundles.Quizzes, "quizzes")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.ID == id {
			return b
		}
	}
	t.Fatalf("no packaged bundle %s", id)
	return nil
}

var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// right answers q fully correctly (wrong=false) or with a wrong choice.
func respond(q *quiz.Question, right bool) quiz.Response {
	best := func() (int, int) {
		hi, lo := 0, 0
		for i, a := range q.Answers {
			if a.Fraction > q.Answers[hi].Fraction {
				hi = i
			}
			if a.Fraction < q.Answers[lo].Fraction {
				lo = i
			}
		}
		return hi, lo
	}
	switch q.Type {
	case quiz.Single, quiz.TrueFalse:
		hi, lo := best()
		if right {
			return quiz.Response{Choices: []int{hi}}
		}
		return quiz.Response{Choices: []int{lo}}
	case quiz.Multi:
		var cs []int
		for i, a := range q.Answers {
			if (a.Fraction > 0) == right {
				cs = append(cs, i)
			}
		}
		return quiz.Response{Choices: cs}
	case quiz.Short:
		if right {
			return quiz.Response{Text: q.Answers[0].Text}
		}
		return quiz.Response{Text: "keine Ahnung"}
	case quiz.Numerical:
		if right {
			// German decimal comma, as participants type it.
			return quiz.Response{Text: strings.ReplaceAll(strconv.FormatFloat(q.Numeric[0].Value, 'f', -1, 64), ".", ",")}
		}
		return quiz.Response{Text: "-99999"}
	case quiz.Matching:
		var m []string
		for _, p := range q.SubQuestions() {
			if right {
				m = append(m, p.Answer)
			} else {
				m = append(m, "")
			}
		}
		return quiz.Response{Matches: m}
	}
	return quiz.Response{}
}

func attempt(s *Session, pseudonym string, role quiz.Role, right func(i int, q *quiz.Question) bool, rating int) *Attempt {
	a := &Attempt{SessionID: s.ID, Pseudonym: pseudonym, Role: role, Started: now, Finished: now.Add(10 * time.Minute)}
	for i, sh := range s.Present(pseudonym) {
		q := sh.Question
		ans := Answer{Position: sh.Position, QID: q.ID, Shown: sh.Order, Answered: true}
		if q.Type == quiz.SelfRating {
			ans.Response = quiz.Response{Rating: rating}
		} else {
			ans.Response = respond(&q, right(i, &q))
		}
		if s.CBM && q.Type.Scored() {
			ans.Certainty = 2
		}
		a.Answers = append(a.Answers, ans)
	}
	return a
}

func TestPlanIsReproducible(t *testing.T) {
	b, self := packaged(t, "ki-grundlagen"), packaged(t, "ki-grundlagen-selbst")
	opts := Options{ID: "kurs-1", Seed: 42, PerCell: 1}
	s1, err := Plan(b, self, opts, now)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := Plan(b, self, opts, now)
	if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(s1.Present("Falke"), s2.Present("Falke")) {
		t.Fatal("same bundle, options and seed gave different sessions")
	}
	// One item per area × level cell: count the cells of the bundle.
	cells := map[Cell]bool{}
	for _, q := range b.Questions {
		cells[Cell{q.Area, q.Level}] = true
	}
	if got := len(s1.Knowledge()); got != len(cells) {
		t.Errorf("%d items drawn, want one per cell = %d", got, len(cells))
	}
	if s1.Draw != "per-cell=1" || s1.Seed != 42 {
		t.Errorf("draw %q seed %d", s1.Draw, s1.Seed)
	}
	// Another seed draws differently (at least one cell has several items).
	s3, _ := Plan(b, self, Options{ID: "kurs-1", Seed: 43, PerCell: 1}, now)
	if reflect.DeepEqual(ids(s1), ids(s3)) {
		t.Error("seeds 42 and 43 drew the same items")
	}
	// Answer order differs between participants but is stable for one.
	if reflect.DeepEqual(s1.Present("Falke"), s1.Present("Eule")) {
		t.Error("two participants see identical option orders everywhere")
	}
	// Self-ratings only for areas the drawn items test.
	areas := map[string]bool{}
	for _, it := range s1.Knowledge() {
		areas[it.Question.Area] = true
	}
	for _, it := range s1.SelfRatings() {
		if !areas[it.Question.Area] {
			t.Errorf("self-rating %s for untested area %s", it.Question.ID, it.Question.Area)
		}
	}
	// Without drawing, every item of the bundle is asked in bundle order.
	all, _ := Plan(b, nil, Options{Seed: 1}, now)
	if len(all.Knowledge()) != len(b.Questions) || all.Knowledge()[0].Question.ID != b.Questions[0].ID {
		t.Errorf("all: %d items", len(all.Knowledge()))
	}
	// Named cells only.
	perCell, drawCells, err := ParseDraw("A1/grundlage=2")
	if err != nil {
		t.Fatal(err)
	}
	named, err := Plan(b, nil, Options{Seed: 5, PerCell: perCell, Draw: drawCells}, now)
	if err != nil || len(named.Knowledge()) != 2 || named.Knowledge()[0].Question.Area != "A1" {
		t.Errorf("named cells: %v %v", err, ids(named))
	}
	if _, err := Plan(b, nil, Options{Draw: map[Cell]int{{"A9", quiz.Mittel}: 1}}, now); err == nil {
		t.Error("a cell without items was accepted")
	}
	if _, _, err := ParseDraw("A1/experte=2"); err == nil {
		t.Error("unknown level accepted")
	}
}

func ids(s *Session) []string {
	var out []string
	for _, it := range s.Items {
		out = append(out, it.Question.ID)
	}
	return out
}

// CBM marks, Moodle's table: certainty 1/2/3 → right 1/2/3, wrong 0/−2/−6;
// partial credit scales the right mark.
func TestCBMMark(t *testing.T) {
	tests := []struct {
		fraction  float64
		certainty int
		want      float64
	}{
		{1, 1, 1}, {1, 2, 2}, {1, 3, 3},
		{0, 1, 0}, {0, 2, -2}, {0, 3, -6},
		{-0.5, 3, -6}, // a negative fraction is wrong
		{0.5, 3, 1.5}, // half right at certainty 3: 3 × 0.5
		{0.5, 0, 0.5}, // no certainty: the plain fraction
	}
	for _, tt := range tests {
		if got := CBMMark(tt.fraction, tt.certainty); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("CBMMark(%v, %d) = %v, want %v", tt.fraction, tt.certainty, got, tt.want)
		}
	}
}

func TestSessionLifecycle(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	b, self := packaged(t, "ki-grundlagen"), packaged(t, "ki-grundlagen-selbst")
	s, err := Plan(b, self, Options{ID: "kurs-1", Seed: 7, CBM: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := Create(ctx, db, s); err != nil {
		t.Fatal(err)
	}
	if err := Create(ctx, db, s); err == nil {
		t.Error("duplicate session id accepted")
	}
	stored, err := Get(ctx, db, "kurs-1")
	if err != nil {
		t.Fatal(err)
	}
	stored.Created = s.Created
	if stored.ContentHash != s.ContentHash || contentHash(stored.Items) != s.ContentHash {
		t.Error("stored session does not reproduce its content hash")
	}

	n := len(s.Knowledge())
	allRight := func(int, *quiz.Question) bool { return true }
	allWrong := func(int, *quiz.Question) bool { return false }
	firstHalf := func(i int, _ *quiz.Question) bool { return i < n/2 }
	for _, p := range []struct {
		name   string
		right  func(int, *quiz.Question) bool
		rating int
	}{{"Falke", allRight, 4}, {"Eule", allWrong, 4}, {"Dachs", firstHalf, 2}} {
		if err := SaveAttempt(ctx, db, stored, attempt(stored, p.name, quiz.Anwender, p.right, p.rating)); err != nil {
			t.Fatal(p.name, err)
		}
	}
	var ce *ConflictError
	if err := SaveAttempt(ctx, db, stored, attempt(stored, "Falke", quiz.Anwender, allRight, 0)); !errors.As(err, &ce) {
		t.Errorf("second attempt under the same pseudonym: %v", err)
	}
	as, err := Attempts(ctx, db, "kurs-1")
	if err != nil || len(as) != 3 {
		t.Fatal(err, len(as))
	}
	byName := map[string]Attempt{}
	for _, a := range as {
		byName[a.Pseudonym] = a
	}
	// Falke: every knowledge item right at certainty 2 → score n, CBM 2n.
	if f := byName["Falke"]; f.Score != float64(n) || f.MaxScore != float64(n) || f.CBMMark == nil || *f.CBMMark != float64(2*n) {
		t.Errorf("Falke: score %v/%v cbm %v, want %d/%d cbm %d", f.Score, f.MaxScore, deref(f.CBMMark), n, n, 2*n)
	}
	// Eule: every item wrong at certainty 2 → score 0, CBM −2n.
	if e := byName["Eule"]; e.Score != 0 || *e.CBMMark != float64(-2*n) {
		t.Errorf("Eule: score %v cbm %v", e.Score, deref(e.CBMMark))
	}

	rep, err := Stats(ctx, db, "kurs-1")
	if err != nil {
		t.Fatal(err)
	}
	if rep.N != 3 || len(rep.Items) != n || len(rep.Warnings) == 0 {
		t.Errorf("stats: n=%d items=%d warnings=%v", rep.N, len(rep.Items), rep.Warnings)
	}
	// The first item: Falke and Dachs right, Eule wrong → facility 2/3.
	if math.Abs(rep.Items[0].Facility-2.0/3) > 1e-9 {
		t.Errorf("item 1 facility %v", rep.Items[0].Facility)
	}

	content, err := learning.Load("")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Results(ctx, db, content, "Eule", "")
	if err != nil || len(rs) != 1 {
		t.Fatal(err)
	}
	ev := rs[0].Evaluation
	if len(ev.Recommendations) == 0 {
		t.Error("all wrong but no module recommended")
	}
	for _, a := range ev.Areas {
		// Areas with a self-rating: rated at the top, knew nothing → "higher".
		if a.Items > 0 && (a.Level != "" || (a.SelfRating != nil && a.GapVerdict != "higher")) {
			t.Errorf("Eule area %s: level %q gap %q (all wrong, rated herself at the top)", a.Area, a.Level, a.GapVerdict)
		}
	}

	evid, err := BuildEvidence(ctx, db, content, "kurs-1", false)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	WriteEvidenceMarkdown(&md, evid, "de")
	for _, want := range []string{"Art. 4", "ki-grundlagen@1.0.0", s.ContentHash, "| Falke |", "pseudonymisiert"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("evidence lacks %q:\n%s", want, md.String())
		}
	}

	if err := Finish(ctx, db, "kurs-1", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	fin, _ := Get(ctx, db, "kurs-1")
	if err := SaveAttempt(ctx, db, fin, attempt(fin, "Igel", quiz.Anwender, allRight, 0)); !errors.As(err, &ce) {
		t.Errorf("attempt in a finished session: %v", err)
	}
}

func countRows(t *testing.T, db *store.DB, table string) int {
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExportMergeAndDelete(t *testing.T) {
	ctx := context.Background()
	b, self := packaged(t, "datenschutz-ki-verordnung"), packaged(t, "datenschutz-ki-verordnung-selbst")
	opts := Options{ID: "kurs-2", Seed: 99, PerCell: 2, TimeLimit: 20 * time.Minute}

	// Laptop of a participant: same session from the same seed.
	laptop := openDB(t)
	sl, _ := Plan(b, self, opts, now)
	if err := Create(ctx, laptop, sl); err != nil {
		t.Fatal(err)
	}
	if err := SaveAttempt(ctx, laptop, sl, attempt(sl, "Kranich", quiz.Fuehrungskraft, func(int, *quiz.Question) bool { return true }, 3)); err != nil {
		t.Fatal(err)
	}
	data, err := Export(ctx, laptop, "kurs-2", "Kranich")
	if err != nil {
		t.Fatal(err)
	}
	// Merging into the PC it came from finds it there already.
	out, err := Merge(ctx, laptop, "kranich.json", data)
	if err != nil || out.Added {
		t.Errorf("merge into the origin: %+v %v", out, err)
	}

	// Trainer PC without the session: the file creates it.
	trainer := openDB(t)
	out, err = Merge(ctx, trainer, "kranich.json", data)
	if err != nil || !out.Added || !out.SessionCreated {
		t.Fatalf("first merge: %+v %v", out, err)
	}
	out, err = Merge(ctx, trainer, "kranich.json", data)
	if err != nil || out.Added {
		t.Errorf("second merge: %+v %v", out, err)
	}
	if got := countRows(t, trainer, "quiz_attempts"); got != 1 {
		t.Errorf("%d attempts after merging twice", got)
	}
	as, _ := Attempts(ctx, trainer, "kurs-2")
	if as[0].Source != SourceMerged || as[0].Role != quiz.Fuehrungskraft || as[0].Score != as[0].MaxScore {
		t.Errorf("merged attempt %+v", as[0])
	}

	// A changed file is refused.
	tampered := bytes.Replace(data, []byte(`"pseudonym": "Kranich"`), []byte(`"pseudonym": "Kraniche"`), 1)
	var fe *FileError
	if _, err := Merge(ctx, trainer, "x.json", tampered); !errors.As(err, &fe) || !strings.Contains(err.Error(), "hash") {
		t.Errorf("tampered file: %v", err)
	}
	// A session of the same id with another seed conflicts.
	other := openDB(t)
	so, _ := Plan(b, self, Options{ID: "kurs-2", Seed: 100, PerCell: 2}, now)
	Create(ctx, other, so)
	var ce *ConflictError
	if _, err := Merge(ctx, other, "kranich.json", data); !errors.As(err, &ce) {
		t.Errorf("conflicting session: %v", err)
	}

	// Delete the participant: attempt and answers go, the session stays.
	if countRows(t, trainer, "quiz_answers") == 0 {
		t.Fatal("no answers stored")
	}
	n, err := DeleteParticipant(ctx, trainer, "Kranich", "")
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if a, q := countRows(t, trainer, "quiz_attempts"), countRows(t, trainer, "quiz_answers"); a != 0 || q != 0 {
		t.Errorf("after delete: %d attempts, %d answers", a, q)
	}
	if _, err := Get(ctx, trainer, "kurs-2"); err != nil {
		t.Errorf("session gone with the participant: %v", err)
	}
	var nf *NotFoundError
	if _, err := DeleteParticipant(ctx, trainer, "Kranich", ""); !errors.As(err, &nf) {
		t.Errorf("second delete: %v", err)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// A session on a bundle imported into the bank (here: from GIFT) links
// every item to the bank's stored question.
func TestStartFromBank(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	qs, errs := quiz.ParseGIFT("kurs.gift", []byte("::F1:: Ist 2+2=4? {T}\n\n::F2:: Hauptstadt von Sachsen-Anhalt? {=Magdeburg ~Halle ~Dessau}\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b := quiz.BundleFromQuestions("kurs.gift", "kurs", "1", "Kurs", qs)
	if _, _, err := quiz.StoreBundle(ctx, db, b, "kurs.gift", "gift"); err != nil {
		t.Fatal(err)
	}
	lib, err := LoadLibrary("")
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.AddBank(ctx, db); err != nil {
		t.Fatal(err)
	}
	kb, self, err := lib.Resolve("kurs")
	if err != nil || self != nil {
		t.Fatal(err, self)
	}
	s, warnings, err := Start(ctx, db, kb, nil, Options{ID: "gift-1", Seed: 3}, now)
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	var linked int
	db.QueryRow(`SELECT COUNT(*) FROM quiz_session_items WHERE question_pk IS NOT NULL`).Scan(&linked)
	if linked != 2 || len(s.Items) != 2 {
		t.Errorf("%d of %d items linked to the bank", linked, len(s.Items))
	}
	// The packaged quiz is stored in the bank on start.
	gb, gself := packaged(t, "ki-grundlagen"), packaged(t, "ki-grundlagen-selbst")
	if _, warnings, err := Start(ctx, db, gb, gself, Options{ID: "kg-1", Seed: 3}, now); err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	db.QueryRow(`SELECT COUNT(*) FROM quiz_session_items i JOIN quiz_sessions s ON s.pk = i.session_pk WHERE s.session_id = 'kg-1' AND question_pk IS NULL`).Scan(&linked)
	if linked != 0 {
		t.Errorf("%d items of kg-1 not linked", linked)
	}
}

// A municipality's quiz file replaces the packaged quiz of the same id; a
// broken one is refused with file and line, and the packaged quizzes stay.
func TestLibraryOverrides(t *testing.T) {
	dir := t.TempDir()
	qdir := filepath.Join(dir, "bundles", "quizzes")
	if err := os.MkdirAll(qdir, 0o755); err != nil {
		t.Fatal(err)
	}
	own := "format: kicheck-quiz/1\nid: ki-grundlagen\nversion: 2.0.0\ntitle: Eigene Grundlagen\nquestions:\n  - id: e1\n    type: truefalse\n    text: Stimmt das?\n    area: A1\n    level: grundlage\n    answers: [{text: wahr, fraction: 1}, {text: falsch, fraction: 0}]\n"
	broken := "format: kicheck-quiz/1\nid: kaputt\nversion: 1\ntitle: Kaputt\nquestions:\n  - id: k1\n    type: raten\n    text: ?\n"
	os.WriteFile(filepath.Join(qdir, "eigen.yaml"), []byte(own), 0o644)
	os.WriteFile(filepath.Join(qdir, "kaputt.yaml"), []byte(broken), 0o644)
	lib, err := LoadLibrary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(lib.Warnings) != 1 || !strings.Contains(lib.Warnings[0].Error(), "kaputt.yaml:7") {
		t.Errorf("warnings %v", lib.Warnings)
	}
	b, self, err := lib.Resolve("ki-grundlagen")
	if err != nil || b.Version != "2.0.0" || self == nil {
		t.Errorf("override not used: %v %v", err, b)
	}
	if lib.Find("datenschutz-ki-verordnung") == nil {
		t.Error("packaged quizzes gone")
	}
}
