package offers

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/store"
)

// Schema is the offers part of the database.
var Schema = store.Schema{
	Component: "offers",
	Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE offer_sources (
	id INTEGER PRIMARY KEY,
	source TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	first_imported TEXT NOT NULL,
	last_imported TEXT NOT NULL,
	last_run INTEGER REFERENCES runs(id)
);
CREATE TABLE offers (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	source_id INTEGER NOT NULL REFERENCES offer_sources(id),
	data TEXT NOT NULL,
	hash TEXT NOT NULL,
	first_imported TEXT NOT NULL,
	last_imported TEXT NOT NULL,
	removed TEXT
);
CREATE TABLE offer_history (
	id INTEGER PRIMARY KEY,
	offer_id INTEGER NOT NULL REFERENCES offers(id),
	at TEXT NOT NULL,
	action TEXT NOT NULL,
	run_id INTEGER REFERENCES runs(id),
	data TEXT
);
CREATE INDEX offer_history_offer ON offer_history(offer_id, at);
CREATE TABLE offer_areas (
	offer_id INTEGER NOT NULL REFERENCES offers(id),
	area TEXT NOT NULL,
	level TEXT NOT NULL,
	level_stated INTEGER NOT NULL,
	origin TEXT NOT NULL,
	at TEXT NOT NULL,
	PRIMARY KEY (offer_id, area)
);
CREATE TABLE offer_rejected (
	offer_id INTEGER NOT NULL REFERENCES offers(id),
	area TEXT NOT NULL,
	at TEXT NOT NULL,
	PRIMARY KEY (offer_id, area)
);
CREATE TABLE module_offers (
	module_id TEXT NOT NULL,
	offer_id INTEGER NOT NULL DEFAULT 0,
	at TEXT NOT NULL,
	PRIMARY KEY (module_id, offer_id)
);`}},
}

// RunKind is the kind of the runs row of an import.
const RunKind = "offers_import"

// ErrNotFound is returned for an unknown offer id.
var ErrNotFound = errors.New("no such offer")

// ImportResult says what an import changed.
type ImportResult struct {
	Source    string  `json:"source"`
	Kind      string  `json:"kind"`
	Pages     int     `json:"pages,omitempty"`
	Added     int     `json:"added"`
	Updated   int     `json:"updated"`
	Unchanged int     `json:"unchanged"`
	Removed   int     `json:"removed"`
	IDs       []int64 `json:"ids"`
}

const timeFmt = time.RFC3339Nano

func ts(t time.Time) string { return t.UTC().Format(timeFmt) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(timeFmt, s)
	return t
}

// content is what is compared between imports.
func content(o Offer) ([]byte, string) {
	c := o
	c.ID, c.Source, c.FirstImported, c.LastImported, c.Removed, c.Areas = 0, "", time.Time{}, time.Time{}, nil, nil
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return b, hex.EncodeToString(h[:])
}

// Store saves the offers of one source in one transaction: new offers are
// added, changed ones updated (the old version goes to the history),
// offers of the source that are no longer in it are marked removed. A
// failure stores nothing. now is the import time.
func Store(ctx context.Context, db *store.DB, source, kind string, list []Offer, now time.Time) (*ImportResult, error) {
	run, err := db.StartRun(ctx, RunKind)
	if err != nil {
		return nil, err
	}
	res, err := storeTx(ctx, db, run, source, kind, list, now)
	if err != nil {
		db.FinishRun(ctx, run, store.StatusFailed, map[string]string{"source": source, "error": err.Error()})
		return nil, err
	}
	if err := db.FinishRun(ctx, run, store.StatusDone, res); err != nil {
		return nil, err
	}
	return res, nil
}

func storeTx(ctx context.Context, db *store.DB, run int64, source, kind string, list []Offer, now time.Time) (*ImportResult, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store offers: %w", err)
	}
	defer tx.Rollback()
	at := ts(now)
	var srcID int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM offer_sources WHERE source = ?`, source).Scan(&srcID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r, err := tx.ExecContext(ctx, `INSERT INTO offer_sources (source, kind, first_imported, last_imported, last_run) VALUES (?, ?, ?, ?, ?)`, source, kind, at, at, run)
		if err != nil {
			return nil, fmt.Errorf("store offer source: %w", err)
		}
		srcID, _ = r.LastInsertId()
	case err != nil:
		return nil, fmt.Errorf("store offer source: %w", err)
	default:
		if _, err := tx.ExecContext(ctx, `UPDATE offer_sources SET last_imported = ?, last_run = ?, kind = ? WHERE id = ?`, at, run, kind, srcID); err != nil {
			return nil, fmt.Errorf("store offer source: %w", err)
		}
	}
	res := &ImportResult{Source: source, Kind: kind}
	seen := map[int64]bool{}
	for _, o := range list {
		data, hash := content(o)
		var id int64
		var oldData, oldHash string
		var removed sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT id, data, hash, removed FROM offers WHERE key = ?`, o.Key).Scan(&id, &oldData, &oldHash, &removed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			r, err := tx.ExecContext(ctx, `INSERT INTO offers (key, source_id, data, hash, first_imported, last_imported) VALUES (?, ?, ?, ?, ?, ?)`, o.Key, srcID, string(data), hash, at, at)
			if err != nil {
				return nil, fmt.Errorf("store offer %q: %w", o.Key, err)
			}
			id, _ = r.LastInsertId()
			if _, err := tx.ExecContext(ctx, `INSERT INTO offer_history (offer_id, at, action, run_id, data) VALUES (?, ?, 'added', ?, ?)`, id, at, run, string(data)); err != nil {
				return nil, fmt.Errorf("store offer history: %w", err)
			}
			res.Added++
		case err != nil:
			return nil, fmt.Errorf("store offer %q: %w", o.Key, err)
		default:
			if seen[id] {
				continue // the same course twice in one source: the first counts
			}
			action := ""
			if oldHash != hash {
				action = "updated"
				res.Updated++
			} else if removed.Valid {
				action = "restored"
				res.Updated++
			} else {
				res.Unchanged++
			}
			if _, err := tx.ExecContext(ctx, `UPDATE offers SET source_id = ?, data = ?, hash = ?, last_imported = ?, removed = NULL WHERE id = ?`, srcID, string(data), hash, at, id); err != nil {
				return nil, fmt.Errorf("store offer %q: %w", o.Key, err)
			}
			if action != "" {
				// The history keeps the version that was replaced.
				if _, err := tx.ExecContext(ctx, `INSERT INTO offer_history (offer_id, at, action, run_id, data) VALUES (?, ?, ?, ?, ?)`, id, at, action, run, oldData); err != nil {
					return nil, fmt.Errorf("store offer history: %w", err)
				}
			}
		}
		seen[id] = true
		res.IDs = append(res.IDs, id)
		// Mappings from the feed follow the feed; a trainer's stay.
		if _, err := tx.ExecContext(ctx, `DELETE FROM offer_areas WHERE offer_id = ? AND origin = ?`, id, OriginFeed); err != nil {
			return nil, fmt.Errorf("store offer areas: %w", err)
		}
		for _, m := range o.Areas {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO offer_areas (offer_id, area, level, level_stated, origin, at) VALUES (?, ?, ?, ?, ?, ?)`,
				id, m.Area, string(m.Level), m.LevelStated, OriginFeed, at); err != nil {
				return nil, fmt.Errorf("store offer areas: %w", err)
			}
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM offers WHERE source_id = ? AND removed IS NULL`, srcID)
	if err != nil {
		return nil, fmt.Errorf("store offers: %w", err)
	}
	var gone []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		if !seen[id] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	for _, id := range gone {
		if _, err := tx.ExecContext(ctx, `UPDATE offers SET removed = ? WHERE id = ?`, at, id); err != nil {
			return nil, fmt.Errorf("store offers: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO offer_history (offer_id, at, action, run_id) VALUES (?, ?, 'removed', ?)`, id, at, run); err != nil {
			return nil, fmt.Errorf("store offer history: %w", err)
		}
		res.Removed++
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store offers: %w", err)
	}
	return res, nil
}

// List returns the offers (without removed ones unless withRemoved), by
// provider and name, with their mappings.
func List(ctx context.Context, db *store.DB, withRemoved bool) ([]Offer, error) {
	q := `SELECT o.id, o.data, o.first_imported, o.last_imported, o.removed, s.source FROM offers o JOIN offer_sources s ON s.id = o.source_id`
	if !withRemoved {
		q += ` WHERE o.removed IS NULL`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list offers: %w", err)
	}
	defer rows.Close()
	var out []Offer
	idx := map[int64]int{}
	for rows.Next() {
		var o Offer
		var data, first, last, src string
		var removed sql.NullString
		if err := rows.Scan(&o.ID, &data, &first, &last, &removed, &src); err != nil {
			return nil, fmt.Errorf("list offers: %w", err)
		}
		id := o.ID
		if err := json.Unmarshal([]byte(data), &o); err != nil {
			return nil, fmt.Errorf("list offers: offer %d: %w", id, err)
		}
		o.ID, o.Source = id, src
		o.FirstImported, o.LastImported = parseTS(first), parseTS(last)
		if removed.Valid {
			t := parseTS(removed.String)
			o.Removed = &t
		}
		o.Areas = []Mapping{}
		idx[o.ID] = len(out)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ar, err := db.QueryContext(ctx, `SELECT offer_id, area, level, level_stated, origin, at FROM offer_areas ORDER BY offer_id, area`)
	if err != nil {
		return nil, fmt.Errorf("list offer areas: %w", err)
	}
	defer ar.Close()
	for ar.Next() {
		var id int64
		var m Mapping
		var level, at string
		if err := ar.Scan(&id, &m.Area, &level, &m.LevelStated, &m.Origin, &at); err != nil {
			return nil, err
		}
		m.Level, m.At = quiz.Level(level), parseTS(at)
		if i, ok := idx[id]; ok {
			out[i].Areas = append(out[i].Areas, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Provider != out[j].Provider {
			return out[i].Provider < out[j].Provider
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, ar.Err()
}

// Get returns one offer (removed ones too).
func Get(ctx context.Context, db *store.DB, id int64) (*Offer, error) {
	all, err := List(ctx, db, true)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, fmt.Errorf("offer %d: %w", id, ErrNotFound)
}

// HistoryEntry is one change of an offer.
type HistoryEntry struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"` // added, updated, restored, removed
	Run    int64     `json:"run"`
	// Before is the version that an update replaced (name and URL of
	// it are enough to show).
	Before *Offer `json:"before,omitempty"`
}

// History returns an offer's changes, oldest first.
func History(ctx context.Context, db *store.DB, id int64) ([]HistoryEntry, error) {
	rows, err := db.QueryContext(ctx, `SELECT at, action, COALESCE(run_id, 0), data FROM offer_history WHERE offer_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("offer history: %w", err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var at string
		var data sql.NullString
		if err := rows.Scan(&at, &h.Action, &h.Run, &data); err != nil {
			return nil, err
		}
		h.At = parseTS(at)
		if data.Valid && h.Action != "added" {
			var o Offer
			if json.Unmarshal([]byte(data.String), &o) == nil {
				h.Before = &o
			}
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Assign records that the offer covers area at level (a trainer's
// decision; it replaces a mapping from the feed) and forgets an earlier
// rejection.
func Assign(ctx context.Context, db *store.DB, fw *learning.Framework, id int64, area string, level quiz.Level, now time.Time) error {
	if fw.Area(area) == nil {
		return &UsageError{Msg: msgf("offers.err.unknown_area", "Area", area, "Areas", areaList(fw))}
	}
	if learning.Rank(level) == 0 {
		return &UsageError{Msg: msgf("offers.err.unknown_level", "Level", string(level))}
	}
	if _, err := Get(ctx, db, id); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO offer_areas (offer_id, area, level, level_stated, origin, at) VALUES (?, ?, ?, 1, ?, ?)
		ON CONFLICT (offer_id, area) DO UPDATE SET level = excluded.level, level_stated = 1, origin = excluded.origin, at = excluded.at`,
		id, area, string(level), OriginTrainer, ts(now)); err != nil {
		return fmt.Errorf("assign offer: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM offer_rejected WHERE offer_id = ? AND area = ?`, id, area); err != nil {
		return fmt.Errorf("assign offer: %w", err)
	}
	return tx.Commit()
}

// Reject removes the offer's mapping of area (from the feed or a
// trainer) and keeps the area from being proposed for it again.
func Reject(ctx context.Context, db *store.DB, id int64, area string, now time.Time) error {
	if _, err := Get(ctx, db, id); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM offer_areas WHERE offer_id = ? AND area = ?`, id, area); err != nil {
		return fmt.Errorf("reject mapping: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO offer_rejected (offer_id, area, at) VALUES (?, ?, ?)`, id, area, ts(now)); err != nil {
		return fmt.Errorf("reject mapping: %w", err)
	}
	return tx.Commit()
}

// Rejected returns per offer the areas a trainer rejected.
func Rejected(ctx context.Context, db *store.DB) (map[int64]map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT offer_id, area FROM offer_rejected`)
	if err != nil {
		return nil, fmt.Errorf("rejected mappings: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]bool{}
	for rows.Next() {
		var id int64
		var a string
		if err := rows.Scan(&id, &a); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]bool{}
		}
		out[id][a] = true
	}
	return out, rows.Err()
}

// OwnOffer is the offer id that stands for "eigene Schulung" in module
// assignments.
const OwnOffer = 0

// AssignModule names an offer (or OwnOffer) for a catalogue module.
func AssignModule(ctx context.Context, db *store.DB, cat *learning.Catalogue, module string, offer int64, now time.Time) error {
	if cat.Module(module) == nil {
		return &UsageError{Msg: msgf("offers.err.unknown_module", "Module", module)}
	}
	if offer != OwnOffer {
		o, err := Get(ctx, db, offer)
		if err != nil {
			return err
		}
		if o.Removed != nil {
			return &UsageError{Msg: msgf("offers.err.removed", "ID", offer)}
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT OR REPLACE INTO module_offers (module_id, offer_id, at) VALUES (?, ?, ?)`, module, offer, ts(now)); err != nil {
		return fmt.Errorf("assign module: %w", err)
	}
	return nil
}

// UnassignModule removes an offer (or OwnOffer) from a module.
func UnassignModule(ctx context.Context, db *store.DB, module string, offer int64) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM module_offers WHERE module_id = ? AND offer_id = ?`, module, offer); err != nil {
		return fmt.Errorf("unassign module: %w", err)
	}
	return nil
}

// ModuleOffers returns per module the assigned offer ids (OwnOffer for
// "eigene Schulung"), in the order they were assigned.
func ModuleOffers(ctx context.Context, db *store.DB) (map[string][]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT module_id, offer_id FROM module_offers ORDER BY at, rowid`)
	if err != nil {
		return nil, fmt.Errorf("module offers: %w", err)
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var m string
		var id int64
		if err := rows.Scan(&m, &id); err != nil {
			return nil, err
		}
		out[m] = append(out[m], id)
	}
	return out, rows.Err()
}

// Apply writes the offers assigned in the database into the catalogue's
// modules (replacing what the YAML named for a module that has
// assignments), so learning paths and quiz results name real courses.
// Removed offers are left out.
func Apply(ctx context.Context, db *store.DB, cat *learning.Catalogue) error {
	mo, err := ModuleOffers(ctx, db)
	if err != nil {
		return err
	}
	if len(mo) == 0 {
		return nil
	}
	all, err := List(ctx, db, false)
	if err != nil {
		return err
	}
	byID := map[int64]*Offer{}
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	for i := range cat.Modules {
		ids, ok := mo[cat.Modules[i].ID]
		if !ok {
			continue
		}
		var refs []learning.CourseRef
		for _, id := range ids {
			if id == OwnOffer {
				refs = append(refs, learning.CourseRef{Own: true})
				continue
			}
			if o := byID[id]; o != nil {
				refs = append(refs, o.Ref())
			}
		}
		cat.Modules[i].Offers = refs
	}
	return nil
}

// Ref is the offer as a catalogue module names it.
func (o *Offer) Ref() learning.CourseRef {
	lang := ""
	if len(o.Languages) > 0 {
		lang = o.Languages[0]
	}
	return learning.CourseRef{Title: o.Name, Provider: o.Provider, URL: o.URL, DurationMinutes: o.DurationMinutes, Language: lang, Cost: o.CostText()}
}
