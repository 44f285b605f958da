package quizsession

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/store"
)

// RunKind is the kind of the runs row a session records.
const RunKind = "quiz-session"

// NotFoundError is an unknown session or participant.
type NotFoundError struct{ What, ID string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s %q not found", e.What, e.ID) }

// Hint says what to do.
func (e *NotFoundError) Hint() string { _, h := e.Localize("en"); return h }

// Localize renders the error in lang (i18n.Localizer).
func (e *NotFoundError) Localize(lang string) (msg, hint string) {
	what := "participant"
	if e.What == "session" {
		what = "session"
	}
	return i18n.NewError("quizsession."+what+"_not_found", "quizsession."+what+"_not_found.hint",
		map[string]any{"ID": e.ID}, nil).Localize(lang)
}

// ConflictError is a session that takes no more attempts (finished), a
// pseudonym already used in a session, or a result file that does not fit
// the session of the same id on this PC; message and hint are message ids.
type ConflictError struct{ msg *i18n.Error }

func conflict(id string, data map[string]any) *ConflictError {
	return &ConflictError{i18n.NewError("quizsession."+id, "quizsession."+id+".hint", data, nil)}
}

func (e *ConflictError) Error() string { return e.msg.Error() }

// Hint says what to do.
func (e *ConflictError) Hint() string { return e.msg.Hint() }

// Localize renders the error in lang (i18n.Localizer).
func (e *ConflictError) Localize(lang string) (msg, hint string) { return e.msg.Localize(lang) }

const timeFormat = time.RFC3339Nano

// Create stores a planned session and records it in the runs table.
func Create(ctx context.Context, db *store.DB, s *Session) error {
	runID, err := db.StartRun(ctx, RunKind)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	defer tx.Rollback()
	if err := insertSession(ctx, tx, s, runID); err != nil {
		return err
	}
	return tx.Commit()
}

func insertSession(ctx context.Context, tx *sql.Tx, s *Session, runID int64) error {
	var exists int
	tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM quiz_sessions WHERE session_id = ?`, s.ID).Scan(&exists)
	if exists > 0 {
		return conflict("exists", map[string]any{"ID": s.ID})
	}
	var run any
	if runID > 0 {
		run = runID
	}
	var finished any
	if s.Finished != nil {
		finished = s.Finished.UTC().Format(timeFormat)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO quiz_sessions (session_id, title, bundle_id, bundle_version, bundle_title, content_hash,
		self_bundle_id, self_bundle_version, framework, license, seed, draw, shuffle, time_limit_s, cbm, status, created, finished, run_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.Title, s.BundleID, s.BundleVersion, s.BundleTitle, s.ContentHash, s.SelfBundleID, s.SelfBundleVersion,
		s.Framework, s.License, s.Seed, s.Draw, s.Shuffle, int64(s.TimeLimit/time.Second), s.CBM, s.Status,
		s.Created.UTC().Format(timeFormat), finished, run)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	pk, _ := res.LastInsertId()
	for _, it := range s.Items {
		data, err := json.Marshal(it.Question)
		if err != nil {
			return err
		}
		// Link the bank's copy when this exact bundle version was imported.
		var qpk any
		var found int64
		err = tx.QueryRowContext(ctx, `SELECT q.pk FROM quiz_questions q JOIN quiz_bundles b ON b.pk = q.bundle_pk
			WHERE b.bundle_id = ? AND b.version = ? AND q.qid = ?`, bundleOf(s, it), versionOf(s, it), it.Question.ID).Scan(&found)
		if err == nil {
			qpk = found
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO quiz_session_items (session_pk, position, kind, qid, question_pk, data) VALUES (?, ?, ?, ?, ?, ?)`,
			pk, it.Position, it.Kind, it.Question.ID, qpk, string(data)); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
	}
	return nil
}

func bundleOf(s *Session, it Item) string {
	if it.Kind == KindSelfRating {
		return s.SelfBundleID
	}
	return s.BundleID
}

func versionOf(s *Session, it Item) string {
	if it.Kind == KindSelfRating {
		return s.SelfBundleVersion
	}
	return s.BundleVersion
}

// Get loads a session with its items.
func Get(ctx context.Context, db *store.DB, id string) (*Session, error) {
	s, pk, err := getSession(ctx, db.DB, id)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT position, kind, data FROM quiz_session_items WHERE session_pk = ? ORDER BY position`, pk)
	if err != nil {
		return nil, fmt.Errorf("read session %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var data string
		if err := rows.Scan(&it.Position, &it.Kind, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &it.Question); err != nil {
			return nil, fmt.Errorf("read session %s item %d: %w", id, it.Position, err)
		}
		s.Items = append(s.Items, it)
	}
	return s, rows.Err()
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func getSession(ctx context.Context, db querier, id string) (*Session, int64, error) {
	var s Session
	var pk, limit int64
	var created string
	var finished sql.NullString
	err := db.QueryRowContext(ctx, `SELECT pk, session_id, title, bundle_id, bundle_version, bundle_title, content_hash, self_bundle_id,
		self_bundle_version, framework, license, seed, draw, shuffle, time_limit_s, cbm, status, created, finished FROM quiz_sessions WHERE session_id = ?`, id).
		Scan(&pk, &s.ID, &s.Title, &s.BundleID, &s.BundleVersion, &s.BundleTitle, &s.ContentHash, &s.SelfBundleID, &s.SelfBundleVersion,
			&s.Framework, &s.License, &s.Seed, &s.Draw, &s.Shuffle, &limit, &s.CBM, &s.Status, &created, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, &NotFoundError{What: "session", ID: id}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read session %s: %w", id, err)
	}
	s.TimeLimit = time.Duration(limit) * time.Second
	s.Created, _ = time.Parse(timeFormat, created)
	if finished.Valid {
		t, _ := time.Parse(timeFormat, finished.String)
		s.Finished = &t
	}
	return &s, pk, nil
}

// Summary is a session in a list.
type Summary struct {
	ID           string     `json:"id"`
	Title        string     `json:"title"`
	Bundle       string     `json:"bundle"` // id@version
	Status       string     `json:"status"`
	Created      time.Time  `json:"created"`
	Finished     *time.Time `json:"finished,omitempty"`
	Items        int        `json:"items"`
	Participants int        `json:"participants"`
	CBM          bool       `json:"cbm"`
	TimeLimitS   int64      `json:"time_limit_s"`
	Seed         int64      `json:"seed"`
}

// List returns all sessions, newest first.
func List(ctx context.Context, db *store.DB) ([]Summary, error) {
	rows, err := db.QueryContext(ctx, `SELECT s.session_id, s.title, s.bundle_id || '@' || s.bundle_version, s.status, s.created, s.finished,
		(SELECT COUNT(*) FROM quiz_session_items i WHERE i.session_pk = s.pk AND i.kind = 'knowledge'),
		(SELECT COUNT(*) FROM quiz_attempts a WHERE a.session_pk = s.pk), s.cbm, s.time_limit_s, s.seed
		FROM quiz_sessions s ORDER BY s.created DESC, s.pk DESC`)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	out := []Summary{}
	for rows.Next() {
		var s Summary
		var created string
		var finished sql.NullString
		if err := rows.Scan(&s.ID, &s.Title, &s.Bundle, &s.Status, &created, &finished, &s.Items, &s.Participants, &s.CBM, &s.TimeLimitS, &s.Seed); err != nil {
			return nil, err
		}
		s.Created, _ = time.Parse(timeFormat, created)
		if finished.Valid {
			t, _ := time.Parse(timeFormat, finished.String)
			s.Finished = &t
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Finish closes a session: no further attempts are taken (merged results
// from other PCs still are).
func Finish(ctx context.Context, db *store.DB, id string, now time.Time) error {
	var runID sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT run_id FROM quiz_sessions WHERE session_id = ?`, id).Scan(&runID)
	if errors.Is(err, sql.ErrNoRows) {
		return &NotFoundError{What: "session", ID: id}
	}
	if err != nil {
		return fmt.Errorf("finish session %s: %w", id, err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE quiz_sessions SET status = ?, finished = ? WHERE session_id = ?`,
		StatusFinished, now.UTC().Format(timeFormat), id); err != nil {
		return fmt.Errorf("finish session %s: %w", id, err)
	}
	if runID.Valid {
		var n int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM quiz_attempts a JOIN quiz_sessions s ON s.pk = a.session_pk WHERE s.session_id = ?`, id).Scan(&n)
		summary, _ := json.Marshal(map[string]any{"session": id, "participants": n})
		if err := db.FinishRun(ctx, runID.Int64, store.StatusDone, summary); err != nil {
			return err
		}
	}
	return nil
}

// SaveAttempt grades and stores a participant's attempt. A pseudonym is
// used once per session.
func SaveAttempt(ctx context.Context, db *store.DB, s *Session, a *Attempt) error {
	if strings.TrimSpace(a.Pseudonym) == "" {
		return &ConflictError{i18n.NewError("quiz.pseudonym_missing", "", nil, nil)}
	}
	if a.Source == "" {
		a.Source = SourceLocal
	}
	if a.Source == SourceLocal && s.Status != StatusOpen {
		return conflict("finished", map[string]any{"ID": s.ID})
	}
	a.Started, a.Finished = a.Started.UTC().Round(0), a.Finished.UTC().Round(0)
	if err := Grade(s, a); err != nil {
		return err
	}
	if a.Hash == "" {
		f, err := NewResultFile(s, a)
		if err != nil {
			return err
		}
		a.Hash = f.Hash
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save attempt: %w", err)
	}
	defer tx.Rollback()
	if err := insertAttempt(ctx, tx, s, a); err != nil {
		return err
	}
	return tx.Commit()
}

func insertAttempt(ctx context.Context, tx *sql.Tx, s *Session, a *Attempt) error {
	_, spk, err := getSession(ctx, tx, s.ID)
	if err != nil {
		return err
	}
	var exists int
	tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM quiz_attempts WHERE session_pk = ? AND pseudonym = ?`, spk, a.Pseudonym).Scan(&exists)
	if exists > 0 {
		return conflict("taken", map[string]any{"Name": a.Pseudonym, "ID": s.ID})
	}
	var cbm any
	if a.CBMMark != nil {
		cbm = *a.CBMMark
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO quiz_attempts (session_pk, pseudonym, display_name, role, started, finished, timed_out,
		score, max_score, cbm_mark, source, result_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		spk, a.Pseudonym, a.DisplayName, string(a.Role), a.Started.UTC().Format(timeFormat), a.Finished.UTC().Format(timeFormat),
		a.TimedOut, a.Score, a.MaxScore, cbm, a.Source, a.Hash)
	if err != nil {
		return fmt.Errorf("save attempt: %w", err)
	}
	apk, _ := res.LastInsertId()
	for _, ans := range a.Answers {
		resp, _ := json.Marshal(ans.Response)
		shown := ""
		if len(ans.Shown) > 0 {
			b, _ := json.Marshal(ans.Shown)
			shown = string(b)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO quiz_answers (attempt_pk, position, qid, shown_order, response, answered, certainty, fraction, mark)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, apk, ans.Position, ans.QID, shown, string(resp), ans.Answered, ans.Certainty, ans.Fraction, ans.Mark); err != nil {
			return fmt.Errorf("save answer: %w", err)
		}
	}
	return nil
}

// Attempts returns the attempts of a session (with answers), by pseudonym.
func Attempts(ctx context.Context, db *store.DB, sessionID string) ([]Attempt, error) {
	return queryAttempts(ctx, db, `s.session_id = ?`, sessionID)
}

// AttemptsOf returns every attempt of a pseudonym, newest first.
func AttemptsOf(ctx context.Context, db *store.DB, pseudonym string) ([]Attempt, error) {
	return queryAttempts(ctx, db, `a.pseudonym = ?`, pseudonym)
}

func queryAttempts(ctx context.Context, db *store.DB, where string, arg any) ([]Attempt, error) {
	rows, err := db.QueryContext(ctx, `SELECT a.pk, s.session_id, a.pseudonym, a.display_name, a.role, a.started, a.finished, a.timed_out,
		a.score, a.max_score, a.cbm_mark, a.source, a.result_hash
		FROM quiz_attempts a JOIN quiz_sessions s ON s.pk = a.session_pk WHERE `+where+` ORDER BY a.finished DESC, a.pseudonym`, arg)
	if err != nil {
		return nil, fmt.Errorf("read attempts: %w", err)
	}
	var out []Attempt
	var pks []int64
	for rows.Next() {
		var a Attempt
		var pk int64
		var started, finished, role string
		var cbm sql.NullFloat64
		if err := rows.Scan(&pk, &a.SessionID, &a.Pseudonym, &a.DisplayName, &role, &started, &finished, &a.TimedOut,
			&a.Score, &a.MaxScore, &cbm, &a.Source, &a.Hash); err != nil {
			rows.Close()
			return nil, err
		}
		a.Role = quiz.Role(role)
		a.Started, _ = time.Parse(timeFormat, started)
		a.Finished, _ = time.Parse(timeFormat, finished)
		if cbm.Valid {
			v := cbm.Float64
			a.CBMMark = &v
		}
		out = append(out, a)
		pks = append(pks, pk)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, pk := range pks {
		ans, err := answersOf(ctx, db, pk)
		if err != nil {
			return nil, err
		}
		out[i].Answers = ans
	}
	return out, nil
}

func answersOf(ctx context.Context, db *store.DB, attemptPK int64) ([]Answer, error) {
	rows, err := db.QueryContext(ctx, `SELECT position, qid, shown_order, response, answered, certainty, fraction, mark
		FROM quiz_answers WHERE attempt_pk = ? ORDER BY position`, attemptPK)
	if err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		var shown, resp string
		if err := rows.Scan(&a.Position, &a.QID, &shown, &resp, &a.Answered, &a.Certainty, &a.Fraction, &a.Mark); err != nil {
			return nil, err
		}
		if shown != "" {
			json.Unmarshal([]byte(shown), &a.Shown)
		}
		if err := json.Unmarshal([]byte(resp), &a.Response); err != nil {
			return nil, fmt.Errorf("read answer %s: %w", a.QID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// DeleteParticipant removes a pseudonym's attempts and answers, in one
// session or (sessionID "") in all. It returns how many attempts went.
func DeleteParticipant(ctx context.Context, db *store.DB, pseudonym, sessionID string) (int, error) {
	q := `DELETE FROM quiz_attempts WHERE pseudonym = ?`
	args := []any{pseudonym}
	if sessionID != "" {
		if _, _, err := getSession(ctx, db.DB, sessionID); err != nil {
			return 0, err
		}
		q += ` AND session_pk = (SELECT pk FROM quiz_sessions WHERE session_id = ?)`
		args = append(args, sessionID)
	}
	res, err := db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("delete participant: %w", err)
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return 0, &NotFoundError{What: "participant", ID: pseudonym}
	}
	return int(n), nil
}

// CanTakePart reports, before any question is asked, why a pseudonym
// cannot answer in a session (finished, or the pseudonym took part
// already); nil when it can.
func CanTakePart(ctx context.Context, db *store.DB, s *Session, pseudonym string) error {
	if strings.TrimSpace(pseudonym) == "" {
		return &ConflictError{i18n.NewError("quiz.pseudonym_missing", "", nil, nil)}
	}
	if s.Status != StatusOpen {
		return conflict("finished", map[string]any{"ID": s.ID})
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM quiz_attempts a JOIN quiz_sessions s ON s.pk = a.session_pk
		WHERE s.session_id = ? AND a.pseudonym = ?`, s.ID, pseudonym).Scan(&n); err != nil {
		return fmt.Errorf("check pseudonym: %w", err)
	}
	if n > 0 {
		return conflict("taken", map[string]any{"Name": pseudonym, "ID": s.ID})
	}
	return nil
}
