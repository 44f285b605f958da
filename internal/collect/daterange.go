package collect

import (
	"context"
	"fmt"
	"time"
)

// DataRange returns the created times of the oldest and the newest of the
// devices' newest reports (zero times for an empty collection): the dates
// a summary of the fleet stands for (internal/aggregate). It reads the
// index on latest_created, in either store.
func DataRange(ctx context.Context, s Store) (from, to time.Time, err error) {
	b := s.sqlBase()
	var lo, hi textTime
	if err := b.db.QueryRowContext(ctx, `SELECT MIN(latest_created), MAX(latest_created) FROM collect_devices WHERE latest_report IS NOT NULL`).Scan(&lo, &hi); err != nil {
		return from, to, fmt.Errorf("fleet: date range: %w", err)
	}
	for _, v := range []struct {
		text textTime
		t    *time.Time
	}{{lo, &from}, {hi, &to}} {
		if v.text == "" {
			continue
		}
		if *v.t, err = time.Parse(time.RFC3339, string(v.text)); err != nil {
			return from, to, fmt.Errorf("fleet: date range: %w", err)
		}
	}
	return from, to, nil
}
