package collect

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// Outcome of one report at intake.
type Outcome string

const (
	Accepted  Outcome = "accepted"
	Duplicate Outcome = "duplicate"
	Rejected  Outcome = "rejected"
)

// Text is the outcome in words, in lang.
func (o Outcome) Text(lang string) string { return i18n.T(lang, "intake.outcome."+string(o)) }

// Problems the intake adds to report.Problem.
const (
	// ProblemNotEnrolled: the key is in no allowed_signers file and the
	// device was never enrolled, while enrolment is off.
	ProblemNotEnrolled report.Problem = "unknown_key"
	// ProblemEnrolConflict: the device id was enrolled with another key.
	ProblemEnrolConflict report.Problem = "enrolment_conflict"
	// ProblemEnrolLimit: the device is new, enrolment is on, but the
	// upload token's unit may enrol no more devices (or none).
	ProblemEnrolLimit report.Problem = "enrolment_limit"
	// ProblemRead: the file could not be read (or the archive entry was
	// refused: path traversal, size, compression ratio).
	ProblemRead report.Problem = "unreadable"
)

// Trust says which signing keys the intake accepts.
type Trust struct {
	// AllowedSigners, when set, must trust the key for the device id
	// (the same file IT uses with ssh-keygen -Y verify).
	AllowedSigners *signing.AllowedSigners
	// Enroll records the key of a device seen for the first time (trust
	// on first use). Without it and without AllowedSigners only devices
	// enrolled earlier are accepted. A device id is never re-bound to a
	// different key.
	Enroll bool
}

// Item is one report offered to the intake.
type Item struct {
	Source string // file path, "archive.zip!entry.json" or "upload:ORG-UNIT"
	Data   []byte
	Sig    []byte // nil when the signature file is missing
	// Err is set when the file could not be read; the item is rejected
	// with it.
	Err error
	// Grant, when set, is what the upload token the report came with
	// allows: the report counts for the token's unit whatever it says
	// itself, and enrolment through it is limited.
	Grant *Grant
	// release gives the item's bytes back to the walk's memory budget.
	release func()
}

// Grant is what one upload token allows.
type Grant struct {
	// Unit is the organisational unit the token belongs to.
	Unit string
	// MaxEnroll is how many devices may be enrolled (trust on first use)
	// through tokens of this unit in all; 0 switches enrolment through
	// them off, a negative number means no limit.
	MaxEnroll int
}

// Done gives the item's memory back to the walk that read it (Walk); the
// intake calls it once the item's bytes are no longer needed. Items not
// made by Walk have nothing to give back.
func (it Item) Done() {
	if it.release != nil {
		it.release()
	}
}

// FileResult is what happened to one item. Outcome and Problem are the
// stable codes; Message says it in German, Localize in another language.
type FileResult struct {
	Source   string         `json:"source"`
	Outcome  Outcome        `json:"outcome"`
	Problem  report.Problem `json:"problem,omitempty"`
	Message  string         `json:"message"`
	DeviceID string         `json:"device_id,omitempty"`
	ReportID string         `json:"report_id,omitempty"`
	SHA256   string         `json:"sha256,omitempty"`
	msg      i18n.Msg       // the id and values behind Message
}

// Summary is the result of an intake run.
type Summary struct {
	Accepted  int `json:"accepted"`
	Duplicate int `json:"duplicate"`
	Rejected  int `json:"rejected"`
	// Files lists every duplicate and rejected item with its reason,
	// sorted by source; accepted ones are counted only.
	Files []FileResult `json:"files"`
	// Incomplete is true when the run was cancelled; what was stored
	// before stays stored.
	Incomplete bool `json:"incomplete,omitempty"`
}

// withMsg sets the message of r, rendered in German.
func (r FileResult) withMsg(m i18n.Msg) FileResult {
	r.msg, r.Message = m, m.Text(i18n.Default)
	return r
}

// Localize returns r with Message in lang ("de", "en"); a result read
// back from JSON has no message id and is returned as it is.
func (r FileResult) Localize(lang string) FileResult {
	if r.msg.ID != "" {
		r.Message = r.msg.Text(lang)
	}
	return r
}

// Localize returns the summary with every file's Message in lang.
func (s Summary) Localize(lang string) Summary {
	files := make([]FileResult, len(s.Files))
	for i, f := range s.Files {
		files[i] = f.Localize(lang)
	}
	s.Files = files
	return s
}

func (s *Summary) add(r FileResult) {
	switch r.Outcome {
	case Accepted:
		s.Accepted++
		return
	case Duplicate:
		s.Duplicate++
	default:
		s.Rejected++
	}
	s.Files = append(s.Files, r)
}

// Line is the summary line the CLI prints, in lang.
func (s Summary) Line(lang string) string {
	line := i18n.T(lang, "intake.summary", map[string]any{"Accepted": i18n.Int(s.Accepted).Text(lang),
		"Duplicate": i18n.Int(s.Duplicate).Text(lang), "Rejected": i18n.Int(s.Rejected).Text(lang)})
	if s.Incomplete {
		line += " " + i18n.T(lang, "intake.summary_cancelled")
	}
	return line
}

// Intake verifies reports and stores the valid ones. It is safe for
// concurrent use; on SQLite writes are serialised, on PostgreSQL
// concurrent stores run at once (the database orders them per device).
type Intake struct {
	db    Store
	trust Trust
	now   func() time.Time
	mu    sync.Mutex // one writing transaction at a time (SQLite)
	// lastErr is the error of the last store, nil once one worked
	// again: the server's health answer.
	lastErr atomic.Pointer[error]
}

// lastStoreError is the error of the last store when it failed.
func (in *Intake) lastStoreError() error {
	if p := in.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

// NewIntake returns an intake writing to db.
func NewIntake(db Store, trust Trust) *Intake {
	return &Intake{db: db, trust: trust, now: time.Now}
}

// checked is an item after verification: a row to store, or a rejection.
type checked struct {
	row     *row
	result  FileResult
	release func() // the item's budget, held until the row is in a batch
}

// check verifies one item; it needs no database and runs in parallel.
func (in *Intake) check(it Item) checked {
	if it.Err != nil {
		return checked{result: FileResult{Source: it.Source, Outcome: Rejected, Problem: ProblemRead}.withMsg(
			i18n.Msg{ID: "intake.unreadable", Data: map[string]any{"Detail": errText(it.Err)}})}
	}
	res := report.Verify(it.Data, it.Sig, report.VerifyOptions{AllowedSigners: in.trust.AllowedSigners, Now: in.now()})
	if !res.Valid {
		return checked{result: FileResult{Source: it.Source, Outcome: Rejected, Problem: res.Problem, DeviceID: res.DeviceID}.withMsg(res.Msg())}
	}
	rw := extract(res, it.Data, it.Sig, it.Source)
	if it.Grant != nil {
		rw.Grant = it.Grant
		rw.OrgUnit = it.Grant.Unit // whatever the report names
	}
	rw.Stored, rw.Encoding = packReport(it.Data)
	rw.Data = nil // the compressed bytes are what is kept
	return checked{row: &rw, result: FileResult{Source: it.Source, Outcome: Accepted, DeviceID: rw.DeviceID, ReportID: rw.ReportID, SHA256: rw.SHA256}.withMsg(
		i18n.Msg{ID: "intake.stored", Data: map[string]any{"Device": rw.DeviceID, "Created": i18n.Time(rw.Created)}})}
}

// Add verifies and stores items in one transaction and returns one result
// per item, in order. Rejected items never reach the database; an error
// means the transaction was rolled back and nothing of this call is stored.
func (in *Intake) Add(ctx context.Context, items []Item) ([]FileResult, error) {
	cs := make([]checked, len(items))
	for i, it := range items {
		cs[i] = in.check(it)
	}
	if err := in.store(ctx, cs); err != nil {
		return nil, err
	}
	out := make([]FileResult, len(cs))
	for i, c := range cs {
		out[i] = c.result
	}
	return out, nil
}

// store writes the accepted rows of cs in one transaction and turns rows
// into duplicates or trust rejections where the database says so.
func (in *Intake) store(ctx context.Context, cs []checked) (err error) {
	if in.db.Kind() == "sqlite" {
		// SQLite has one writer; PostgreSQL stores several uploads at
		// once (row locks per device, counters sharded per connection).
		in.mu.Lock()
		defer in.mu.Unlock()
	}
	defer func() {
		if err != nil {
			in.lastErr.Store(&err)
		} else {
			in.lastErr.Store(nil)
		}
	}()
	return in.db.storeBatch(ctx, in, cs, in.now().UTC())
}

// Options tune Run.
type Options struct {
	// Workers verify in parallel; 0 means GOMAXPROCS.
	Workers int
	// Batch is the number of reports stored per transaction; 0 means 256.
	Batch int
	// Progress, when set, is called after each stored batch with the
	// number of items handled so far.
	Progress func(done int)
}

// IntakeGCPercent is the garbage collector target (debug.SetGCPercent)
// that kicheck collect and kicheck serve run with. Verification builds a
// short-lived tree of every report for the JSON Schema; at Go's default
// target of 100 the collector's work is a large part of the intake's CPU
// time (docs/collect.md, Performance). The live heap of the intake is a
// few MB, so letting four times that accumulate between cycles costs tens
// of MB. It is a process setting, so the commands set it, not Run.
const IntakeGCPercent = 400

// IntakeMemoryLimit is the soft memory limit (debug.SetMemoryLimit) the
// intake commands run with: the garbage collector's target of 400 lets
// the heap grow to five times what is live, which under a burst of large
// uploads or an archive of large entries would be hundreds of MB; near
// this limit the collector runs as often as needed instead. What is live
// stays well below it: MemoryBudget for reports read, ParseBudget for
// reports parsed, ServerOptions.Memory for request bodies.
const IntakeMemoryLimit = 200 << 20

// Run reads every item from items, verifies them on several workers and
// stores them in batches. Cancelling ctx stops the run after the current
// batch; what was stored stays, and the summary is marked incomplete.
func (in *Intake) Run(ctx context.Context, items <-chan Item, opts Options) (Summary, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = 256
	}
	checkedCh := make(chan checked, batch)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				c := in.check(it)
				if c.row == nil {
					it.Done()
				} else {
					c.release = it.Done
				}
				select {
				case checkedCh <- c:
				case <-ctx.Done():
					it.Done()
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(checkedCh) }()
	// Items left in the channel after a cancellation give their memory
	// back, so the walker is never left waiting for it.
	defer func() {
		go func() {
			for it := range items {
				it.Done()
			}
		}()
	}()

	var sum Summary
	var pending []checked
	pendingBytes := 0
	done := 0
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := in.store(context.WithoutCancel(ctx), pending); err != nil {
			return err
		}
		for _, c := range pending {
			sum.add(c.result)
		}
		done += len(pending)
		pending, pendingBytes = pending[:0], 0
		if opts.Progress != nil {
			opts.Progress(done)
		}
		return nil
	}
	var runErr error
	for c := range checkedCh {
		if c.release != nil {
			c.release() // the row's compressed bytes are counted below
		}
		if runErr != nil || ctx.Err() != nil {
			continue // drain so the workers end
		}
		pending = append(pending, c)
		if c.row != nil {
			pendingBytes += len(c.row.Stored) + len(c.row.Sig)
		}
		if len(pending) >= batch || pendingBytes >= maxPendingBytes {
			runErr = flush()
		}
	}
	if runErr == nil && ctx.Err() == nil {
		runErr = flush()
	}
	if ctx.Err() != nil {
		sum.Incomplete = true
	}
	sort.SliceStable(sum.Files, func(i, j int) bool { return sum.Files[i].Source < sum.Files[j].Source })
	if sum.Files == nil {
		sum.Files = []FileResult{}
	}
	return sum, runErr
}

// maxPendingBytes stores a batch early when its compressed reports add up
// to this much, so a batch of large reports stays small in memory.
const maxPendingBytes = 16 << 20

// txStmts prepares each statement once per transaction: a batch runs the
// same nine statements per report, and parsing them again each time cost
// a third of the insert time.
type txStmts struct {
	tx *sql.Tx
	m  map[string]*sql.Stmt
}

func (t *txStmts) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := t.m[query]; ok {
		return s, nil
	}
	s, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	t.m[query] = s
	return s, nil
}

func (t *txStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// QueryRowContext returns a row whose Scan reports a prepare error.
func (t *txStmts) QueryRowContext(ctx context.Context, query string, args ...any) rowScanner {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

func (t *txStmts) close() {
	for _, s := range t.m {
		s.Close()
	}
}

type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

// errText is err for a message's values: rendered in the message's
// language when it can render itself (i18n.Texter), else its text.
func errText(err error) any {
	var t i18n.Texter
	if errors.As(err, &t) {
		return t
	}
	return err.Error()
}
