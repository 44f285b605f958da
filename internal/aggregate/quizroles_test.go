package aggregate_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/store"
)

// Quiz results per role come from real quiz sessions in the data
// folder's database: each participant once, in the role of their newest
// finished attempt; a role of fewer than 5 is left out of the summary.
func TestQuizRolesFromSessions(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName), quiz.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lib, err := quizsession.LoadLibrary("")
	if err != nil {
		t.Fatal(err)
	}
	b := lib.Quizzes()[0]
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	sessions := make([]*quizsession.Session, 2)
	for i := range sessions {
		s, _, err := quizsession.Start(ctx, db, b, nil, quizsession.Options{ID: fmt.Sprintf("kurs-%d", i+1), Seed: int64(i + 1)}, start)
		if err != nil {
			t.Fatal(err)
		}
		sessions[i] = s
	}
	save := func(s *quizsession.Session, who string, role quiz.Role, at time.Time) {
		a := &quizsession.Attempt{SessionID: s.ID, Pseudonym: who, Role: role, Started: at, Finished: at.Add(10 * time.Minute)}
		if err := quizsession.Grade(s, a); err != nil {
			t.Fatal(err)
		}
		if err := quizsession.SaveAttempt(ctx, db, s, a); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 6 {
		save(sessions[0], fmt.Sprintf("p%d", i), quiz.Anwender, start)
	}
	// p0 later took part as Führungskraft: counted there, once.
	save(sessions[1], "p0", quiz.Fuehrungskraft, start.Add(24*time.Hour))
	save(sessions[1], "it1", quiz.IT, start)
	got, err := aggregate.QuizRolesOf(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"anwender": 5, "fuehrungskraft": 1, "it": 1}
	if len(got) != 3 {
		t.Fatalf("roles %+v", got)
	}
	for _, r := range got {
		if want[r.Role] != r.Participants {
			t.Errorf("%s: %d participants, want %d", r.Role, r.Participants, want[r.Role])
		}
	}
}
