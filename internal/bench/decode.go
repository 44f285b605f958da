package bench

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// DecodeRun is a stored bench run reduced to what the fit compares its
// prediction with: the decode speed a runtime model reached on this PC.
// Its fields are those of fit.MeasuredRun, so that a caller converts one
// into the other (fit does not import bench).
type DecodeRun struct {
	RunID        int64
	RuntimeModel string    // as the runtime names it, e.g. llama3.2:1b
	Quantization string    // as the runtime reports it, "" when unknown
	DecodeTPS    float64   // median client-side decode tok/s
	Date         time.Time // when the run started
}

// decodeRunScan bounds how many stored bench runs are read.
const decodeRunScan = 500

// DecodeRuns returns, per runtime model, the newest complete bench run on
// this PC that has decode figures, newest first. Incomplete or cancelled
// runs and runs against a remote endpoint are left out.
func DecodeRuns(ctx context.Context, db *store.DB) ([]DecodeRun, error) {
	if db == nil {
		return nil, nil
	}
	runs, err := ListRuns(ctx, db, "", decodeRunScan)
	if err != nil {
		return nil, err
	}
	var out []DecodeRun
	seen := map[string]bool{}
	for _, l := range runs { // newest first
		if !l.Complete || l.Status != store.StatusDone || seen[l.Model] {
			continue
		}
		r, err := Load(ctx, db, l.RunID)
		if err != nil {
			return nil, err
		}
		if r.Remote {
			continue
		}
		tps := MedianDecodeTPS(r)
		if math.IsNaN(tps) {
			continue
		}
		seen[l.Model] = true
		out = append(out, DecodeRun{RunID: r.RunID, RuntimeModel: r.Model.Name, Quantization: r.Model.Quantization, DecodeTPS: tps, Date: r.Started})
	}
	return out, nil
}

// MedianDecodeTPS is the median client-side decode tok/s over the run's
// measured (not warm-up, not failed) samples; NaN when there is none.
func MedianDecodeTPS(r *Result) float64 {
	var xs []float64
	for _, p := range r.Prompts {
		for _, s := range p.Samples {
			if s.Warmup || s.Error != "" || math.IsNaN(s.DecodeTPS) || s.DecodeTPS <= 0 {
				continue
			}
			xs = append(xs, s.DecodeTPS)
		}
	}
	if len(xs) == 0 {
		return math.NaN()
	}
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
