package cloud

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// Schema is the cloud part of the database: the configured endpoint (one
// row, without any key) and the consents given per run.
var Schema = store.Schema{Component: "cloud", Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE cloud_endpoint (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	config TEXT NOT NULL,      -- JSON of cloud.Endpoint; holds no key by construction
	updated TEXT NOT NULL
);
CREATE TABLE cloud_consents (
	id INTEGER PRIMARY KEY,
	run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,
	host TEXT NOT NULL,
	url TEXT NOT NULL,
	bundle_id TEXT NOT NULL,
	prompt_ids TEXT NOT NULL,  -- JSON array
	given_at TEXT NOT NULL,
	via TEXT NOT NULL          -- gui or cli
);
CREATE INDEX cloud_consents_run ON cloud_consents(run_id);`}}}

// SaveEndpoint stores the endpoint configuration.
func SaveEndpoint(ctx context.Context, db *store.DB, ep Endpoint) error {
	b, err := json.Marshal(ep)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `INSERT INTO cloud_endpoint (id, config, updated) VALUES (1, ?, ?)
		ON CONFLICT(id) DO UPDATE SET config = excluded.config, updated = excluded.updated`,
		string(b), time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("save cloud endpoint: %w", err)
	}
	return nil
}

// LoadEndpoint returns the stored endpoint; ok is false when none is set.
func LoadEndpoint(ctx context.Context, db *store.DB) (ep Endpoint, ok bool, err error) {
	var raw string
	err = db.QueryRowContext(ctx, `SELECT config FROM cloud_endpoint WHERE id = 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return Endpoint{Preset: PresetCustom}, false, nil
	}
	if err != nil {
		return Endpoint{}, false, fmt.Errorf("load cloud endpoint: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &ep); err != nil {
		return Endpoint{}, false, fmt.Errorf("load cloud endpoint: %w", err)
	}
	return ep, true, nil
}

// RecordConsent stores a consent and returns its id. runID 0 records it
// before the run exists (LinkConsent adds the run later).
func RecordConsent(ctx context.Context, db *store.DB, runID int64, c *Consent) (int64, error) {
	ids, _ := json.Marshal(c.PromptIDs)
	var run any
	if runID != 0 {
		run = runID
	}
	res, err := db.ExecContext(ctx, `INSERT INTO cloud_consents (run_id, host, url, bundle_id, prompt_ids, given_at, via)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, run, c.Host, c.URL, c.BundleID, string(ids), c.GivenAt.UTC().Format(time.RFC3339Nano), c.Via)
	if err != nil {
		return 0, fmt.Errorf("record consent: %w", err)
	}
	return res.LastInsertId()
}

// LinkConsent attaches a recorded consent to the run it was given for.
func LinkConsent(ctx context.Context, db *store.DB, consentID, runID int64) error {
	if _, err := db.ExecContext(ctx, `UPDATE cloud_consents SET run_id = ? WHERE id = ?`, runID, consentID); err != nil {
		return fmt.Errorf("link consent %d to run %d: %w", consentID, runID, err)
	}
	return nil
}

// ConsentForRun returns the consent recorded for a run, or nil.
func ConsentForRun(ctx context.Context, db *store.DB, runID int64) (*Consent, error) {
	var c Consent
	var ids, given string
	err := db.QueryRowContext(ctx, `SELECT host, url, bundle_id, prompt_ids, given_at, via FROM cloud_consents
		WHERE run_id = ? ORDER BY id DESC LIMIT 1`, runID).Scan(&c.Host, &c.URL, &c.BundleID, &ids, &given, &c.Via)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read consent of run %d: %w", runID, err)
	}
	json.Unmarshal([]byte(ids), &c.PromptIDs)
	c.GivenAt, _ = time.Parse(time.RFC3339Nano, given)
	return &c, nil
}
