package quiz

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generators for property tests. Texts mix letters with every character
// GIFT treats specially; they avoid only what GIFT cannot express at all
// (see docs/quiz-format.md): "->" outside a matching answer, surrounding
// white space (trimmed on import), and a leading "%" is handled by the
// writer, so it is generated too.
var genAlphabet = []string{"a", "b", "K", "ä", "ß", " ", "~", "=", "#", "{", "}", ":", "\\", "%", "[", "]", "\n", "/", "_", "*", ".", "-", "1", "€"}

func genText(rng *rand.Rand, minLen int) string {
	for {
		var b strings.Builder
		n := minLen + rng.IntN(12)
		for i := 0; i < n; i++ {
			b.WriteString(genAlphabet[rng.IntN(len(genAlphabet))])
		}
		s := strings.TrimSpace(b.String())
		s = strings.ReplaceAll(s, "->", "-")
		if len(s) >= minLen && strings.TrimSpace(s) == s {
			return s
		}
	}
}

func genMaybe(rng *rand.Rand) string {
	if rng.IntN(2) == 0 {
		return ""
	}
	return genText(rng, 1)
}

func genWord(rng *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789-"
	var b strings.Builder
	b.WriteByte(letters[rng.IntN(26)])
	for i := 0; i < rng.IntN(8); i++ {
		b.WriteByte(letters[rng.IntN(len(letters))])
	}
	return b.String()
}

func genFraction(rng *rand.Rand) float64 {
	return NormalizeFraction(float64(rng.IntN(2001)-1000) / 1000)
}

func genQuestions(rng *rand.Rand, n int) []Question {
	qs := make([]Question, n)
	used := map[string]bool{}
	for i := range qs {
		qs[i] = genQuestion(rng)
		if used[qs[i].ID] {
			qs[i].ID = fmt.Sprintf("%s-%d", qs[i].ID, i)
		}
		if qs[i].ID != "" {
			used[qs[i].ID] = true
		}
	}
	return qs
}

func genQuestion(rng *rand.Rand) Question {
	q := Question{
		Type:   Types[rng.IntN(len(Types))],
		Title:  genMaybe(rng),
		Text:   genText(rng, 1),
		Format: TextFormats[rng.IntN(len(TextFormats))],
		Tags:   []string{},
	}
	if rng.IntN(2) == 0 {
		q.ID = genWord(rng) + "]" + genWord(rng)
	}
	for range rng.IntN(3) {
		q.Tags = append(q.Tags, genWord(rng)+" x]\\")
	}
	if rng.IntN(2) == 0 {
		q.Area = "A" + fmt.Sprint(rng.IntN(9))
		q.Level = Levels[rng.IntN(len(Levels))]
		q.Roles = []Role{Roles[rng.IntN(len(Roles))]}
	}
	if rng.IntN(3) == 0 {
		q.Category = "Kat/" + genWord(rng)
	}
	if q.Type != Description {
		q.GeneralFeedback = genMaybe(rng)
	}
	switch q.Type {
	case Single:
		q.Answers = []Answer{{Text: genText(rng, 1), Fraction: 1, Feedback: genMaybe(rng)}}
		for range 1 + rng.IntN(4) {
			q.Answers = append(q.Answers, Answer{Text: genText(rng, 1), Fraction: genFraction(rng), Feedback: genMaybe(rng)})
		}
		rng.Shuffle(len(q.Answers), func(i, j int) { q.Answers[i], q.Answers[j] = q.Answers[j], q.Answers[i] })
	case Multi:
		q.Answers = []Answer{{Text: genText(rng, 1), Fraction: 0.5}}
		for range 1 + rng.IntN(4) {
			q.Answers = append(q.Answers, Answer{Text: genText(rng, 1), Fraction: genFraction(rng), Feedback: genMaybe(rng)})
		}
	case TrueFalse:
		right := rng.IntN(2)
		q.Answers = []Answer{{Text: TrueText, Feedback: genMaybe(rng)}, {Text: FalseText, Feedback: genMaybe(rng)}}
		q.Answers[right].Fraction = 1
	case Short:
		q.Answers = []Answer{{Text: genText(rng, 1), Fraction: 1}}
		for range rng.IntN(3) {
			q.Answers = append(q.Answers, Answer{Text: genText(rng, 1), Fraction: genFraction(rng), Feedback: genMaybe(rng)})
		}
	case Numerical:
		for range 1 + rng.IntN(3) {
			n := NumericAnswer{Fraction: genFraction(rng), Feedback: genMaybe(rng)}
			if rng.IntN(2) == 0 {
				lo := float64(rng.IntN(2000)-1000) / 7
				hi := lo + float64(rng.IntN(100))/3
				n.Min, n.Max = &lo, &hi
			} else {
				n.Value = float64(rng.IntN(20000)-10000) / 13
				n.Tolerance = float64(rng.IntN(50)) / 10
			}
			q.Numeric = append(q.Numeric, n)
		}
		q.Numeric[0].Fraction = 1
		if rng.IntN(2) == 0 {
			q.Numeric = append(q.Numeric, NumericAnswer{Other: true, Fraction: genFraction(rng), Feedback: genMaybe(rng)})
		}
	case Matching:
		for range 2 + rng.IntN(3) {
			q.Pairs = append(q.Pairs, Pair{Question: genText(rng, 1), Answer: genText(rng, 1) + "->" + genText(rng, 1)})
		}
		if rng.IntN(2) == 0 {
			q.Pairs = append(q.Pairs, Pair{Answer: genText(rng, 1)})
		}
	case SelfRating:
		for range 2 + rng.IntN(4) {
			q.Scale = append(q.Scale, genText(rng, 1))
		}
	}
	q.Normalize()
	return q
}
