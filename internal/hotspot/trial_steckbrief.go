package hotspot

import (
	"context"
	"fmt"
	"math"

	"github.com/ki-reise/kicheck/internal/store"
)

// LatestTrials returns each process's newest recorded Erprobung run.
func LatestTrials(ctx context.Context, db *store.DB) (map[string]Trial, error) {
	rows, err := db.QueryContext(ctx, `SELECT process_id FROM hotspot_trials GROUP BY process_id`)
	if err != nil {
		return nil, fmt.Errorf("read trials: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := map[string]Trial{}
	for _, id := range ids {
		ts, err := Trials(ctx, db, id)
		if err != nil {
			return nil, err
		}
		if len(ts) > 0 {
			out[id] = ts[0]
		}
	}
	return out, nil
}

// AttachTrials adds each hotspot's newest Erprobung (pass rate and speed,
// model, local or cloud, run) to its trace, so the Steckbrief (text, HTML,
// PDF) shows it where it shows how every figure came about. The pass rate
// itself already counts in Umsetzbarkeit (SetPassRate).
func AttachTrials(pf *Portfolio, ts map[string]Trial) {
	for i := range pf.Hotspots {
		h := &pf.Hotspots[i]
		t, ok := ts[h.Process.ID]
		if !ok {
			continue
		}
		speed := any("–")
		if t.DecodeTPS != nil {
			speed = dec1(*t.DecodeTPS)
		}
		where := msg("trial.local")
		if t.Remote {
			where = msg("trial.cloud")
		}
		h.Trace = append(h.Trace, msg("trial.trace", "Passed", t.ChecksPassed, "Total", t.ChecksTotal,
			"Rate", pct(math.Round(t.PassRate*1000)/10), "Speed", speed, "Model", t.Model, "Where", where, "Run", t.RunID,
			"Date", t.Recorded.Format("2006-01-02")))
	}
}
