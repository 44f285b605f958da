package aggregate

import (
	"context"
	"time"

	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/store"
)

// QuizRolesOf counts the quiz participants of the municipality's quiz
// sessions (the data folder's database) per staff role: a participant
// (pseudonym) counts once, in the role of their newest finished attempt,
// with that attempt's score in percent of its maximum. Attempts without a
// role count as anwender, as the KI-Pass does. The roles come back in
// QuizRoleOrder, before suppression (Build leaves out those under
// MinBucket).
func QuizRolesOf(ctx context.Context, db *store.DB) ([]QuizRole, error) {
	ss, err := quizsession.List(ctx, db)
	if err != nil {
		return nil, err
	}
	type person struct {
		role     string
		finished time.Time
		pct      float64
	}
	people := map[string]*person{}
	for _, s := range ss {
		as, err := quizsession.Attempts(ctx, db, s.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			if a.Finished.IsZero() || a.MaxScore <= 0 {
				continue
			}
			p := people[a.Pseudonym]
			if p == nil {
				p = &person{}
				people[a.Pseudonym] = p
			}
			if !a.Finished.Before(p.finished) {
				p.finished, p.role, p.pct = a.Finished, string(a.Role), 100*a.Score/a.MaxScore
			}
		}
	}
	roles := QuizRoleOrder()
	sum := map[string]float64{}
	n := map[string]int{}
	for _, p := range people {
		r := p.role
		if r == "" {
			r = roles[0]
		}
		sum[r] += p.pct
		n[r]++
	}
	out := []QuizRole{}
	for _, r := range roles {
		if n[r] > 0 {
			out = append(out, QuizRole{Role: r, Participants: n[r], MeanScorePercent: sum[r] / float64(n[r])})
		}
	}
	return out, nil
}
