package offers

import (
	"slices"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/moochub"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// Kinds of source.
const (
	KindMOOChub = "moochub"
	KindCSV     = "csv"
)

// Origins of an area mapping.
const (
	// OriginFeed: the feed's teaches names the area of the framework.
	OriginFeed = "feed"
	// OriginTrainer: a trainer assigned or confirmed it.
	OriginTrainer = "trainer"
)

// Offer is one imported course.
type Offer struct {
	ID int64 `json:"id"`
	// Key identifies the offer across imports: the feed's id with the
	// host of the course URL (MOOChub), or the URL, else provider and
	// title (CSV).
	Key             string          `json:"key"`
	Kind            string          `json:"kind"`
	Source          string          `json:"source"`
	Name            string          `json:"name"`
	Provider        string          `json:"provider"`
	URL             string          `json:"url"`
	Description     string          `json:"description,omitempty"` // plain text (HTML removed)
	Languages       []string        `json:"languages,omitempty"`
	DurationMinutes int             `json:"duration_minutes,omitempty"`
	Duration        string          `json:"duration,omitempty"` // as given (ISO 8601 or CSV text)
	Workload        string          `json:"workload,omitempty"` // "2 h/week"
	Modes           []string        `json:"modes,omitempty"`    // courseMode, or the CSV format
	Access          []string        `json:"access,omitempty"`   // free, paid, student, other
	Cost            string          `json:"cost,omitempty"`     // CSV cost as given
	License         []string        `json:"license,omitempty"`
	Keywords        []string        `json:"keywords,omitempty"`
	Teaches         []moochub.Skill `json:"teaches,omitempty"`
	Audience        []string        `json:"audience,omitempty"`
	FirstImported   time.Time       `json:"first_imported"`
	LastImported    time.Time       `json:"last_imported"`
	// Removed is set when a re-import of the offer's source no longer
	// had it.
	Removed *time.Time `json:"removed,omitempty"`
	// Areas are the confirmed mappings (from the feed or a trainer).
	Areas []Mapping `json:"areas"`
}

// Mapping says that an offer covers an area at a level.
type Mapping struct {
	Area  string     `json:"area"`
	Level quiz.Level `json:"level"`
	// LevelStated is false when the level was not given (feed without a
	// level); Grundlage is assumed then.
	LevelStated bool      `json:"level_stated"`
	Origin      string    `json:"origin"`
	At          time.Time `json:"at"`
}

// DigComp returns the DigComp 2.2 short codes the feed says the offer
// teaches.
func (o *Offer) DigComp() []string {
	var out []string
	for _, s := range o.Teaches {
		if s.IsDigComp() && s.ShortCode != "" && !slices.Contains(out, s.ShortCode) {
			out = append(out, s.ShortCode)
		}
	}
	return out
}

// Mapping returns the offer's mapping of area, or nil.
func (o *Offer) Mapping(area string) *Mapping {
	for i := range o.Areas {
		if o.Areas[i].Area == area {
			return &o.Areas[i]
		}
	}
	return nil
}

// Free reports whether the offer is free of charge as far as the feed or
// list says.
func (o *Offer) Free() bool {
	return slices.Contains(o.Access, "free") && !slices.Contains(o.Access, "paid")
}

// CostText is the cost in a few words: the CSV text, else from access.
func (o *Offer) CostText() string {
	if o.Cost != "" {
		return o.Cost
	}
	return strings.Join(o.Access, ", ")
}
