package quizsession

import (
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// CBM marks as in Moodle's confidence-based marking: certainty 1, 2, 3
// earn 1, 2, 3 marks when right and 0, −2, −6 when wrong. A partly right
// answer earns the right mark times its fraction; a fraction of 0 or less
// counts as wrong.
var (
	cbmRight = [4]float64{0, 1, 2, 3}
	cbmWrong = [4]float64{0, 0, -2, -6}
)

// CBMMark returns the mark for a fraction answered with certainty 1..3.
func CBMMark(fraction float64, certainty int) float64 {
	if certainty < 1 || certainty > 3 {
		return fraction
	}
	if fraction <= 5e-8 {
		return cbmWrong[certainty]
	}
	return cbmRight[certainty] * fraction
}

// Answer is a participant's answer to one item. Response uses the
// question's own answer indexes (not the shown order).
type Answer struct {
	Position  int           `json:"position"`
	QID       string        `json:"qid"`
	Shown     []int         `json:"shown_order,omitempty"`
	Response  quiz.Response `json:"response"`
	Answered  bool          `json:"answered"`
	Certainty int           `json:"certainty,omitempty"`
	Fraction  float64       `json:"fraction"`
	Mark      float64       `json:"mark"`
}

// Attempt is one participant's run through a session.
type Attempt struct {
	SessionID   string    `json:"session_id"`
	Pseudonym   string    `json:"pseudonym"`
	DisplayName string    `json:"-"` // never exported; shown only on request
	Role        quiz.Role `json:"role"`
	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
	TimedOut    bool      `json:"timed_out"`
	Answers     []Answer  `json:"answers"`
	Score       float64   `json:"score"`
	MaxScore    float64   `json:"max_score"`
	CBMMark     *float64  `json:"cbm_mark,omitempty"`
	Source      string    `json:"source"`
	Hash        string    `json:"hash"`
}

// Sources of an attempt.
const (
	SourceLocal  = "local"
	SourceMerged = "merged"
)

// Grade scores every answer of a against the session's questions and fills
// Score, MaxScore and CBMMark. Unanswered items score 0 (and, with CBM,
// mark 0).
func Grade(s *Session, a *Attempt) error {
	a.Score, a.MaxScore = 0, s.MaxScore()
	var cbm float64
	seen := map[int]bool{}
	for i := range a.Answers {
		ans := &a.Answers[i]
		it := s.Item(ans.Position)
		if it == nil || it.Question.ID != ans.QID {
			return fmt.Errorf("answer %d: the session has no item %q at position %d", i+1, ans.QID, ans.Position)
		}
		if seen[ans.Position] {
			return fmt.Errorf("answer %d: item %q answered twice", i+1, ans.QID)
		}
		seen[ans.Position] = true
		if ans.Certainty < 0 || ans.Certainty > 3 || (!s.CBM && ans.Certainty != 0) {
			return fmt.Errorf("answer %d: certainty %d is not allowed here", i+1, ans.Certainty)
		}
		ans.Fraction, ans.Mark = 0, 0
		if !ans.Answered || !it.Question.Type.Scored() {
			continue
		}
		ans.Fraction = quiz.Score(&it.Question, ans.Response).Fraction
		a.Score += ans.Fraction
		ans.Mark = ans.Fraction
		if s.CBM {
			c := ans.Certainty
			if c == 0 {
				c = 1 // Moodle's default certainty when none is chosen
				ans.Certainty = 1
			}
			ans.Mark = CBMMark(ans.Fraction, c)
			cbm += ans.Mark
		}
	}
	a.CBMMark = nil
	if s.CBM {
		a.CBMMark = &cbm
	}
	return nil
}

// Outcomes turns an attempt into the input of learning.Evaluate.
func Outcomes(s *Session, a *Attempt) []learning.Outcome {
	byPos := map[int]*Answer{}
	for i := range a.Answers {
		byPos[a.Answers[i].Position] = &a.Answers[i]
	}
	var out []learning.Outcome
	for _, it := range s.Items {
		q := it.Question
		o := learning.Outcome{QuestionID: q.ID, Type: q.Type, Area: q.Area, Level: q.Level, Rating: -1, ScaleSteps: len(q.Scale)}
		if ans := byPos[it.Position]; ans != nil && ans.Answered {
			o.Fraction = ans.Fraction
			if q.Type == quiz.SelfRating {
				o.Rating = ans.Response.Rating
			}
		}
		if q.Type.Scored() || q.Type == quiz.SelfRating {
			out = append(out, o)
		}
	}
	return out
}
