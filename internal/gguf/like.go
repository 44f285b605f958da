package gguf

import (
	"fmt"
	"math"
)

// Target is a real model to imitate: its shape, the quantization recipe
// and, where known, the size of its published file in that quantization.
type Target struct {
	Name     string
	Shape    Shape
	Quant    Quant
	FileSize int64 // bytes; 0 when unknown
}

// Match is the synthetic model planned for a Target.
type Match struct {
	Layout *Layout
	// Deviation is (synthetic size − published size) / published size; 0
	// when the target has no file size.
	Deviation float64
}

// MaxDeviation is how far the synthetic file's size may be from the
// published one before Like refuses: beyond it the shape or the recipe does
// not describe the real file, and a speed measured with it would mislead.
const MaxDeviation = 0.06

// DeviationError says the synthetic model would not match the real one.
type DeviationError struct {
	Target    Target
	Planned   int64
	Deviation float64
}

func (e *DeviationError) Error() string {
	return fmt.Sprintf("synthetic %s at %s would be %.2f GB, %+.1f%% from the published %.2f GB (limit ±%.0f%%)",
		e.Target.Name, e.Target.Quant, float64(e.Planned)/1e9, 100*e.Deviation, float64(e.Target.FileSize)/1e9, 100*MaxDeviation)
}

// Hint says what to do.
func (e *DeviationError) Hint() string {
	return "check the model's shape (layers, hidden size, heads, feed-forward size, vocabulary, tied embeddings) in the catalogue, or choose another quantization"
}

// Like plans a synthetic model with the target's exact shape (layers, hidden
// size, heads, key/value heads, feed-forward size, vocabulary) in the
// target's recipe, and checks that its size is within MaxDeviation of the
// published file. Architecture-specific extras of the real model (biases,
// extra norms, sliding-window attention) are not reproduced; they are small
// against the matrices that decide memory traffic per token.
func Like(t Target, seed uint64) (Match, error) {
	name := t.Name
	if name == "" {
		name = "kicheck-synthetic"
	}
	l, err := Plan(Spec{Name: "synthetic " + name, Shape: t.Shape, Quant: t.Quant, Seed: seed})
	if err != nil {
		return Match{}, err
	}
	m := Match{Layout: l}
	if t.FileSize > 0 {
		m.Deviation = float64(l.Size-t.FileSize) / float64(t.FileSize)
		if math.Abs(m.Deviation) > MaxDeviation {
			return m, &DeviationError{Target: t, Planned: l.Size, Deviation: m.Deviation}
		}
	}
	return m, nil
}
