package quiz

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Response is what a participant answered. Which field is read depends on
// the question type:
//
//	single, truefalse  Choices[0]: index into Answers (truefalse: 0 = true, 1 = false)
//	multi              Choices: the indexes of all ticked answers
//	short, essay       Text
//	numerical          Text, a number; a decimal comma is accepted ("3,14")
//	matching           Matches[i]: the answer text chosen for SubQuestions()[i] ("" = none)
//	selfrating         Rating: index into Scale, -1 = not answered
type Response struct {
	Choices []int    `json:"choices,omitempty"`
	Text    string   `json:"text,omitempty"`
	Matches []string `json:"matches,omitempty"`
	Rating  int      `json:"rating,omitempty"`
}

// Result is the outcome of scoring one response.
type Result struct {
	// Scored is false for essays, descriptions and self-ratings: they are
	// collected, and Fraction is 0.
	Scored bool `json:"scored"`
	// Fraction of the question's mark, Moodle semantics: single choice the
	// chosen answer's fraction (may be negative); multi the sum of the
	// ticked fractions clamped to 0..1; short and numerical the first
	// matching answer's fraction; matching the share of right pairs.
	Fraction float64 `json:"fraction"`
	// Feedback for the chosen answers, in order.
	Feedback []string `json:"feedback,omitempty"`
}

// Score scores r against q.
func Score(q *Question, r Response) Result {
	res := Result{Scored: q.Type.Scored()}
	switch q.Type {
	case Single, TrueFalse:
		if len(r.Choices) > 0 {
			if i := r.Choices[0]; i >= 0 && i < len(q.Answers) {
				res.Fraction = q.Answers[i].Fraction
				res.Feedback = appendNonEmpty(res.Feedback, q.Answers[i].Feedback)
			}
		}
	case Multi:
		seen := map[int]bool{}
		sum := 0.0
		for _, i := range r.Choices {
			if i < 0 || i >= len(q.Answers) || seen[i] {
				continue
			}
			seen[i] = true
			sum += q.Answers[i].Fraction
			res.Feedback = appendNonEmpty(res.Feedback, q.Answers[i].Feedback)
		}
		res.Fraction = min(max(sum, 0), 1)
	case Short:
		if a, ok := matchShort(q.Answers, r.Text); ok {
			res.Fraction = a.Fraction
			res.Feedback = appendNonEmpty(res.Feedback, a.Feedback)
		}
	case Numerical:
		if v, ok := ParseNumber(r.Text); ok {
			for _, n := range q.Numeric {
				if n.Other || withinTolerance(n, v) {
					res.Fraction = n.Fraction
					res.Feedback = appendNonEmpty(res.Feedback, n.Feedback)
					break
				}
			}
		}
	case Matching:
		subs := q.SubQuestions()
		if len(subs) > 0 {
			right := 0
			for i, p := range subs {
				if i < len(r.Matches) && r.Matches[i] == p.Answer {
					right++
				}
			}
			res.Fraction = float64(right) / float64(len(subs))
		}
	}
	res.Fraction = NormalizeFraction(res.Fraction)
	if q.GeneralFeedback != "" {
		res.Feedback = append(res.Feedback, q.GeneralFeedback)
	}
	return res
}

func appendNonEmpty(s []string, v string) []string {
	if v == "" {
		return s
	}
	return append(s, v)
}

// withinTolerance adds a tiny margin as Moodle does (MDL-39792), so that
// 3.15 is within 3.14±0.01 despite binary floating point.
func withinTolerance(n NumericAnswer, v float64) bool {
	lo, hi := n.Interval()
	eps := 1e-12 * max(1, math.Abs(lo), math.Abs(hi))
	return lo-eps <= v && v <= hi+eps
}

// ParseNumber reads a typed number; German users write a decimal comma.
func ParseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// matchShort returns the first accepted answer the response matches, as
// Moodle does: case-insensitive, surrounding and repeated spaces ignored,
// "*" in an answer matches any text.
func matchShort(answers []Answer, response string) (Answer, bool) {
	resp := collapseSpace(response)
	if resp == "" {
		return Answer{}, false
	}
	for _, a := range answers {
		if shortPattern(a.Text).MatchString(resp) {
			return a, true
		}
	}
	return Answer{}, false
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func shortPattern(answer string) *regexp.Regexp {
	parts := strings.Split(collapseSpace(answer), "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile(`(?is)^` + strings.Join(parts, ".*") + `$`)
}
