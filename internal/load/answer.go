package load

import (
	"math"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// GoodTarget is the share of good requests a level must reach for the
// sweep's answer ("bis zu N … so dass X %").
const GoodTarget = 0.9

// Answer is the result in the clerk's language.
type Answer struct {
	Clerks    int      `json:"clerks"` // N: simultaneously working clerks
	Goodput   Share    `json:"goodput"`
	ZeroThink bool     `json:"zero_think"` // N counts clerks who send without pause (sweep)
	Reached   bool     `json:"reached"`    // some level met GoodTarget
	Msg       i18n.Msg `json:"-"`
	Note      i18n.Msg `json:"-"`
	Text      string   `json:"text"` // German rendering, for the export
}

// answer derives the sentence from the levels: for a day, the clerks and
// their goodput; for a sweep, the highest level whose goodput's point
// estimate reached GoodTarget.
func answer(r *Result) *Answer {
	if len(r.Levels) == 0 {
		return nil
	}
	var a Answer
	switch r.Shape {
	case ShapeDay:
		lv := r.Levels[0]
		a = Answer{Clerks: lv.Level, Goodput: lv.Goodput, Reached: true}
	case ShapeSweep:
		a.ZeroThink = true
		for _, lv := range r.Levels {
			if lv.Goodput.P >= GoodTarget {
				a.Clerks, a.Goodput, a.Reached = lv.Level, lv.Goodput, true
			}
		}
		if !a.Reached {
			a.Clerks, a.Goodput = r.Levels[0].Level, r.Levels[0].Goodput
		}
	default:
		return nil
	}
	pct := func(v float64) i18n.Texter { return pctText(v) }
	data := map[string]any{"N": i18n.Int(a.Clerks), "X": pct(a.Goodput.P), "Lo": pct(a.Goodput.Lo), "Hi": pct(a.Goodput.Hi), "K": a.Goodput.K, "Total": a.Goodput.N}
	switch {
	case !a.Reached:
		a.Msg = i18n.Msg{ID: "load.answer.none", Data: data}
	default:
		a.Msg = i18n.Msg{ID: "load.answer", Data: data}
	}
	if a.ZeroThink {
		a.Note = i18n.Msg{ID: "load.answer.note_sweep", Data: data}
	} else {
		a.Note = i18n.Msg{ID: "load.answer.note_day", Data: map[string]any{"Think": decText{r.ThinkS, 1}}}
	}
	a.Text = a.Msg.Text(i18n.Default)
	return &a
}

type pctText float64

func (p pctText) Text(lang string) string {
	if math.IsNaN(float64(p)) {
		return "–"
	}
	return i18n.Decimal(lang, 100*float64(p), 0)
}

// decText is a number rendered late with the language's separator.
type decText struct {
	v    float64
	prec int
}

func (d decText) Text(lang string) string { return i18n.Decimal(lang, d.v, d.prec) }
