package learning

import (
	"fmt"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// GapMsg says how the self-rating compares with the knowledge score, for
// the CLI's and the GUI's result alike; ok is false when the area has no
// self-rating or no verdict.
func (a AreaResult) GapMsg() (m i18n.Msg, ok bool) {
	if a.SelfRating == nil || a.GapVerdict == "" {
		return i18n.Msg{}, false
	}
	id := map[string]string{"higher": "learning.gap.higher", "lower": "learning.gap.lower"}[a.GapVerdict]
	if id == "" {
		id = "learning.gap.matches"
	}
	return i18n.Msg{ID: id, Data: map[string]any{"Self": fmt.Sprintf("%.0f", 100**a.SelfRating), "Score": fmt.Sprintf("%.0f", 100*a.Score)}}, true
}
