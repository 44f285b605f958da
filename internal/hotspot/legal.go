package hotspot

import "github.com/ki-reise/kicheck/internal/i18n"

// TEMPORARY until internal/aiact is merged.
type Legal struct {
	Class string   `json:"class"`
	Notes []string `json:"notes,omitempty"`
}

func LegalStand() string              { return "" }
func Classify(p Process) Legal        { return Legal{Class: "minimal"} }
func (l Legal) Prohibited() bool      { return l.Class == "verboten" }
func (l Legal) HighRisk() bool        { return l.Class == "hochrisiko" }
func (l Legal) NextSteps() []i18n.Msg { return nil }
func (l *Legal) Localize(lang string) {}
