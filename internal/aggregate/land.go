package aggregate

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// Schema is the Land's part of a database (kicheck collect --aggregates
// --db FILE): one row per municipality, its newest file.
var Schema = store.Schema{Component: "aggregate", Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE aggregate_municipalities (
	ags       TEXT PRIMARY KEY,   -- Amtlicher Gemeindeschlüssel, 8 digits
	name      TEXT NOT NULL,
	created   TEXT NOT NULL,      -- RFC 3339 UTC, when the municipality wrote the file
	data_from TEXT NOT NULL,      -- YYYY-MM-DD
	data_to   TEXT NOT NULL,
	devices   INTEGER NOT NULL,
	overall   TEXT NOT NULL,      -- JSON: the file's overall groups, for the Land view
	sha256    TEXT NOT NULL,      -- of the file's bytes
	signer    TEXT NOT NULL,      -- SHA256 fingerprint of the key that signed it
	imported  TEXT NOT NULL,      -- RFC 3339 UTC
	data      BLOB NOT NULL,      -- the exact signed bytes
	sig       BLOB NOT NULL
);`}}}

// Stored is what the Land keeps of one municipality.
type Stored struct {
	AGS, Name, Created, From, To, SHA256, Signer, Imported string
	Devices                                                int
	Overall                                                []Group
	Data, Sig                                              []byte
}

// LandStore is the Land's storage: the newest file per municipality. The
// SQLite store (SQLiteStore) implements it; a second store implements the
// same three methods.
type LandStore interface {
	// Current returns what is stored for these AGS.
	Current(ctx context.Context, ags []string) (map[string]Stored, error)
	// Put stores every entry, replacing the same AGS, in one transaction:
	// all or none.
	Put(ctx context.Context, entries []Stored) error
	// All returns every municipality, by AGS.
	All(ctx context.Context) ([]Stored, error)
}

// SQLiteStore is the Land's storage in a store.DB.
type SQLiteStore struct{ DB *store.DB }

// Current implements LandStore.
func (s SQLiteStore) Current(ctx context.Context, ags []string) (map[string]Stored, error) {
	out := map[string]Stored{}
	for _, a := range ags {
		var st Stored
		err := s.DB.QueryRowContext(ctx, `SELECT ags, name, created, sha256 FROM aggregate_municipalities WHERE ags = ?`, a).Scan(&st.AGS, &st.Name, &st.Created, &st.SHA256)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("land: read %s: %w", a, err)
		}
		out[a] = st
	}
	return out, nil
}

// Put implements LandStore.
func (s SQLiteStore) Put(ctx context.Context, entries []Stored) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("land: store: %w", err)
	}
	defer tx.Rollback()
	for _, e := range entries {
		overall, err := json.Marshal(e.Overall)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO aggregate_municipalities (ags, name, created, data_from, data_to, devices, overall, sha256, signer, imported, data, sig)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ags) DO UPDATE SET name = excluded.name, created = excluded.created, data_from = excluded.data_from, data_to = excluded.data_to,
			devices = excluded.devices, overall = excluded.overall, sha256 = excluded.sha256, signer = excluded.signer, imported = excluded.imported,
			data = excluded.data, sig = excluded.sig`,
			e.AGS, e.Name, e.Created, e.From, e.To, e.Devices, string(overall), e.SHA256, e.Signer, e.Imported, e.Data, e.Sig); err != nil {
			return fmt.Errorf("land: store %s: %w", e.AGS, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("land: store: %w", err)
	}
	return nil
}

// All implements LandStore (without the files' bytes).
func (s SQLiteStore) All(ctx context.Context) ([]Stored, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT ags, name, created, data_from, data_to, devices, overall, signer, imported FROM aggregate_municipalities ORDER BY ags`)
	if err != nil {
		return nil, fmt.Errorf("land: read: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var st Stored
		var overall string
		if err := rows.Scan(&st.AGS, &st.Name, &st.Created, &st.From, &st.To, &st.Devices, &overall, &st.Signer, &st.Imported); err != nil {
			return nil, fmt.Errorf("land: read: %w", err)
		}
		if err := json.Unmarshal([]byte(overall), &st.Overall); err != nil {
			return nil, fmt.Errorf("land: read %s: %w", st.AGS, err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// Outcomes of a file at the Land's intake.
const (
	OutcomeNew       = "new"       // first data of this municipality
	OutcomeReplaced  = "replaced"  // newer than the stored data, which it replaces
	OutcomeDuplicate = "duplicate" // the same file is stored
	OutcomeOlder     = "older"     // not newer than what is stored (or than another file given): not taken
	OutcomeRefused   = "refused"   // failed a check
	OutcomeHeldBack  = "held_back" // passed, but not stored because another file was refused
)

// FileResult is one file's outcome.
type FileResult struct {
	File    string   `json:"file"`
	AGS     string   `json:"ags,omitempty"`
	Name    string   `json:"municipality,omitempty"`
	Outcome string   `json:"outcome"`
	Message string   `json:"message"`
	msg     i18n.Msg `json:"-"`
}

// Summary is the Land's intake of several files.
type Summary struct {
	Files    []FileResult `json:"files"`
	Stored   int          `json:"stored"`
	Refused  int          `json:"refused"`
	NotTaken int          `json:"not_taken"` // duplicates and older files
	// HeldBack counts good files not stored because another was refused.
	HeldBack int `json:"held_back"`
}

// Localize renders every message in lang.
func (s Summary) Localize(lang string) Summary {
	out := s
	out.Files = slices.Clone(s.Files)
	for i := range out.Files {
		out.Files[i].Message = out.Files[i].msg.Text(lang)
	}
	return out
}

// Line is the summary in one line, in lang.
func (s Summary) Line(lang string) string {
	return i18n.T(lang, "aggregate.intake.summary", map[string]any{"Stored": s.Stored, "Refused": s.Refused, "NotTaken": s.NotTaken, "HeldBack": s.HeldBack})
}

// Import reads every file (and its .sig), verifies each against allowed
// and stores the newest per municipality in ls: all or nothing. When any
// file is refused, nothing is stored and the summary names each reason.
func Import(ctx context.Context, ls LandStore, paths []string, allowed *signing.AllowedSigners, now time.Time) (Summary, error) {
	var sum Summary
	var ok []*Verified
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		v, err := readVerify(p, allowed, now)
		if err != nil {
			msg := i18n.Msg{ID: "aggregate.intake.error", Data: map[string]any{"Err": err.Error()}}
			if e, isE := err.(*Error); isE {
				msg = e.Msg
			}
			sum.Files = append(sum.Files, FileResult{File: p, Outcome: OutcomeRefused, msg: msg})
			sum.Refused++
			continue
		}
		ok = append(ok, v)
		sum.Files = append(sum.Files, FileResult{File: p, AGS: v.Doc.Municipality.AGS, Name: v.Doc.Municipality.Name})
	}
	if sum.Refused > 0 {
		for i := range sum.Files {
			if sum.Files[i].Outcome == "" {
				sum.Files[i].Outcome = OutcomeHeldBack
				sum.Files[i].msg = i18n.Msg{ID: "aggregate.intake.held_back"}
				sum.HeldBack++
			}
		}
		return sum, nil
	}
	// The newest file per AGS among those given.
	newest := map[string]int{}
	for i, v := range ok {
		j, seen := newest[v.Doc.Municipality.AGS]
		if !seen || v.Doc.Created > ok[j].Doc.Created {
			newest[v.Doc.Municipality.AGS] = i
		}
	}
	ags := make([]string, 0, len(newest))
	for a := range newest {
		ags = append(ags, a)
	}
	sort.Strings(ags)
	cur, err := ls.Current(ctx, ags)
	if err != nil {
		return sum, err
	}
	var put []Stored
	for i, v := range ok {
		d := v.Doc
		fr := &sum.Files[i]
		data := map[string]any{"Name": i18n.Escape(d.Municipality.Name), "AGS": d.Municipality.AGS,
			"Created": createdText(d.Created), "From": dateText(d.Data.From), "To": dateText(d.Data.To)}
		h := sha256.Sum256(v.Data)
		sha := hex.EncodeToString(h[:])
		st, stored := cur[d.Municipality.AGS]
		switch {
		case newest[d.Municipality.AGS] != i:
			fr.Outcome, fr.msg = OutcomeOlder, i18n.Msg{ID: "aggregate.intake.older_given", Data: data}
		case stored && st.SHA256 == sha:
			fr.Outcome, fr.msg = OutcomeDuplicate, i18n.Msg{ID: "aggregate.intake.duplicate", Data: data}
		case stored && st.Created >= d.Created:
			data["Stored"] = createdText(st.Created)
			fr.Outcome, fr.msg = OutcomeOlder, i18n.Msg{ID: "aggregate.intake.older", Data: data}
		default:
			if stored {
				data["Stored"] = createdText(st.Created)
				fr.Outcome, fr.msg = OutcomeReplaced, i18n.Msg{ID: "aggregate.intake.replaced", Data: data}
			} else {
				fr.Outcome, fr.msg = OutcomeNew, i18n.Msg{ID: "aggregate.intake.new", Data: data}
			}
			put = append(put, Stored{AGS: d.Municipality.AGS, Name: d.Municipality.Name, Created: d.Created, From: d.Data.From, To: d.Data.To,
				Devices: d.Devices, Overall: d.Overall, SHA256: sha, Signer: v.Fingerprint, Imported: now.UTC().Format(time.RFC3339),
				Data: v.Data, Sig: v.Sig})
		}
		if fr.Outcome == OutcomeNew || fr.Outcome == OutcomeReplaced {
			sum.Stored++
		} else {
			sum.NotTaken++
		}
	}
	if len(put) > 0 {
		if err := ls.Put(ctx, put); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

func readVerify(p string, allowed *signing.AllowedSigners, now time.Time) (*Verified, error) {
	data, sig, err := ReadFile(p)
	if err != nil {
		return nil, err
	}
	return Verify(p, data, sig, allowed, now)
}

// createdText renders an RFC 3339 time per language (UTC).
func createdText(s string) i18n.Texter {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return plain(s)
	}
	return i18n.Time(t)
}

func dateText(s string) i18n.Texter {
	d, err := i18n.ParseDate(s)
	if err != nil {
		return plain(s)
	}
	return d
}

type plain string

func (p plain) Text(string) string { return string(p) }

// LandView is readiness per municipality and in total.
type LandView struct {
	SchemaVersion  int       `json:"schema_version"`
	GeneratedAt    time.Time `json:"generated_at"`
	MinBucket      int       `json:"min_bucket"`
	Municipalities []LandRow `json:"municipalities"`
	Total          Tally     `json:"total"`
}

// LandRow is one municipality.
type LandRow struct {
	AGS   string `json:"ags"`
	Name  string `json:"name"`
	Tally        // its devices
	// Merged are its level groups that join several levels (their
	// devices count in Tally.InMerged, not in the single levels).
	Merged   []Group `json:"merged"`
	From     string  `json:"data_from"`
	To       string  `json:"data_to"`
	Created  string  `json:"created"`
	Imported string  `json:"imported"`
}

// Tally counts devices by overall level. A level merged with another in
// a municipality's file counts in Merged, so Ready is a lower bound where
// InMerged > 0.
type Tally struct {
	Municipalities int     `json:"municipalities,omitempty"`
	Devices        int     `json:"devices"`
	Ready          int     `json:"ready"`
	Limited        int     `json:"limited"`
	NotReady       int     `json:"not_ready"`
	Unknown        int     `json:"unknown"`
	InMerged       int     `json:"in_merged_groups"`
	ReadyShare     float64 `json:"ready_share"` // Ready / Devices
}

func (t *Tally) add(key string, n int) {
	switch key {
	case report.LevelReady:
		t.Ready += n
	case report.LevelLimited:
		t.Limited += n
	case report.LevelNotReady:
		t.NotReady += n
	default:
		t.Unknown += n
	}
}

func (t *Tally) share() {
	if t.Devices > 0 {
		t.ReadyShare = float64(t.Ready) / float64(t.Devices)
	}
}

// View reads the Land view from ls.
func View(ctx context.Context, ls LandStore, now time.Time) (*LandView, error) {
	all, err := ls.All(ctx)
	if err != nil {
		return nil, err
	}
	v := &LandView{SchemaVersion: 1, GeneratedAt: now.UTC().Truncate(time.Second), MinBucket: MinBucket, Municipalities: make([]LandRow, 0, len(all))}
	for _, st := range all {
		r := LandRow{AGS: st.AGS, Name: st.Name, From: st.From, To: st.To, Created: st.Created, Imported: st.Imported, Merged: []Group{}}
		r.Devices = st.Devices
		for _, g := range st.Overall {
			if g.Merged() {
				r.Merged = append(r.Merged, g)
				r.InMerged += g.Devices
			} else if len(g.Keys) == 1 {
				r.Tally.add(g.Keys[0], g.Devices)
			}
		}
		r.share()
		t := &v.Total
		t.Municipalities++
		t.Devices += r.Devices
		t.Ready += r.Ready
		t.Limited += r.Limited
		t.NotReady += r.NotReady
		t.Unknown += r.Unknown
		t.InMerged += r.InMerged
		v.Municipalities = append(v.Municipalities, r)
	}
	v.Total.share()
	return v, nil
}
