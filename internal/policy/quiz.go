package policy

import (
	"context"
	"errors"

	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/store"
)

// QuizResultsOf reads a participant's finished quiz attempts from the
// database as KI-Pass input: per attempt the quiz (bundle) id and the
// score in per cent. A pseudonym without attempts has none.
func QuizResultsOf(ctx context.Context, db *store.DB, pseudonym string) ([]QuizResult, error) {
	if pseudonym == "" {
		return nil, nil
	}
	as, err := quizsession.AttemptsOf(ctx, db, pseudonym)
	var nf *quizsession.NotFoundError
	if errors.As(err, &nf) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sessions := map[string]*quizsession.Session{}
	var out []QuizResult
	for _, a := range as {
		s, ok := sessions[a.SessionID]
		if !ok {
			if s, err = quizsession.Get(ctx, db, a.SessionID); err != nil {
				return nil, err
			}
			sessions[a.SessionID] = s
		}
		if a.MaxScore <= 0 || a.Finished.IsZero() {
			continue
		}
		out = append(out, QuizResult{Quiz: s.BundleID, Percent: 100 * a.Score / a.MaxScore})
	}
	return out, nil
}

// StaffRoleLabel names a staff role in lang.
func StaffRoleLabel(lang, role string) string { return tr(lang, "policy.staffrole."+role) }
