package quizstats

import (
	"fmt"
	"math"
	"sort"
)

// Thresholds (docs/quiz-sessions.md).
const (
	// MinEfficiency: items whose discriminative efficiency is below it are
	// flagged for review.
	MinEfficiency = 0.15
	// SmallSample: below this many participants the report warns that the
	// figures are unreliable.
	SmallSample = 10
)

// Item is one scored item of the test.
type Item struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Area  string `json:"area"`
	// Options are the answers of a choice item (single, multi, truefalse)
	// for the distractor analysis; nil for other types.
	Options []Option `json:"options,omitempty"`
}

// Option is one answer of a choice item.
type Option struct {
	Text     string  `json:"text"`
	Fraction float64 `json:"fraction"`
}

// Attempt is one participant's scores, in the order of the items.
type Attempt struct {
	Participant string
	// Scores[i] is the fraction (0..1; a negative single-choice fraction is
	// kept) earned on item i; an unanswered item counts 0.
	Scores []float64
	// Choices[i] are the option indexes chosen on choice item i.
	Choices [][]int
}

// Report is the analysis of one session.
type Report struct {
	N         int         `json:"participants"`
	MeanTotal float64     `json:"mean_total"` // mean of the participants' summed fractions
	SDTotal   float64     `json:"sd_total"`
	MaxTotal  float64     `json:"max_total"` // number of items
	Alpha     *float64    `json:"cronbach_alpha"`
	Items     []ItemStats `json:"items"`
	Areas     []AreaStats `json:"areas"`
	Warnings  []Warning   `json:"warnings"`
}

// Warning says why figures of the report are unreliable or missing. Code
// is stable (the CLI and GUI translate it); Text is the English message.
type Warning struct {
	Code string `json:"code"` // small_sample, no_discrimination, no_alpha
	N    int    `json:"n"`    // participants
	Text string `json:"text"`
}

func (w Warning) String() string { return w.Text }

// Warning codes.
const (
	WarnSmallSample      = "small_sample"
	WarnNoDiscrimination = "no_discrimination"
	WarnNoAlpha          = "no_alpha"
)

// ItemStats is the analysis of one item. Fractions are 0..1 (the CLI and
// GUI show them as percentages, like Moodle).
type ItemStats struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Area     string  `json:"area"`
	N        int     `json:"n"`
	Facility float64 `json:"facility"`
	SD       float64 `json:"sd"`
	// Discrimination is the mean item score of the top third minus that of
	// the bottom third (participants ranked by total score); nil with fewer
	// than 3 participants.
	Discrimination *float64 `json:"discrimination"`
	// Efficiency is Discrimination divided by the largest value it could
	// have with the same item scores (the scores sorted in the order of the
	// ranking); nil when that maximum is 0 (all scores equal).
	Efficiency *float64 `json:"efficiency"`
	// Flags say why the item needs a look ("efficiency below 15 %", …).
	Flags       []string      `json:"flags,omitempty"`
	Distractors []OptionStats `json:"distractors,omitempty"`
}

// OptionStats is how often an option of a choice item was chosen.
type OptionStats struct {
	Text        string  `json:"text"`
	Fraction    float64 `json:"fraction"`
	Count       int     `json:"count"`
	Share       float64 `json:"share"`        // of all participants
	TopShare    float64 `json:"top_share"`    // of the top third
	BottomShare float64 `json:"bottom_share"` // of the bottom third
	Flag        string  `json:"flag,omitempty"`
}

// AreaStats averages the items of one competency area.
type AreaStats struct {
	Area     string  `json:"area"`
	Items    int     `json:"items"`
	Facility float64 `json:"facility"` // mean facility of its items
}

// Flag texts (stable; the CLI and GUI translate them).
const (
	FlagLowEfficiency     = "efficiency below 15 %"
	FlagNegative          = "negative discrimination"
	FlagNoSpread          = "all participants scored the same"
	DistractorNever       = "never chosen"
	DistractorAttractsTop = "chosen more by the top third than the bottom third"
)

// Analyze computes the report. Every attempt must have one score per item.
func Analyze(items []Item, attempts []Attempt) (*Report, error) {
	for _, a := range attempts {
		if len(a.Scores) != len(items) {
			return nil, fmt.Errorf("participant %s has %d scores for %d items", a.Participant, len(a.Scores), len(items))
		}
	}
	n := len(attempts)
	r := &Report{N: n, MaxTotal: float64(len(items)), Warnings: []Warning{}}
	if n < SmallSample {
		r.Warnings = append(r.Warnings, Warning{Code: WarnSmallSample, N: n,
			Text: fmt.Sprintf("small sample: %d participants (fewer than %d); treat the figures as indications only", n, SmallSample)})
	}
	if n == 0 {
		return r, nil
	}

	// Rank by total, best first; ties by participant for a stable order.
	totals := make([]float64, n)
	order := make([]int, n)
	for p, a := range attempts {
		for _, s := range a.Scores {
			totals[p] += s
		}
		order[p] = p
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if totals[a] != totals[b] {
			return totals[a] > totals[b]
		}
		return attempts[a].Participant < attempts[b].Participant
	})
	third := n / 3
	if third == 0 {
		r.Warnings = append(r.Warnings, Warning{Code: WarnNoDiscrimination, N: n, Text: "fewer than 3 participants: no discrimination index"})
	}
	top, bottom := order[:third], order[n-third:]

	r.MeanTotal = mean(totals)
	r.SDTotal = math.Sqrt(sampleVar(totals))

	itemVarSum := 0.0
	for i, it := range items {
		col := make([]float64, n)
		for p, a := range attempts {
			col[p] = a.Scores[i]
		}
		st := ItemStats{ID: it.ID, Title: it.Title, Area: it.Area, N: n, Facility: mean(col)}
		v := sampleVar(col)
		itemVarSum += v
		st.SD = math.Sqrt(v)
		if third > 0 {
			di := meanOf(col, top) - meanOf(col, bottom)
			st.Discrimination = &di
			sorted := append([]float64(nil), col...)
			sort.Sort(sort.Reverse(sort.Float64Slice(sorted)))
			dimax := mean(sorted[:third]) - mean(sorted[n-third:])
			if dimax > 1e-12 {
				de := di / dimax
				st.Efficiency = &de
				if de < MinEfficiency-1e-12 {
					st.Flags = append(st.Flags, FlagLowEfficiency)
				}
			} else {
				st.Flags = append(st.Flags, FlagNoSpread)
			}
			if di < -1e-12 {
				st.Flags = append(st.Flags, FlagNegative)
			}
		}
		if it.Options != nil {
			st.Distractors = distractors(it.Options, attempts, i, top, bottom)
		}
		r.Items = append(r.Items, st)
	}

	// Cronbach's α = k/(k−1) · (1 − Σ var(item) / var(total)), sample
	// variances throughout.
	k := float64(len(items))
	if vt := sampleVar(totals); len(items) >= 2 && n >= 2 && vt > 1e-12 {
		a := k / (k - 1) * (1 - itemVarSum/vt)
		r.Alpha = &a
	} else {
		r.Warnings = append(r.Warnings, Warning{Code: WarnNoAlpha, N: n, Text: "Cronbach's alpha needs at least 2 items, 2 participants and differing totals"})
	}

	byArea := map[string][]float64{}
	var areas []string
	for _, st := range r.Items {
		if _, ok := byArea[st.Area]; !ok {
			areas = append(areas, st.Area)
		}
		byArea[st.Area] = append(byArea[st.Area], st.Facility)
	}
	sort.Strings(areas)
	for _, a := range areas {
		r.Areas = append(r.Areas, AreaStats{Area: a, Items: len(byArea[a]), Facility: mean(byArea[a])})
	}
	return r, nil
}

func distractors(opts []Option, attempts []Attempt, item int, top, bottom []int) []OptionStats {
	out := make([]OptionStats, len(opts))
	chose := func(p, o int) bool {
		if item >= len(attempts[p].Choices) {
			return false
		}
		for _, c := range attempts[p].Choices[item] {
			if c == o {
				return true
			}
		}
		return false
	}
	share := func(group []int, o int) float64 {
		if len(group) == 0 {
			return 0
		}
		c := 0
		for _, p := range group {
			if chose(p, o) {
				c++
			}
		}
		return float64(c) / float64(len(group))
	}
	for o, opt := range opts {
		s := OptionStats{Text: opt.Text, Fraction: opt.Fraction}
		for p := range attempts {
			if chose(p, o) {
				s.Count++
			}
		}
		s.Share = float64(s.Count) / float64(len(attempts))
		s.TopShare, s.BottomShare = share(top, o), share(bottom, o)
		if opt.Fraction <= 0 {
			switch {
			case s.Count == 0:
				s.Flag = DistractorNever
			case len(top) > 0 && s.TopShare > s.BottomShare:
				s.Flag = DistractorAttractsTop
			}
		}
		out[o] = s
	}
	return out
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func meanOf(xs []float64, idx []int) float64 {
	s := 0.0
	for _, i := range idx {
		s += xs[i]
	}
	return s / float64(len(idx))
}

// sampleVar is the variance with n−1 in the denominator (0 for n < 2).
func sampleVar(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := mean(xs)
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs)-1)
}
