package load

import (
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// useCaseOf maps a prompt's use_case kind to the fit use case whose limits
// apply, where the prompt's id is not itself a fit use case.
var useCaseOf = map[string]string{
	"summarise": "bescheid-zusammenfassen",
	"classify":  "anfrage-klassifizieren",
	"draft":     "antwort-entwurf",
	"extract":   "formular-extrahieren",
	"rewrite":   "leichte-sprache",
	"translate": "uebersetzen",
}

// MixFrom builds the request mix from a prompt bundle's fixed prompts
// (synthetic speed scenarios are left out) with the limits of fit's use
// cases ("good" values: first token at most, tokens/s at least). weights
// gives a prompt's share by id ("" key: default 1); maxTokens > 0 caps the
// answer length (tests).
func MixFrom(b *bench.Bundle, uc *fit.Catalogue, weights map[string]float64, maxTokens int) ([]Work, error) {
	var mix []Work
	for _, p := range b.Prompts {
		if p.Synthetic != nil || len(p.Messages) == 0 {
			continue
		}
		w := Work{ID: p.ID, Messages: p.Messages, MaxTokens: p.Params.MaxTokens, Weight: 1}
		if v, ok := weights[p.ID]; ok {
			w.Weight = v
		}
		if maxTokens > 0 && (w.MaxTokens == 0 || w.MaxTokens > maxTokens) {
			w.MaxTokens = maxTokens
		}
		if w.MaxTokens == 0 {
			w.MaxTokens = 256
		}
		id := p.ID
		if _, ok := uc.UseCase(id); !ok {
			id = useCaseOf[p.UseCase]
		}
		if u, ok := uc.UseCase(id); ok {
			w.UseCase = u.ID
			if t := u.Thresholds.FirstTokenS; t != nil {
				w.Limits.FirstTokenS = t.Good
			}
			if t := u.Thresholds.DecodeTPS; t != nil {
				w.Limits.DecodeTPS = t.Good
			}
		}
		if w.Weight > 0 {
			mix = append(mix, w)
		}
	}
	if len(mix) == 0 {
		return nil, i18n.NewError("load.err.mix_empty", "", map[string]any{"Bundle": i18n.Escape(b.ID)}, nil)
	}
	return mix, nil
}

// ParseWeights reads "id=3,id2=1" into a weight map.
func ParseWeights(s string) (map[string]float64, error) {
	out := map[string]float64{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		var f float64
		if _, err := fmt.Sscanf(v, "%g", &f); !ok || err != nil || f < 0 {
			return nil, i18n.NewError("load.err.mix_entry", "", map[string]any{"Entry": i18n.Escape(part)}, nil)
		}
		out[k] = f
	}
	return out, nil
}

// BundleMix is the mix of bundle bundleID from the data dir's catalogue
// (packaged bundles, then the municipality's), weighted by weights
// ("id=3,id2=1"), answers capped at maxTokens (0 = the bundle's).
func BundleMix(dataDir, bundleID, weights string, maxTokens int) ([]Work, *bench.Bundle, error) {
	cat, err := bench.LoadCatalogue(dataDir)
	if err != nil {
		return nil, nil, err
	}
	b, err := cat.Get(bundleID)
	if err != nil {
		return nil, nil, err
	}
	uc, err := fit.LoadCatalogue(dataDir)
	if err != nil {
		return nil, nil, err
	}
	w, err := ParseWeights(weights)
	if err != nil {
		return nil, b, err
	}
	mix, err := MixFrom(b, uc, w, maxTokens)
	return mix, b, err
}
