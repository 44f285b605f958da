package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/store"
)

// RunKind is the kind of bench runs in the shared runs table.
const RunKind = "bench"

// Schema is the bench part of the database. A run row references
// runs(id); every sample, with its client and runtime figures side by side,
// and every check result is a row, so runs stay comparable over months
// (runtime version, model digest and quantization, bundle version and
// sha256 are stored with the run).
var Schema = store.Schema{
	Component: "bench",
	Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE bench_runs (
	run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	endpoint TEXT NOT NULL,
	remote INTEGER NOT NULL,
	protocol TEXT NOT NULL,
	runtime TEXT NOT NULL,
	runtime_version TEXT NOT NULL,
	host TEXT NOT NULL,
	model TEXT NOT NULL,
	model_digest TEXT NOT NULL,
	model_quantization TEXT NOT NULL,
	model_family TEXT NOT NULL,
	model_parameters TEXT NOT NULL,
	model_size_bytes INTEGER NOT NULL,
	bundle_id TEXT NOT NULL,
	bundle_version TEXT NOT NULL,
	bundle_sha256 TEXT NOT NULL,
	bundle_title TEXT NOT NULL,
	bundle_source TEXT NOT NULL,
	repeat INTEGER NOT NULL,
	warmup INTEGER NOT NULL,
	varied_prompts INTEGER NOT NULL,
	load_client_ms REAL,
	load_runtime_ms REAL,
	calibration TEXT,
	complete INTEGER NOT NULL DEFAULT 0,
	error_kind TEXT NOT NULL DEFAULT '',
	error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX bench_runs_model ON bench_runs(model, model_digest);
CREATE TABLE bench_prompts (
	run_id INTEGER NOT NULL REFERENCES bench_runs(run_id) ON DELETE CASCADE,
	idx INTEGER NOT NULL,
	prompt_id TEXT NOT NULL,
	use_case TEXT NOT NULL,
	title TEXT NOT NULL,
	max_tokens INTEGER NOT NULL,
	synthetic_tokens INTEGER NOT NULL,
	PRIMARY KEY (run_id, idx)
);
CREATE TABLE bench_samples (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL,
	prompt_idx INTEGER NOT NULL,
	rep INTEGER NOT NULL,
	warmup INTEGER NOT NULL,
	started TEXT NOT NULL,
	ttft_ms REAL, e2e_ms REAL, decode_ms REAL,
	tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL,
	cached_tokens INTEGER NOT NULL, chunks INTEGER NOT NULL,
	decode_tps REAL, prompt_tps REAL,
	rt_source TEXT NOT NULL,
	rt_load_ms REAL, rt_prompt_tokens INTEGER NOT NULL, rt_prompt_ms REAL,
	rt_eval_tokens INTEGER NOT NULL, rt_eval_ms REAL,
	rt_prompt_tps REAL, rt_decode_tps REAL, rt_ttft_ms REAL,
	finish_reason TEXT NOT NULL,
	answer TEXT NOT NULL,
	error TEXT NOT NULL,
	FOREIGN KEY (run_id, prompt_idx) REFERENCES bench_prompts(run_id, idx) ON DELETE CASCADE
);
CREATE INDEX bench_samples_run ON bench_samples(run_id, prompt_idx, rep);
CREATE TABLE bench_checks (
	sample_id INTEGER NOT NULL REFERENCES bench_samples(id) ON DELETE CASCADE,
	idx INTEGER NOT NULL,
	kind TEXT NOT NULL,
	passed INTEGER NOT NULL,
	detail TEXT NOT NULL,
	PRIMARY KEY (sample_id, idx)
);`}},
}

// nullable stores NaN (not measured) as NULL.
func nullable(x float64) sql.NullFloat64 {
	return sql.NullFloat64{Float64: x, Valid: !math.IsNaN(x) && !math.IsInf(x, 0)}
}

func fromNull(n sql.NullFloat64) float64 {
	if !n.Valid {
		return math.NaN()
	}
	return n.Float64
}

// Execute runs opts and stores the run as it goes: the run row first, each
// sample as soon as it is measured (so a crash or a cancel keeps what was
// measured), the final status and summary last. It returns the result.
func Execute(ctx context.Context, db *store.DB, opts Options) (*Result, error) {
	// Storing must go on after the run's context is cancelled.
	bg := context.WithoutCancel(ctx)
	runID, err := db.StartRun(bg, RunKind)
	if err != nil {
		return nil, err
	}
	if err := insertRunHeader(bg, db, runID, opts); err != nil {
		return nil, err
	}
	var saveErr error
	userSample := opts.OnSample
	promptsSaved := map[int]bool{}
	opts.OnSample = func(pr PromptResult, s Sample) {
		if saveErr == nil && !promptsSaved[pr.Index] {
			saveErr = insertPrompt(bg, db, runID, pr)
			promptsSaved[pr.Index] = true
		}
		if saveErr == nil {
			saveErr = insertSample(bg, db, runID, s)
		}
		if userSample != nil {
			userSample(pr, s)
		}
	}
	res, runErr := Run(ctx, opts)
	res.RunID = runID
	if err := updateRunHeader(bg, db, res); err != nil && saveErr == nil {
		saveErr = err
	}
	status := store.StatusDone
	switch res.Status {
	case "cancelled":
		status = store.StatusCancelled
	case "failed":
		status = store.StatusFailed
	}
	if err := db.FinishRun(bg, runID, status, Summarize(res)); err != nil && saveErr == nil {
		saveErr = err
	}
	if saveErr != nil {
		return res, fmt.Errorf("store bench run %d: %w", runID, saveErr)
	}
	return res, runErr
}

func insertRunHeader(ctx context.Context, db *store.DB, runID int64, opts Options) error {
	ep := opts.Endpoint
	b := opts.Bundle
	var bid, bver, bsum, btitle, bsrc string
	if b != nil {
		bid, bver, bsum, btitle, bsrc = b.ID, b.Version, b.SHA256, b.Title, b.Source
	}
	m := opts.Model
	_, err := db.ExecContext(ctx, `INSERT INTO bench_runs (run_id, endpoint, remote, protocol, runtime, runtime_version, host,
		model, model_digest, model_quantization, model_family, model_parameters, model_size_bytes,
		bundle_id, bundle_version, bundle_sha256, bundle_title, bundle_source, repeat, warmup, varied_prompts)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		runID, ep.Redacted(), ep.IsRemote(), opts.Protocol, ep.runtimeName(), ep.RuntimeVersion, hostname(),
		m.Name, m.Digest, m.Quantization, m.Family, m.Parameters, m.SizeBytes,
		bid, bver, bsum, btitle, bsrc, opts.Repeat, opts.Warmup, !opts.SameEachTime)
	if err != nil {
		return fmt.Errorf("store bench run %d: %w", runID, err)
	}
	return nil
}

func updateRunHeader(ctx context.Context, db *store.DB, r *Result) error {
	var cal sql.NullString
	if r.Calibration != nil {
		b, _ := json.Marshal(r.Calibration)
		cal = sql.NullString{String: string(b), Valid: true}
	}
	m := r.Model
	_, err := db.ExecContext(ctx, `UPDATE bench_runs SET protocol = ?, model_digest = ?, model_quantization = ?, model_family = ?,
		model_parameters = ?, model_size_bytes = ?, repeat = ?, warmup = ?, load_client_ms = ?, load_runtime_ms = ?,
		calibration = ?, complete = ?, error_kind = ?, error = ? WHERE run_id = ?`,
		r.Protocol, m.Digest, m.Quantization, m.Family, m.Parameters, m.SizeBytes, r.Repeat, r.Warmup,
		nullable(r.Load.ClientMS), nullable(r.Load.RuntimeMS), cal, r.Complete, r.ErrorKind, r.Error, r.RunID)
	return err
}

func insertPrompt(ctx context.Context, db *store.DB, runID int64, pr PromptResult) error {
	_, err := db.ExecContext(ctx, `INSERT INTO bench_prompts (run_id, idx, prompt_id, use_case, title, max_tokens, synthetic_tokens)
		VALUES (?,?,?,?,?,?,?)`, runID, pr.Index, pr.PromptID, pr.UseCase, pr.Title, pr.MaxTokens, pr.SyntheticTokens)
	return err
}

func insertSample(ctx context.Context, db *store.DB, runID int64, s Sample) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rf := s.Runtime
	res, err := tx.ExecContext(ctx, `INSERT INTO bench_samples (run_id, prompt_idx, rep, warmup, started,
		ttft_ms, e2e_ms, decode_ms, tokens_in, tokens_out, cached_tokens, chunks, decode_tps, prompt_tps,
		rt_source, rt_load_ms, rt_prompt_tokens, rt_prompt_ms, rt_eval_tokens, rt_eval_ms, rt_prompt_tps, rt_decode_tps, rt_ttft_ms,
		finish_reason, answer, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		runID, s.PromptIndex, s.Rep, s.Warmup, s.Started.UTC().Format(time.RFC3339Nano),
		nullable(s.TTFTms), nullable(s.E2Ems), nullable(s.DecodeMS), s.TokensIn, s.TokensOut, s.CachedTokens, s.Chunks,
		nullable(s.DecodeTPS), nullable(s.PromptTPS),
		rf.Source, nullable(rf.LoadMS), rf.PromptTokens, nullable(rf.PromptMS), rf.EvalTokens, nullable(rf.EvalMS),
		nullable(rf.PromptTPS), nullable(rf.DecodeTPS), nullable(rf.TTFTms),
		s.FinishReason, s.Answer, s.Error)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for i, c := range s.Checks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_checks (sample_id, idx, kind, passed, detail) VALUES (?,?,?,?,?)`,
			id, i, c.Kind, c.Passed, c.Detail); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ErrNotBenchRun is returned when a run id belongs to another capability.
var ErrNotBenchRun = errors.New("not a bench run")

// Load reads a stored run with all its samples.
func Load(ctx context.Context, db *store.DB, runID int64) (*Result, error) {
	run, err := db.GetRun(ctx, runID)
	if errors.Is(err, store.ErrRunNotFound) {
		return nil, i18n.NewError("bench.run_not_found", "benchcli.list_hint", map[string]any{"ID": runID}, err)
	}
	if err != nil {
		return nil, err
	}
	if run.Kind != RunKind {
		return nil, i18n.NewError("bench.not_bench_run", "benchcli.list_hint", map[string]any{"ID": runID, "Kind": run.Kind},
			fmt.Errorf("run %d (%s): %w", runID, run.Kind, ErrNotBenchRun))
	}
	r := &Result{RunID: runID, Started: run.Started, Finished: run.Finished, Status: run.Status}
	var cal sql.NullString
	var lc, lr sql.NullFloat64
	err = db.QueryRowContext(ctx, `SELECT endpoint, remote, protocol, runtime, runtime_version, host,
		model, model_digest, model_quantization, model_family, model_parameters, model_size_bytes,
		bundle_id, bundle_version, bundle_sha256, bundle_title, bundle_source, repeat, warmup, varied_prompts,
		load_client_ms, load_runtime_ms, calibration, complete, error_kind, error FROM bench_runs WHERE run_id = ?`, runID).Scan(
		&r.Endpoint, &r.Remote, &r.Protocol, &r.Runtime, &r.RuntimeVersion, &r.Host,
		&r.Model.Name, &r.Model.Digest, &r.Model.Quantization, &r.Model.Family, &r.Model.Parameters, &r.Model.SizeBytes,
		&r.Bundle.ID, &r.Bundle.Version, &r.Bundle.SHA256, &r.Bundle.Title, &r.Bundle.Source, &r.Repeat, &r.Warmup, &r.VariedPrompts,
		&lc, &lr, &cal, &r.Complete, &r.ErrorKind, &r.Error)
	if err != nil {
		return nil, fmt.Errorf("load bench run %d: %w", runID, err)
	}
	r.Load = LoadFigures{ClientMS: fromNull(lc), RuntimeMS: fromNull(lr)}
	if cal.Valid {
		r.Calibration = &Calibration{}
		_ = json.Unmarshal([]byte(cal.String), r.Calibration)
	}
	if r.Status == store.StatusRunning {
		r.Complete = false // a run that never finished (the app was closed)
	}
	rows, err := db.QueryContext(ctx, `SELECT idx, prompt_id, use_case, title, max_tokens, synthetic_tokens
		FROM bench_prompts WHERE run_id = ? ORDER BY idx`, runID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p PromptResult
		if err := rows.Scan(&p.Index, &p.PromptID, &p.UseCase, &p.Title, &p.MaxTokens, &p.SyntheticTokens); err != nil {
			rows.Close()
			return nil, err
		}
		r.Prompts = append(r.Prompts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byIdx := map[int]*PromptResult{}
	for i := range r.Prompts {
		byIdx[r.Prompts[i].Index] = &r.Prompts[i]
	}
	srows, err := db.QueryContext(ctx, `SELECT id, prompt_idx, rep, warmup, started, ttft_ms, e2e_ms, decode_ms,
		tokens_in, tokens_out, cached_tokens, chunks, decode_tps, prompt_tps,
		rt_source, rt_load_ms, rt_prompt_tokens, rt_prompt_ms, rt_eval_tokens, rt_eval_ms, rt_prompt_tps, rt_decode_tps, rt_ttft_ms,
		finish_reason, answer, error FROM bench_samples WHERE run_id = ? ORDER BY id`, runID)
	if err != nil {
		return nil, err
	}
	ids := map[int64]*Sample{}
	type ref struct {
		pi int
		id int64
	}
	var order []ref
	for srows.Next() {
		var s Sample
		var id int64
		var started string
		var ttft, e2e, dec, dtps, ptps, rl, rpm, rem, rptps, rdtps, rttft sql.NullFloat64
		rf := &s.Runtime
		if err := srows.Scan(&id, &s.PromptIndex, &s.Rep, &s.Warmup, &started, &ttft, &e2e, &dec,
			&s.TokensIn, &s.TokensOut, &s.CachedTokens, &s.Chunks, &dtps, &ptps,
			&rf.Source, &rl, &rf.PromptTokens, &rpm, &rf.EvalTokens, &rem, &rptps, &rdtps, &rttft,
			&s.FinishReason, &s.Answer, &s.Error); err != nil {
			srows.Close()
			return nil, err
		}
		s.Started, _ = time.Parse(time.RFC3339Nano, started)
		s.TTFTms, s.E2Ems, s.DecodeMS, s.DecodeTPS, s.PromptTPS = fromNull(ttft), fromNull(e2e), fromNull(dec), fromNull(dtps), fromNull(ptps)
		rf.LoadMS, rf.PromptMS, rf.EvalMS = fromNull(rl), fromNull(rpm), fromNull(rem)
		rf.PromptTPS, rf.DecodeTPS, rf.TTFTms = fromNull(rptps), fromNull(rdtps), fromNull(rttft)
		p := byIdx[s.PromptIndex]
		if p == nil {
			continue
		}
		p.Samples = append(p.Samples, s)
		order = append(order, ref{s.PromptIndex, id})
	}
	srows.Close()
	if err := srows.Err(); err != nil {
		return nil, err
	}
	// Point at the stored samples (the slices no longer grow).
	counts := map[int]int{}
	for _, o := range order {
		p := byIdx[o.pi]
		ids[o.id] = &p.Samples[counts[o.pi]]
		counts[o.pi]++
	}
	crows, err := db.QueryContext(ctx, `SELECT c.sample_id, c.kind, c.passed, c.detail FROM bench_checks c
		JOIN bench_samples s ON s.id = c.sample_id WHERE s.run_id = ? ORDER BY c.sample_id, c.idx`, runID)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var id int64
		var c CheckResult
		if err := crows.Scan(&id, &c.Kind, &c.Passed, &c.Detail); err != nil {
			return nil, err
		}
		if s := ids[id]; s != nil {
			s.Checks = append(s.Checks, c)
		}
	}
	return r, crows.Err()
}

// RunListing is one line of `kicheck bench --list`.
type RunListing struct {
	RunID          int64     `json:"run_id"`
	Started        time.Time `json:"started"`
	Status         string    `json:"status"`
	Complete       bool      `json:"complete"`
	Runtime        string    `json:"runtime"`
	RuntimeVersion string    `json:"runtime_version"`
	Endpoint       string    `json:"endpoint"`
	Model          string    `json:"model"`
	ModelDigest    string    `json:"model_digest"`
	Quantization   string    `json:"quantization"`
	Bundle         string    `json:"bundle"`
	BundleVersion  string    `json:"bundle_version"`
	Score          *float64  `json:"score"` // null when the run has too few figures
}

// ListRuns returns stored bench runs, newest first; model "" lists all.
func ListRuns(ctx context.Context, db *store.DB, model string, limit int) ([]RunListing, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.QueryContext(ctx, `SELECT r.id, r.started, r.status, r.summary, b.complete, b.runtime, b.runtime_version,
		b.endpoint, b.model, b.model_digest, b.model_quantization, b.bundle_id, b.bundle_version
		FROM runs r JOIN bench_runs b ON b.run_id = r.id
		WHERE (? = '' OR b.model = ?) ORDER BY r.started DESC, r.id DESC LIMIT ?`, model, model, limit)
	if err != nil {
		return nil, fmt.Errorf("list bench runs: %w", err)
	}
	defer rows.Close()
	var out []RunListing
	for rows.Next() {
		var l RunListing
		var started, summary string
		if err := rows.Scan(&l.RunID, &started, &l.Status, &summary, &l.Complete, &l.Runtime, &l.RuntimeVersion,
			&l.Endpoint, &l.Model, &l.ModelDigest, &l.Quantization, &l.Bundle, &l.BundleVersion); err != nil {
			return nil, err
		}
		l.Started, _ = time.Parse(time.RFC3339Nano, started)
		var s RunSummary
		if json.Unmarshal([]byte(summary), &s) == nil {
			l.Score = s.Score
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
