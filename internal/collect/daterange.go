package collect

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// DataRange returns the created times of the oldest and the newest of the
// devices' newest reports (zero times for an empty collection): the dates
// a summary of the fleet stands for (internal/aggregate).
func DataRange(ctx context.Context, db *store.DB) (from, to time.Time, err error) {
	var lo, hi sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT MIN(latest_created), MAX(latest_created) FROM collect_devices WHERE latest_report IS NOT NULL`).Scan(&lo, &hi); err != nil {
		return from, to, fmt.Errorf("fleet: date range: %w", err)
	}
	if lo.Valid {
		if from, err = time.Parse(time.RFC3339, lo.String); err != nil {
			return from, to, fmt.Errorf("fleet: date range: %w", err)
		}
	}
	if hi.Valid {
		if to, err = time.Parse(time.RFC3339, hi.String); err != nil {
			return from, to, fmt.Errorf("fleet: date range: %w", err)
		}
	}
	return from, to, nil
}
