package hotspot

import (
	"context"
	"sort"

	"github.com/ki-reise/kicheck/internal/collect"
)

// UnitReadyShare is, per organisational unit of the Sammelstelle's fleet,
// the share (0..1) of its devices whose newest report is ready; units
// without devices are left out.
func UnitReadyShare(f *collect.Fleet) map[string]float64 {
	out := map[string]float64{}
	if f == nil {
		return out
	}
	for _, u := range f.OrgUnits {
		if n := u.Levels.Total(); n > 0 {
			out[u.Name] = float64(u.Ready) / float64(n)
		}
	}
	return out
}

// ReadFleetShares opens the Sammelstelle's database (read, never created)
// and returns UnitReadyShare of its fleet.
func ReadFleetShares(ctx context.Context, path string) (map[string]float64, error) {
	db, err := collect.OpenExisting(ctx, path) // a file or postgres://
	if err != nil {
		return nil, err
	}
	defer db.Close()
	f, err := collect.ComputeFleet(ctx, db, collect.FleetOptions{})
	if err != nil {
		return nil, err
	}
	return UnitReadyShare(f), nil
}

// UnitRow is one organisational unit with its portfolio beside its
// readiness: the Sammelstelle's devices and ready share, and the unit's
// surveyed processes (count, hours a year, quick wins, high-risk, the
// first-ranked process).
type UnitRow struct {
	Unit       string   `json:"unit"`
	Devices    int      `json:"devices"`
	Ready      int      `json:"ready"`
	ReadyShare *float64 `json:"ready_share"` // nil: no devices of this unit in the fleet
	Processes  int      `json:"processes"`
	Hours      float64  `json:"hours_per_year"`
	QuickWins  int      `json:"quick_wins"`
	HighRisk   int      `json:"high_risk"`
	Prohibited int      `json:"prohibited"`
	TopID      string   `json:"top_process_id,omitempty"`
	TopName    string   `json:"top_process,omitempty"`
	TopRank    int      `json:"top_rank,omitempty"`
}

// UnitPortfolio puts the portfolio next to the fleet per organisational
// unit (matched by name: the sheet's organisationseinheit and the
// report's org unit). Units in only one of them are listed too; the rows
// are ordered by hours a year, then by name.
func UnitPortfolio(pf *Portfolio, f *collect.Fleet) []UnitRow {
	rows := map[string]*UnitRow{}
	get := func(u string) *UnitRow {
		r, ok := rows[u]
		if !ok {
			r = &UnitRow{Unit: u}
			rows[u] = r
		}
		return r
	}
	if f != nil {
		for _, u := range f.OrgUnits {
			r := get(u.Name)
			r.Devices, r.Ready = u.Devices, u.Ready
			if n := u.Levels.Total(); n > 0 {
				s := float64(u.Ready) / float64(n)
				r.ReadyShare = &s
			}
		}
	}
	if pf != nil {
		for _, h := range pf.Hotspots {
			r := get(h.Process.Unit)
			r.Processes++
			r.Hours += h.Hours
			switch {
			case h.Quadrant == QuickWin:
				r.QuickWins++
			}
			switch {
			case h.Legal.Prohibited():
				r.Prohibited++
			case h.Legal.HighRisk():
				r.HighRisk++
			}
			if r.TopRank == 0 || h.Rank < r.TopRank {
				r.TopRank, r.TopID, r.TopName = h.Rank, h.Process.ID, h.Process.Name
			}
		}
	}
	out := make([]UnitRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Hours != out[j].Hours {
			return out[i].Hours > out[j].Hours
		}
		return out[i].Unit < out[j].Unit
	})
	return out
}
