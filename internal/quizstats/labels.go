package quizstats

import (
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// flagIDs are the message ids of the flags (the flags themselves are
// stable English texts in the JSON and CSV output).
var flagIDs = map[string]string{
	FlagLowEfficiency:     "quizstats.flag.low_efficiency",
	FlagNegative:          "quizstats.flag.negative",
	FlagNoSpread:          "quizstats.flag.no_spread",
	DistractorNever:       "quizstats.flag.never",
	DistractorAttractsTop: "quizstats.flag.attracts_top",
}

// FlagText is an item's or a distractor's flag in lang, for the CLI and
// the GUI alike; a flag without a text is returned as it is.
func FlagText(lang, flag string) string {
	if id, ok := flagIDs[flag]; ok {
		return i18n.T(lang, id)
	}
	return flag
}

// FlagsText is the flags in lang, joined by "; ".
func FlagsText(lang string, flags []string) string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = FlagText(lang, f)
	}
	return strings.Join(out, "; ")
}

// Msg is the warning as a message for people.
func (w Warning) Msg() i18n.Msg {
	id := map[string]string{WarnSmallSample: "quizstats.warn.small_sample", WarnNoDiscrimination: "quizstats.warn.no_discrimination",
		WarnNoAlpha: "quizstats.warn.no_alpha"}[w.Code]
	if id == "" {
		return i18n.Msg{ID: w.Text}
	}
	return i18n.Msg{ID: id, Data: map[string]any{"N": w.N, "Min": SmallSample}}
}
