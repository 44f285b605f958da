package load

import (
	"math"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Slots is what is known of the server's parallel slots (how many answers
// it decodes at a time; Ollama's OLLAMA_NUM_PARALLEL). Ollama 0.6.5's API
// does not report them, nor does the OpenAI protocol, so Readable is
// false; a sweep infers a range from the level at which requests start to
// queue for their first token, and says that it is inferred.
type Slots struct {
	Readable bool `json:"readable"`
	// Inferred: Lo…Hi slots, from the sweep (QueueAt is the first level
	// whose median first token waited in a queue); AtLeast: no queue up to
	// the highest level measured, so at least Lo.
	Inferred bool `json:"inferred"`
	Lo       int  `json:"lo,omitempty"`
	Hi       int  `json:"hi,omitempty"`
	QueueAt  int  `json:"queue_at,omitempty"`
	AtLeast  bool `json:"at_least,omitempty"`
}

// inferSlots reads the slots off a sweep: with s slots, up to s requests
// start at once and the first token comes after the prompt is read; from
// s+1 on some wait for a whole answer before theirs starts. A level counts
// as queued when its median time to first token exceeds twice level 1's
// and level 1's plus half of its decoding time (end-to-end minus first
// token): more than prompt reading under load explains.
func inferSlots(r *Result) *Slots {
	s := &Slots{}
	ls := r.Levels
	if r.Shape != ShapeSweep || len(ls) == 0 || ls[0].Level != 1 {
		return s
	}
	base := ls[0]
	t0, e0 := base.TTFT.P50.Value, base.E2E.P50.Value
	if math.IsNaN(t0) || math.IsNaN(e0) {
		return s
	}
	limit := math.Max(2*t0, t0+0.5*(e0-t0))
	s.Inferred = true
	for i := 1; i < len(ls); i++ {
		t := ls[i].TTFT.P50.Value
		if !math.IsNaN(t) && t > limit {
			s.Lo, s.Hi, s.QueueAt = ls[i-1].Level, ls[i].Level-1, ls[i].Level
			return s
		}
	}
	s.Lo, s.AtLeast = ls[len(ls)-1].Level, true
	return s
}

// Msg says the slots in words: not readable, and what the sweep suggests.
func (s *Slots) Msg() i18n.Msg {
	switch {
	case s == nil || !s.Inferred:
		return i18n.Msg{ID: "load.slots.unreadable"}
	case s.AtLeast:
		return i18n.Msg{ID: "load.slots.at_least", Data: map[string]any{"N": s.Lo}}
	case s.Lo == s.Hi:
		return i18n.Msg{ID: "load.slots.inferred", Data: map[string]any{"N": s.Lo, "Queue": s.QueueAt}}
	}
	return i18n.Msg{ID: "load.slots.inferred_range", Data: map[string]any{"Lo": s.Lo, "Hi": s.Hi, "Queue": s.QueueAt}}
}
