package loadprofile

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ki-reise/kicheck/internal/gguf"
)

// Model is a catalogue model as far as the load profile needs it. The
// models come from the model catalogue (fit.Catalogue.LoadProfileModels,
// bundles/models); this package keeps no copy of them.
type Model struct {
	ID    string
	Name  string
	Shape gguf.Shape
	// Sizes are the published GGUF file sizes in bytes per quantization.
	Sizes map[gguf.Quant]int64
}

// UnknownModelError names the models that are known.
type UnknownModelError struct {
	ID    string
	Known []string // the ids that are known
}

func (e *UnknownModelError) Error() string { return fmt.Sprintf("unknown model %q", e.ID) }

// Hint lists the known ids.
func (e *UnknownModelError) Hint() string {
	ids := slices.Clone(e.Known)
	sort.Strings(ids)
	return "known models: " + strings.Join(ids, ", ") + "; or give the shape with --layers, --hidden, --heads, --kv-heads, --ffn, --vocab"
}

// Target is what a load profile of m in quantization q imitates.
func (m Model) Target(q gguf.Quant) gguf.Target {
	return gguf.Target{Name: m.ID, Shape: m.Shape, Quant: q, FileSize: m.Sizes[q]}
}

// TargetFor returns the load-profile target for the model id among models
// (the catalogue's, fit.Catalogue.LoadProfileModels) and quantization q.
func TargetFor(models []Model, id string, q gguf.Quant) (gguf.Target, error) {
	for _, m := range models {
		if m.ID == id {
			return m.Target(q), nil
		}
	}
	known := make([]string, len(models))
	for i, m := range models {
		known[i] = m.ID
	}
	return gguf.Target{}, &UnknownModelError{ID: id, Known: known}
}
