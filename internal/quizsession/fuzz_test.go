package quizsession

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// FuzzDecodeResultFile feeds arbitrary bytes to the result-file reader
// (files come from other PCs): it must return an error or a file whose
// hash and content hash hold, and never panic.
func FuzzDecodeResultFile(f *testing.F) {
	b := &quiz.Bundle{ID: "f", Version: "1", Title: "F", Questions: []quiz.Question{
		{ID: "q1", Type: quiz.Single, Text: "?", Area: "A1", Level: quiz.Grundlage, Answers: []quiz.Answer{{Text: "a", Fraction: 1}, {Text: "b"}}},
	}}
	s, err := Plan(b, nil, Options{ID: "f-1", Seed: 1}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		f.Fatal(err)
	}
	a := &Attempt{SessionID: "f-1", Pseudonym: "P", Answers: []Answer{{Position: 0, QID: "q1", Answered: true, Response: quiz.Response{Choices: []int{0}}}}}
	Grade(s, a)
	rf, _ := NewResultFile(s, a)
	good, _ := json.Marshal(rf)
	f.Add(good)
	f.Add([]byte(`{"format":"kicheck-quiz-result/1"}`))
	f.Add([]byte(`{"format":"kicheck-quiz-result/1","session":{"items":[{"question":{"type":"multi","answers":[{"text":"x","fraction":5}]}}]},"attempt":{"answers":[{"position":-1}]}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rf, err := DecodeResultFile("fuzz.json", data)
		if err != nil {
			return
		}
		if h, _ := rf.computeHash(); h != rf.Hash {
			t.Fatal("accepted a file whose hash does not match")
		}
	})
}

// FuzzParseDraw: any rule is either refused or round-trips through the
// canonical form.
func FuzzParseDraw(f *testing.F) {
	for _, s := range []string{"", "per-cell=2", "A1/grundlage=2,A4/mittel=1", "A1/x=1", "=", ",,", "per-cell=-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		per, cells, err := ParseDraw(spec)
		if err != nil {
			return
		}
		canon := drawSpec(Options{PerCell: per, Draw: cells})
		per2, cells2, err := ParseDraw(canon)
		if err != nil || per2 != per || len(cells2) != len(cells) {
			t.Fatalf("%q → %q does not round-trip: %v", spec, canon, err)
		}
	})
}
