package learning

import (
	"fmt"
	"math"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// Thresholds of the evaluation (docs/training.md explains them).
const (
	// PassFraction is the mean score a participant needs on the items of one
	// level of an area to reach that level.
	PassFraction = 0.6
	// GapThreshold is the difference between self-rating and knowledge
	// score (both 0..1) from which the result calls the self-rating too
	// high or too low.
	GapThreshold = 0.25
)

// Outcome is one answered item of a participant, as the evaluation needs
// it. For knowledge items Fraction is the score (Moodle fraction, ≤ 1); for
// self-rating statements Rating is the chosen step (0-based) of a scale
// with ScaleSteps steps, -1 when not answered.
type Outcome struct {
	QuestionID string     `json:"question_id"`
	Type       quiz.Type  `json:"type"`
	Area       string     `json:"area"`
	Level      quiz.Level `json:"level"`
	Fraction   float64    `json:"fraction"`
	Rating     int        `json:"rating"`
	ScaleSteps int        `json:"scale_steps"`
}

// AreaResult is a participant's result in one competency area.
type AreaResult struct {
	Area  string `json:"area"`
	Title string `json:"title"`
	// Items is the number of scored items of the area the participant got.
	Items int `json:"items"`
	// Score is the mean fraction over those items, clamped to 0..1.
	Score float64 `json:"score"`
	// Level is the highest level reached (see Evaluate), "" = below
	// Grundlage or not tested.
	Level  quiz.Level `json:"level"`
	Target quiz.Level `json:"target"`
	// MeetsTarget is true when Level is at least Target.
	MeetsTarget bool `json:"meets_target"`
	// SelfRating is the mean self-rating, 0..1, nil when none was given.
	SelfRating *float64 `json:"self_rating,omitempty"`
	// Gap is SelfRating - Score in 0..1 units, nil without self-rating or
	// without knowledge items.
	Gap *float64 `json:"gap,omitempty"`
	// GapVerdict is "higher" (self-rating above knowledge by at least
	// GapThreshold), "lower", "matches", or "" without a gap.
	GapVerdict string `json:"gap_verdict,omitempty"`
}

// Recommendation is a module of the learning path the participant should
// take, with the areas whose gap it closes.
type Recommendation struct {
	Module Module   `json:"module"`
	Closes []string `json:"closes"`
}

// Evaluation is the result of one participant.
type Evaluation struct {
	Role            quiz.Role        `json:"role"`
	RoleTitle       string           `json:"role_title"`
	Framework       string           `json:"framework"`
	Catalogue       string           `json:"catalogue"`
	Areas           []AreaResult     `json:"areas"`
	Recommendations []Recommendation `json:"recommendations"`
	// Untested lists the areas of the framework the quiz had no scored
	// item for: nothing is known about them, so nothing is recommended.
	Untested []string `json:"untested,omitempty"`
}

// Evaluate computes per-area scores and levels, the self-rating gap and the
// recommended modules for a participant in role.
//
// Level per area: the scored items of the area are grouped by level. Going
// up from Grundlage, a level is reached when the mean score of its items is
// at least PassFraction (60 %); the first level missed ends the climb.
// Levels without items are skipped: they neither confirm nor block. The
// area's level is the highest level reached ("" when the first tested level
// is missed).
//
// Recommendations: the modules of the role's learning path, in path order,
// that cover an area at a level above the level reached and not above the
// role's target for that area. Areas without scored items are not
// evaluated and produce no recommendation.
func Evaluate(fw *Framework, cat *Catalogue, role quiz.Role, outcomes []Outcome) (*Evaluation, error) {
	rp := fw.Role(role)
	if rp == nil {
		return nil, fmt.Errorf("unknown role %q", role)
	}
	ev := &Evaluation{Role: role, RoleTitle: rp.Title, Framework: fw.Ref(), Catalogue: cat.ID + "@" + cat.Version}
	type acc struct {
		n       int
		sum     float64
		byLevel map[quiz.Level][2]float64 // sum, count
		selfSum float64
		selfN   int
	}
	accs := map[string]*acc{}
	get := func(a string) *acc {
		if accs[a] == nil {
			accs[a] = &acc{byLevel: map[quiz.Level][2]float64{}}
		}
		return accs[a]
	}
	for _, o := range outcomes {
		switch {
		case o.Type == quiz.SelfRating:
			if o.Rating >= 0 && o.ScaleSteps >= 2 {
				a := get(o.Area)
				a.selfSum += float64(o.Rating) / float64(o.ScaleSteps-1)
				a.selfN++
			}
		case o.Type.Scored():
			a := get(o.Area)
			a.n++
			a.sum += o.Fraction
			v := a.byLevel[o.Level]
			a.byLevel[o.Level] = [2]float64{v[0] + o.Fraction, v[1] + 1}
		}
	}
	reached := map[string]int{}
	for _, area := range fw.Areas {
		a := accs[area.ID]
		r := AreaResult{Area: area.ID, Title: area.Title, Target: rp.Targets[area.ID]}
		if a == nil || a.n == 0 {
			ev.Untested = append(ev.Untested, area.ID)
			if a != nil && a.selfN > 0 {
				s := a.selfSum / float64(a.selfN)
				r.SelfRating = &s
			}
			if r.SelfRating != nil {
				ev.Areas = append(ev.Areas, r)
			}
			continue
		}
		r.Items = a.n
		r.Score = clamp01(a.sum / float64(a.n))
		for _, l := range quiz.Levels {
			v, ok := a.byLevel[l]
			if !ok || v[1] == 0 {
				continue
			}
			if v[0]/v[1] < PassFraction-1e-9 {
				break
			}
			r.Level = l
		}
		reached[area.ID] = Rank(r.Level)
		r.MeetsTarget = Rank(r.Level) >= Rank(r.Target)
		if a.selfN > 0 {
			s := a.selfSum / float64(a.selfN)
			g := s - r.Score
			r.SelfRating, r.Gap = &s, &g
			switch {
			case g >= GapThreshold-1e-9:
				r.GapVerdict = "higher"
			case g <= -GapThreshold+1e-9:
				r.GapVerdict = "lower"
			default:
				r.GapVerdict = "matches"
			}
		}
		ev.Areas = append(ev.Areas, r)
	}
	if p := cat.Path(role); p != nil {
		for _, id := range p.Modules {
			m := cat.Module(id)
			if m == nil {
				continue
			}
			var closes []string
			for _, c := range m.Competencies {
				got, tested := reached[c.Area]
				if !tested {
					continue
				}
				lr := Rank(c.Level)
				if lr > got && lr <= Rank(rp.Targets[c.Area]) && !contains(closes, c.Area) {
					closes = append(closes, c.Area)
				}
			}
			if len(closes) > 0 {
				ev.Recommendations = append(ev.Recommendations, Recommendation{Module: *m, Closes: closes})
			}
		}
	}
	return ev, nil
}

func clamp01(f float64) float64 { return math.Min(1, math.Max(0, f)) }

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
