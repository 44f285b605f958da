package quizsession

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/store"
)

// ResultFormat is the format field of an exported result file.
const ResultFormat = "kicheck-quiz-result/1"

// ResultFile is one participant's result as exported from a PC
// (docs/quiz-sessions.md). It carries the whole session definition with
// the questions as asked, so the trainer's PC can merge it even when the
// session was started elsewhere. Hash is "sha256:" + the hex SHA-256 of
// the file's JSON encoding with Hash empty; it identifies the result, so a
// file merged twice is recognised.
type ResultFile struct {
	Format  string  `json:"format"`
	Session Session `json:"session"`
	Attempt Attempt `json:"attempt"`
	Hash    string  `json:"hash"`
}

// NewResultFile builds the export of an attempt and computes its hash.
func NewResultFile(s *Session, a *Attempt) (*ResultFile, error) {
	sess := *s
	sess.Status, sess.Finished = "", nil // local bookkeeping, not part of the result
	att := *a
	att.Hash, att.Source, att.DisplayName = "", "", ""
	f := &ResultFile{Format: ResultFormat, Session: sess, Attempt: att}
	h, err := f.computeHash()
	if err != nil {
		return nil, err
	}
	f.Hash = h
	return f, nil
}

func (f *ResultFile) computeHash() (string, error) {
	c := *f
	c.Hash = ""
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("hash result: %w", err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Export returns the JSON of a stored attempt's result file.
func Export(ctx context.Context, db *store.DB, sessionID, pseudonym string) ([]byte, error) {
	s, err := Get(ctx, db, sessionID)
	if err != nil {
		return nil, err
	}
	as, err := Attempts(ctx, db, sessionID)
	if err != nil {
		return nil, err
	}
	for i := range as {
		if as[i].Pseudonym == pseudonym {
			f, err := NewResultFile(s, &as[i])
			if err != nil {
				return nil, err
			}
			return json.MarshalIndent(f, "", "  ")
		}
	}
	return nil, &NotFoundError{What: "participant", ID: pseudonym}
}

// DecodeResultFile reads and checks a result file: format, hash, and the
// session's content hash against its questions.
func DecodeResultFile(name string, data []byte) (*ResultFile, error) {
	var f ResultFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fileError(name, "not_result", map[string]any{"Detail": err.Error()}, fmt.Errorf("not a result file: %w", err))
	}
	if f.Format != ResultFormat {
		return nil, fileError(name, "format", map[string]any{"Format": f.Format, "Want": ResultFormat}, fmt.Errorf("format %q, want %q", f.Format, ResultFormat))
	}
	want, err := f.computeHash()
	if err != nil {
		return nil, &FileError{File: name, Err: err}
	}
	if f.Hash != want {
		return nil, fileError(name, "hash", nil, errors.New("the hash does not match the content (the file was changed or damaged)"))
	}
	if f.Session.ContentHash != contentHash(f.Session.Items) {
		return nil, fileError(name, "content_hash", nil, errors.New("the session's content hash does not match its questions"))
	}
	if f.Session.ID == "" || !idPattern.MatchString(f.Session.ID) {
		return nil, fileError(name, "session_id", map[string]any{"ID": f.Session.ID}, fmt.Errorf("session id %q is not valid", f.Session.ID))
	}
	if f.Attempt.Pseudonym == "" {
		return nil, fileError(name, "pseudonym", nil, errors.New("the pseudonym is empty"))
	}
	s := f.Session
	a := f.Attempt
	if err := Grade(&s, &a); err != nil {
		return nil, &FileError{File: name, Err: err}
	}
	return &f, nil
}

// MergeOutcome says what merging one file did.
type MergeOutcome struct {
	File           string `json:"file"`
	SessionID      string `json:"session"`
	Pseudonym      string `json:"pseudonym"`
	Added          bool   `json:"added"`           // false: the same result was merged before
	SessionCreated bool   `json:"session_created"` // the session was new on this PC
}

// FileError is a result file that cannot be merged.
type FileError struct {
	File string
	Err  error
	// reason is Err as a message ("" id: Err's text is shown as it is).
	reason i18n.Msg
}

func fileError(name, id string, data map[string]any, err error) *FileError {
	return &FileError{File: name, Err: err, reason: i18n.Msg{ID: "quizsession.file." + id, Data: data}}
}

// Localize renders the error in lang (i18n.Localizer).
func (e *FileError) Localize(lang string) (msg, hint string) {
	reason := e.Err.Error()
	if e.reason.ID != "" {
		reason = e.reason.Text(lang)
	}
	return i18n.T(lang, "quizsession.file", map[string]any{"File": e.File, "Reason": reason}), i18n.T(lang, "quizsession.file.hint")
}

func (e *FileError) Error() string { return fmt.Sprintf("result file %s: %v", e.File, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *FileError) Hint() string {
	return "export the result again on the participant's PC with 'kicheck quiz session export'; the file must not be edited"
}

// Merge adds the result in data (a ResultFile's JSON) to the database. The
// hash is checked; a result merged before is skipped (Added false); a
// session unknown here is created from the file. The result is graded
// again with the session's questions, so a file cannot bring its own
// score.
func Merge(ctx context.Context, db *store.DB, name string, data []byte) (*MergeOutcome, error) {
	f, err := DecodeResultFile(name, data)
	if err != nil {
		return nil, err
	}
	out := &MergeOutcome{File: name, SessionID: f.Session.ID, Pseudonym: f.Attempt.Pseudonym}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	defer tx.Rollback()
	var dup int
	tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM quiz_attempts WHERE result_hash = ?`, f.Hash).Scan(&dup)
	if dup > 0 {
		return out, nil
	}
	local, _, err := getSession(ctx, tx, f.Session.ID)
	var nf *NotFoundError
	switch {
	case errors.As(err, &nf):
		s := f.Session
		s.Status = StatusFinished // a session from elsewhere takes no local attempts
		if err := insertSession(ctx, tx, &s, 0); err != nil {
			return nil, err
		}
		out.SessionCreated = true
	case err != nil:
		return nil, err
	default:
		if local.ContentHash != f.Session.ContentHash || local.Seed != f.Session.Seed || local.CBM != f.Session.CBM || !reflect.DeepEqual(local.Draw, f.Session.Draw) {
			return nil, conflict("differs", map[string]any{"File": name, "ID": f.Session.ID})
		}
	}
	a := f.Attempt
	a.Source, a.Hash = SourceMerged, f.Hash
	s := f.Session
	if err := Grade(&s, &a); err != nil {
		return nil, &FileError{File: name, Err: err}
	}
	if err := insertAttempt(ctx, tx, &s, &a); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	out.Added = true
	return out, nil
}
