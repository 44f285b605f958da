package loadprofile

import (
	"context"
	"errors"

	"github.com/ki-reise/kicheck/internal/store"
)

// RunKind is the kind of a load profile in the runs table.
const RunKind = "loadprofile"

// Record is a load profile as stored in the runs table's summary and as
// printed by `kicheck loadprofile --json` (docs/loadprofile.md).
type Record struct {
	RunID  int64  `json:"run_id"`
	Status string `json:"status"` // store.StatusDone, StatusCancelled or StatusFailed
	Error  string `json:"error,omitempty"`
	Result
}

// RunRecorded runs the load profile and records it in db's runs table,
// also when it fails or is cancelled (with what was measured until then).
// The returned error is Run's.
func RunRecorded(ctx context.Context, db *store.DB, opts Options) (Record, error) {
	id, err := db.StartRun(ctx, RunKind)
	if err != nil {
		return Record{}, err
	}
	res, runErr := Run(ctx, opts)
	rec := Record{RunID: id, Status: store.StatusDone, Result: res}
	switch {
	case errors.Is(runErr, context.Canceled):
		rec.Status = store.StatusCancelled
	case runErr != nil:
		rec.Status = store.StatusFailed
	}
	if runErr != nil {
		rec.Error = runErr.Error()
	}
	// Record even when cancelled: the context is done, the database is not.
	if err := db.FinishRun(context.WithoutCancel(ctx), id, rec.Status, rec); err != nil {
		return rec, errors.Join(runErr, err)
	}
	return rec, runErr
}
