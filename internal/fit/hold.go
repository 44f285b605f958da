package fit

import (
	"context"
	"fmt"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// A knapp verdict holds (issue 22: "a verdict near a threshold says
// 'knapp' instead of flipping"; docs/fit.md, "Knapp"). Every new probe
// moves the combined figures a little; where a prediction's middle sits
// on a threshold, that alone would turn "eingeschränkt" into "nicht
// bereit" and back from one probe to the next. So a knapp cell keeps the
// verdict this PC showed with its probes before, as long as its new
// interval still reaches that verdict; it changes once the interval has
// left it. The verdict before is replayed from the stored probes, not
// stored itself: every view that shows this PC's fit (ThisPC) gets the
// same answer from the same probes.

// replayProbes is how many stored probes the verdicts before are
// replayed from, oldest first (twice the probes one machine combines, so
// that the oldest replayed verdict no longer depends on where the replay
// started).
const replayProbes = 2 * probe.MaxCombined

// holdKnapp keeps prev's verdict (and reason) in cell when the
// prediction of prev's quantization is knapp and the verdicts its
// interval reaches (from its worse to its better end) include prev's; the
// closeness then says so (Closeness.Held). Where the cell now shows
// another quantization (prev's lost its verdict, so the fastest was
// taken), prev's comes back only when its verdict is better than the
// one shown.
func holdKnapp(cell *Cell, prev *Cell, u UseCase) {
	if prev == nil || cell.Verdict == prev.Verdict {
		return
	}
	p, other := cell.Prediction, -1
	if p.Quant != prev.Prediction.Quant {
		if prev.Verdict.rank() < cell.Verdict.rank() {
			return
		}
		for i, o := range cell.Others {
			if o.Quant == prev.Prediction.Quant {
				p, other = o, i
			}
		}
		if other < 0 {
			return
		}
	}
	close := Close(p, u)
	if close == nil {
		return
	}
	worse, _ := Judge(atEnd(p, false), u)
	better, _ := Judge(atEnd(p, true), u)
	if r := prev.Verdict.rank(); r < worse.rank() || r > better.rank() {
		return
	}
	if other >= 0 {
		cell.Others[other], cell.Prediction = cell.Prediction, p
	}
	close.Held = true
	cell.Verdict, cell.Reason, cell.Close = prev.Verdict, prev.Reason, close
}

// atEnd is p with every figure at the better or the worse end of its
// interval for the clerk: more tokens per second, fewer seconds to the
// first token, a smaller realtime factor are better.
func atEnd(p Prediction, better bool) Prediction {
	p.DecodeTPS = figureAt(p.DecodeTPS, better)
	p.FirstTokenS = figureAt(p.FirstTokenS, !better)
	p.RealtimeFactor = figureAt(p.RealtimeFactor, !better)
	return p
}

// figureAt is f with its value at the high or low end of its interval (f
// itself without one).
func figureAt(f *Figure, high bool) *Figure {
	if !f.Interval() {
		return f
	}
	g := *f
	g.Value = f.Low
	if high {
		g.Value = f.High
	}
	return &g
}

// cell is the assessment's cell of model id, nil when a is nil or has none.
func (a *Assessment) cell(id string) *Cell {
	if a == nil {
		return nil
	}
	for i := range a.Cells {
		if a.Cells[i].ModelID == id {
			return &a.Cells[i]
		}
	}
	return nil
}

// earlierAssessments replays this PC's stored probes before pr (those
// probe.SamePC accepts, as Combine does; at most replayProbes, oldest first): each
// combined with the ones before it as ForPC combines them, calibrated
// with cal, and held against the one before. It returns what the views
// showed after the newest of them, per use case ID; empty without
// earlier probes.
func earlierAssessments(ctx context.Context, db *store.DB, cat *Catalogue, inv hardware.Inventory, pr probe.Result, cal *Calibration, uses []UseCase) (map[string]*Assessment, error) {
	hist, err := probe.History(ctx, db, probe.MaxAge, replayProbes+1)
	if err != nil {
		return nil, fmt.Errorf("earlier probes: %w", err)
	}
	var earlier []probe.Result // newest first, as History returns them
	for _, h := range hist {
		if !h.Started.Equal(pr.Started) && probe.SamePC(pr, h) {
			earlier = append(earlier, h)
		}
	}
	earlier = earlier[:min(len(earlier), replayProbes)]
	shown := map[string]*Assessment{}
	for i := len(earlier) - 1; i >= 0; i-- {
		mc := MachineFrom(inv, earlier[i]).WithHistory(earlier[i], earlier[i+1:])
		mc.Calibration = cal
		for _, u := range uses {
			a := assessUseCase(mc, cat, u, shown[u.ID])
			shown[u.ID] = &a
		}
	}
	return shown, nil
}
