package quiz

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/store"
)

// RunKind is the kind of the runs row an import records.
const RunKind = "quiz-import"

// BankError is a question-bank failure a person can act on: message and
// hint ids, rendered late.
type BankError struct {
	Err error // English, wrapping the sentinel cause
	Msg i18n.Msg
	Tip i18n.Msg
}

func newBankError(cause error, m, hint i18n.Msg) *BankError {
	err := errors.New(m.Text("en"))
	if cause != nil {
		err = fmt.Errorf("%w: %s", cause, m.Text("en"))
	}
	return &BankError{Err: err, Msg: m, Tip: hint}
}

func (e *BankError) Error() string { return e.Err.Error() }
func (e *BankError) Unwrap() error { return e.Err }

// Hint says what to do (English).
func (e *BankError) Hint() string { return e.Tip.Text("en") }

// Text returns the message and what to do in lang ("de" or "en").
func (e *BankError) Text(lang string) (msg, hint string) { return e.Msg.Text(lang), e.Tip.Text(lang) }

// Localize is Text (i18n.Localizer).
func (e *BankError) Localize(lang string) (msg, hint string) { return e.Text(lang) }

// Sentinel causes, for errors.Is.
var (
	ErrVersionExists  = errors.New("bundle version already in the bank with different content")
	ErrBundleNotFound = errors.New("bundle not found in the question bank")
)

// StoredBundle is one imported bundle version.
type StoredBundle struct {
	PK           int64        `json:"-"`
	ID           string       `json:"id"`
	Version      string       `json:"version"`
	Title        string       `json:"title"`
	Language     string       `json:"language,omitempty"`
	License      string       `json:"license,omitempty"`
	Framework    string       `json:"framework,omitempty"`
	Source       string       `json:"source"`
	SourceFormat string       `json:"source_format"`
	ContentHash  string       `json:"content_hash"`
	Imported     time.Time    `json:"imported"`
	Questions    int          `json:"questions"`
	Types        map[Type]int `json:"types"`
}

// StoredQuestion is a question with where it lives in the bank; PK is what
// sessions refer to.
type StoredQuestion struct {
	PK       int64  `json:"pk"`
	BundlePK int64  `json:"-"`
	BundleID string `json:"bundle"`
	Version  string `json:"version"`
	Question
}

// BundleFromQuestions wraps questions read from a file without a bundle
// header (GIFT, Moodle XML): the id defaults to the file name, the version
// to a short hash of the questions, so re-importing the same file changes
// nothing and an edited file becomes a new version.
func BundleFromQuestions(file, id, version, title string, qs []Question) *Bundle {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	if id == "" {
		id = Slug(base)
	}
	if title == "" {
		title = base
	}
	b := &Bundle{Format: BundleFormat, ID: id, Title: title, Questions: qs}
	if version == "" {
		version = contentHash(b)[:10]
	}
	b.Version = version
	return b
}

// Slug makes an id from a name: lower case letters, digits and dashes.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'ä':
			b.WriteString("ae")
		case 'ö':
			b.WriteString("oe")
		case 'ü':
			b.WriteString("ue")
		case 'ß':
			b.WriteString("ss")
		default:
			if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				b.WriteRune(r)
				dash = false
				continue
			}
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		dash = false
	}
	s = strings.Trim(b.String(), "-")
	if s == "" {
		return "fragen"
	}
	return s
}

// contentHash is the sha256 of the bundle's normalized questions (not of
// the file, so formatting changes do not make a new version).
func contentHash(b *Bundle) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	enc.Encode(struct {
		ID, Title, Language, License, Framework string
		Questions                               []Question
	}{b.ID, b.Title, b.Language, b.License, b.Framework, b.Questions})
	return hex.EncodeToString(h.Sum(nil))
}

// assignIDs gives questions without an id one (bundle-001, …) that no
// other question of the bundle uses.
func assignIDs(b *Bundle) {
	used := map[string]bool{}
	for _, q := range b.Questions {
		used[q.ID] = true
	}
	n := 0
	for i := range b.Questions {
		if b.Questions[i].ID != "" {
			continue
		}
		for {
			n++
			id := fmt.Sprintf("%s-%03d", b.ID, n)
			if !used[id] {
				b.Questions[i].ID = id
				used[id] = true
				break
			}
		}
	}
}

// StoreBundle puts a bundle into the bank in one transaction and records
// the import as a run. Storing the same version with the same content
// again changes nothing (created is false); the same version with other
// content is refused, so what sessions cite never changes.
func StoreBundle(ctx context.Context, db *store.DB, b *Bundle, source, sourceFormat string) (sb StoredBundle, created bool, err error) {
	if b.ID == "" || b.Version == "" {
		return sb, false, fmt.Errorf("store bundle: id and version are required")
	}
	if len(b.Questions) == 0 {
		return sb, false, newBankError(nil, msg("quizparse.bank.no_questions", "Bundle", esc(b.ID)), msg("quizparse.bank.no_questions_hint"))
	}
	assignIDs(b)
	seen := map[string]bool{}
	for i := range b.Questions {
		q := &b.Questions[i]
		if seen[q.ID] {
			return sb, false, newBankError(nil, msg("quizparse.bank.duplicate_id", "Bundle", esc(b.ID), "ID", esc(q.ID)), msg("quizparse.bank.duplicate_id_hint"))
		}
		seen[q.ID] = true
		if ps := q.Check(); len(ps) > 0 {
			return sb, false, fmt.Errorf("bundle %s: question %q: %s", b.ID, q.ID, ps[0])
		}
	}
	hash := contentHash(b)

	existing, err := getBundle(ctx, db, b.ID, b.Version)
	if err == nil {
		if existing.ContentHash == hash {
			return existing, false, nil
		}
		return existing, false, newBankError(ErrVersionExists,
			msg("quizparse.bank.version_exists", "Bundle", esc(b.ID), "Version", esc(b.Version), "Imported", localTime(existing.Imported), "Source", esc(existing.Source)),
			msg("quizparse.bank.version_exists_hint"))
	}
	if !errors.Is(err, ErrBundleNotFound) {
		return sb, false, err
	}

	runID, err := db.StartRun(ctx, RunKind)
	if err != nil {
		return sb, false, err
	}
	sb, err = insertBundle(ctx, db, b, source, sourceFormat, hash, runID)
	status := store.StatusDone
	summary := map[string]any{"bundle": b.ID, "version": b.Version, "questions": len(b.Questions), "source": source}
	if err != nil {
		status = store.StatusFailed
		summary["error"] = err.Error()
	}
	if ferr := db.FinishRun(ctx, runID, status, summary); ferr != nil && err == nil {
		err = ferr
	}
	if err != nil {
		return StoredBundle{}, false, err
	}
	return sb, true, nil
}

func insertBundle(ctx context.Context, db *store.DB, b *Bundle, source, sourceFormat, hash string, runID int64) (StoredBundle, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return StoredBundle{}, fmt.Errorf("store bundle %s: %w", b.ID, err)
	}
	defer tx.Rollback()
	now := time.Now().UTC()
	res, err := tx.ExecContext(ctx, `INSERT INTO quiz_bundles
		(bundle_id, version, title, language, license, framework, source, source_format, content_hash, imported, run_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.Version, b.Title, b.Language, b.License, b.Framework, source, sourceFormat, hash, now.Format(time.RFC3339), runID)
	if err != nil {
		return StoredBundle{}, fmt.Errorf("store bundle %s: %w", b.ID, err)
	}
	pk, err := res.LastInsertId()
	if err != nil {
		return StoredBundle{}, err
	}
	types := map[Type]int{}
	for i, q := range b.Questions {
		data, err := json.Marshal(q)
		if err != nil {
			return StoredBundle{}, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO quiz_questions
			(bundle_pk, position, qid, type, title, area, level, category, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			pk, i, q.ID, string(q.Type), q.DisplayTitle(), q.Area, string(q.Level), q.Category, string(data))
		if err != nil {
			return StoredBundle{}, fmt.Errorf("store question %s: %w", q.ID, err)
		}
		qpk, err := res.LastInsertId()
		if err != nil {
			return StoredBundle{}, err
		}
		for _, t := range uniqueStrings(q.Tags) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO quiz_question_tags (question_pk, tag) VALUES (?, ?)`, qpk, t); err != nil {
				return StoredBundle{}, fmt.Errorf("store tags of %s: %w", q.ID, err)
			}
		}
		types[q.Type]++
	}
	if err := tx.Commit(); err != nil {
		return StoredBundle{}, fmt.Errorf("store bundle %s: %w", b.ID, err)
	}
	return StoredBundle{PK: pk, ID: b.ID, Version: b.Version, Title: b.Title, Language: b.Language, License: b.License,
		Framework: b.Framework, Source: source, SourceFormat: sourceFormat, ContentHash: hash,
		Imported: now.Truncate(time.Second), Questions: len(b.Questions), Types: types}, nil
}

func uniqueStrings(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

const bundleColumns = `b.pk, b.bundle_id, b.version, b.title, b.language, b.license, b.framework, b.source, b.source_format, b.content_hash, b.imported`

func scanBundle(s interface{ Scan(...any) error }) (StoredBundle, error) {
	var sb StoredBundle
	var imported string
	err := s.Scan(&sb.PK, &sb.ID, &sb.Version, &sb.Title, &sb.Language, &sb.License, &sb.Framework, &sb.Source, &sb.SourceFormat, &sb.ContentHash, &imported)
	if err != nil {
		return sb, err
	}
	sb.Imported, _ = time.Parse(time.RFC3339, imported)
	return sb, nil
}

func getBundle(ctx context.Context, db *store.DB, id, version string) (StoredBundle, error) {
	row := db.QueryRowContext(ctx, `SELECT `+bundleColumns+` FROM quiz_bundles b WHERE b.bundle_id = ? AND b.version = ?`, id, version)
	sb, err := scanBundle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return sb, fmt.Errorf("%s %s: %w", id, version, ErrBundleNotFound)
	}
	if err != nil {
		return sb, fmt.Errorf("read bundle %s: %w", id, err)
	}
	return sb, fillCounts(ctx, db, &sb)
}

func fillCounts(ctx context.Context, db *store.DB, sb *StoredBundle) error {
	rows, err := db.QueryContext(ctx, `SELECT type, COUNT(*) FROM quiz_questions WHERE bundle_pk = ? GROUP BY type`, sb.PK)
	if err != nil {
		return fmt.Errorf("count questions: %w", err)
	}
	defer rows.Close()
	sb.Types = map[Type]int{}
	sb.Questions = 0
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return err
		}
		sb.Types[Type(t)] = n
		sb.Questions += n
	}
	return rows.Err()
}

// ListBundles returns every bundle version in the bank, by id, newest
// import first within an id.
func ListBundles(ctx context.Context, db *store.DB) ([]StoredBundle, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+bundleColumns+` FROM quiz_bundles b ORDER BY b.bundle_id, b.imported DESC, b.pk DESC`)
	if err != nil {
		return nil, fmt.Errorf("list bundles: %w", err)
	}
	var out []StoredBundle
	for rows.Next() {
		sb, err := scanBundle(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, sb)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := fillCounts(ctx, db, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CurrentBundles returns the newest imported version of every bundle.
func CurrentBundles(ctx context.Context, db *store.DB) ([]StoredBundle, error) {
	all, err := ListBundles(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []StoredBundle
	for _, b := range all {
		if len(out) == 0 || out[len(out)-1].ID != b.ID {
			out = append(out, b)
		}
	}
	return out, nil
}

// CurrentBundle returns the newest version of one bundle.
func CurrentBundle(ctx context.Context, db *store.DB, id string) (StoredBundle, error) {
	all, err := CurrentBundles(ctx, db)
	if err != nil {
		return StoredBundle{}, err
	}
	for _, b := range all {
		if b.ID == id {
			return b, nil
		}
	}
	return StoredBundle{}, newBankError(ErrBundleNotFound, msg("quizparse.bank.not_found", "Bundle", esc(id)), msg("quizparse.bank.not_found_hint"))
}

// BundleQuestions returns the questions of one stored bundle version in
// file order.
func BundleQuestions(ctx context.Context, db *store.DB, sb StoredBundle) ([]StoredQuestion, error) {
	rows, err := db.QueryContext(ctx, `SELECT pk, data FROM quiz_questions WHERE bundle_pk = ? ORDER BY position`, sb.PK)
	if err != nil {
		return nil, fmt.Errorf("read questions of %s: %w", sb.ID, err)
	}
	defer rows.Close()
	var out []StoredQuestion
	for rows.Next() {
		sq := StoredQuestion{BundlePK: sb.PK, BundleID: sb.ID, Version: sb.Version}
		var data string
		if err := rows.Scan(&sq.PK, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &sq.Question); err != nil {
			return nil, fmt.Errorf("question %d of %s is damaged: %w", sq.PK, sb.ID, err)
		}
		out = append(out, sq)
	}
	return out, rows.Err()
}

// QuestionByPK returns one stored question (for sessions).
func QuestionByPK(ctx context.Context, db *store.DB, pk int64) (StoredQuestion, error) {
	var sq StoredQuestion
	var data string
	err := db.QueryRowContext(ctx, `SELECT q.pk, q.bundle_pk, b.bundle_id, b.version, q.data
		FROM quiz_questions q JOIN quiz_bundles b ON b.pk = q.bundle_pk WHERE q.pk = ?`, pk).
		Scan(&sq.PK, &sq.BundlePK, &sq.BundleID, &sq.Version, &data)
	if err != nil {
		return sq, fmt.Errorf("read question %d: %w", pk, err)
	}
	if err := json.Unmarshal([]byte(data), &sq.Question); err != nil {
		return sq, fmt.Errorf("question %d is damaged: %w", pk, err)
	}
	return sq, nil
}

// LoadBundle returns a stored bundle version as a Bundle (for export).
func LoadBundle(ctx context.Context, db *store.DB, sb StoredBundle) (*Bundle, error) {
	sqs, err := BundleQuestions(ctx, db, sb)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Format: BundleFormat, ID: sb.ID, Version: sb.Version, Title: sb.Title,
		Language: sb.Language, License: sb.License, Framework: sb.Framework}
	for _, sq := range sqs {
		b.Questions = append(b.Questions, sq.Question)
	}
	return b, nil
}

// CountTypes counts questions per type.
func CountTypes(qs []Question) map[Type]int {
	m := map[Type]int{}
	for _, q := range qs {
		m[q.Type]++
	}
	return m
}
