package cloudrun

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/store"
)

// Schemas are the database parts a cloud run writes.
var Schemas = []store.Schema{bench.Schema, cloud.Schema, Schema}

// Schema holds the network timings of cloud samples.
var Schema = store.Schema{Component: "cloudrun", Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE cloud_network (
	run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	prompt_idx INTEGER NOT NULL,
	rep INTEGER NOT NULL,
	warmup INTEGER NOT NULL,
	dns_ms REAL NOT NULL, connect_ms REAL NOT NULL, tls_ms REAL NOT NULL, headers_ms REAL NOT NULL,
	reused_conn INTEGER NOT NULL,
	retries INTEGER NOT NULL
);
CREATE INDEX cloud_network_run ON cloud_network(run_id);`}}}

// Request is one cloud run.
type Request struct {
	Endpoint cloud.Endpoint
	Key      cloud.APIKey
	Bundle   *bench.Bundle
	// Consent is the user's confirmation for this run (Plan(...).Grant);
	// nil is refused for any endpoint off this PC.
	Consent *cloud.Consent
	Repeat  int // default 5
	Warmup  int // bench semantics: 0 = default 1, -1 = none

	OnProgress func(bench.Progress)
	OnToken    func(promptIndex, rep int, text string)
	OnRetry    func(cloud.RetryEvent)
	// Policy is the AI policy in force (nil: the packaged Muster) and
	// DataClass the class of the test inputs ("": synthetic, which is
	// oeffentlich). A run the policy forbids is refused before anything
	// is sent (*policy.RefusedError).
	Policy    *policy.Policy
	DataClass dataclass.Class
	// client options for tests (short backoff)
	ClientOptions cloud.ClientOptions
}

// PlanFor lists what a run of bundle b against ep would send.
func PlanFor(ep cloud.Endpoint, b *bench.Bundle) cloud.Plan {
	p := cloud.Plan{Endpoint: ep, BundleID: b.ID, BundleVersion: b.Version, CloudAllowed: b.AllowsCloud()}
	for _, pr := range b.Prompts {
		uc := pr.Title
		if uc == "" {
			uc = pr.UseCase
		}
		p.Prompts = append(p.Prompts, cloud.PromptInfo{ID: pr.ID, UseCase: uc})
	}
	return p
}

// Run checks consent, records it, runs the bundle and stores the run with
// its network timings. Like bench.Execute it returns what was measured
// together with the error that ended the run early. Nothing is sent when
// the consent check fails; then the result is nil.
func Run(ctx context.Context, db *store.DB, req Request) (*bench.Result, error) {
	ep := req.Endpoint
	lang := req.ClientOptions.Lang
	if err := ep.Validate(); err != nil {
		return nil, cloud.Localized(err, lang)
	}
	if req.Bundle == nil {
		return nil, errors.New("no bundle given")
	}
	if d := PolicyDecision(req); !d.Allowed() {
		return nil, &policy.RefusedError{Decision: d, Lang: lang}
	}
	plan := PlanFor(ep, req.Bundle)
	if err := cloud.Authorize(plan, req.Consent); err != nil {
		return nil, cloud.Localized(err, lang)
	}
	if req.Key.Empty() && !ep.IsLoopback() {
		return nil, cloud.Localized(cloud.ErrNoKeyFor(ep.Host()), lang)
	}
	bg := context.WithoutCancel(ctx)
	// The consent is stored before the first prompt leaves, so it is on
	// record even if the program dies mid-run; the run id follows.
	var consentID int64
	if req.Consent != nil {
		id, err := cloud.RecordConsent(bg, db, 0, req.Consent)
		if err != nil {
			return nil, err
		}
		consentID = id
	}

	var mu sync.Mutex
	var pending *cloud.NetworkTiming
	type netRow struct {
		s bench.Sample
		t cloud.NetworkTiming
	}
	var rows []netRow
	opts := req.ClientOptions
	opts.OnRetry = req.OnRetry
	var retries int
	opts.OnTiming = func(t cloud.NetworkTiming) {
		mu.Lock()
		retries += t.Retries
		t.Retries = retries // retries since the last sample
		pending = &t
		mu.Unlock()
	}
	hc, err := cloud.HTTPClient(ep, opts)
	if err != nil {
		return nil, err
	}
	defer cloud.CloseIdle(hc)

	res, runErr := bench.Execute(ctx, db, bench.Options{
		Endpoint: bench.Endpoint{URL: ep.RequestBaseURL(), Runtime: bench.RuntimeGeneric, APIKey: req.Key.Reveal(), HTTPClient: hc},
		Model:    bench.ModelInfo{Name: ep.ModelName()},
		Bundle:   req.Bundle, Protocol: bench.ProtocolOpenAI,
		Repeat: req.Repeat, Warmup: req.Warmup,
		AllowRemote: !ep.IsLoopback(), Consent: req.Consent,
		OnProgress: req.OnProgress, OnToken: req.OnToken,
		OnSample: func(_ bench.PromptResult, s bench.Sample) {
			mu.Lock()
			defer mu.Unlock()
			if pending != nil {
				rows = append(rows, netRow{s: s, t: *pending})
				pending, retries = nil, 0
			}
		},
	})
	if res == nil {
		return nil, preferCloudError(runErr, lang)
	}
	if consentID != 0 {
		if err := cloud.LinkConsent(bg, db, consentID, res.RunID); err != nil && runErr == nil {
			runErr = err
		}
	}
	for _, r := range rows {
		_, err := db.ExecContext(bg, `INSERT INTO cloud_network (run_id, prompt_idx, rep, warmup, dns_ms, connect_ms, tls_ms, headers_ms, reused_conn, retries)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, res.RunID, r.s.PromptIndex, r.s.Rep, r.s.Warmup,
			r.t.DNSMs, r.t.ConnectMs, r.t.TLSMs, r.t.HeadersMs, r.t.ReusedConn, r.t.Retries)
		if err != nil && runErr == nil {
			runErr = fmt.Errorf("store network timing: %w", err)
		}
	}
	return res, preferCloudError(runErr, lang)
}

// PolicyDecision is what the AI policy says about the request: the
// endpoint's cloud tool (an endpoint on this PC counts as the workplace
// PC) with the request's data class, for the purpose "test".
func PolicyDecision(req Request) policy.Decision {
	p := req.Policy
	if p == nil {
		p = policy.Muster()
	}
	dc := req.DataClass
	if dc == "" {
		dc = dataclass.Synthetic()
	}
	if req.Endpoint.IsLoopback() {
		if d, err := p.Check(policy.KindWorkplace, dc, policy.PurposeTest); err == nil {
			return d
		}
	}
	return p.CheckCloud(req.Endpoint.Host(), dc, policy.PurposeTest)
}

// preferCloudError surfaces the *cloud.Error (with its hint, in lang)
// when the runner's error wraps one.
func preferCloudError(err error, lang string) error {
	var ce *cloud.Error
	if err != nil && errors.As(err, &ce) {
		return ce.Localize(lang)
	}
	return err
}

// SampleNetwork is one answer's network timing.
type SampleNetwork struct {
	PromptIndex int  `json:"prompt_index"`
	Rep         int  `json:"rep"`
	Warmup      bool `json:"warmup"`
	cloud.NetworkTiming
}

// LoadNetwork returns the network timings stored for a run (none for a
// local run).
func LoadNetwork(ctx context.Context, db *store.DB, runID int64) ([]SampleNetwork, error) {
	rows, err := db.QueryContext(ctx, `SELECT prompt_idx, rep, warmup, dns_ms, connect_ms, tls_ms, headers_ms, reused_conn, retries
		FROM cloud_network WHERE run_id = ? ORDER BY rowid`, runID)
	if err != nil {
		return nil, fmt.Errorf("load network timings of run %d: %w", runID, err)
	}
	defer rows.Close()
	var out []SampleNetwork
	for rows.Next() {
		var s SampleNetwork
		if err := rows.Scan(&s.PromptIndex, &s.Rep, &s.Warmup, &s.DNSMs, &s.ConnectMs, &s.TLSMs, &s.HeadersMs, &s.ReusedConn, &s.Retries); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
