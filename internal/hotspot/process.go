package hotspot

import "time"

// Process is one row of the survey (Prozess-Erhebung): a process of one
// organisational unit with its figures and the facts the legal class is
// decided on. Field names in JSON are the sheet's column names.
type Process struct {
	ID               string  `json:"id"`
	Name             string  `json:"prozess"`
	Unit             string  `json:"organisationseinheit"`
	LeiKa            string  `json:"leika"`
	CasesPerYear     int64   `json:"faelle_pro_jahr"`
	MinutesPerCase   float64 `json:"minuten_pro_fall"`
	TextSharePercent float64 `json:"textanteil_prozent"`
	Task             string  `json:"ki_aufgabe"`
	DataClass        string  `json:"datenklasse"`
	Effect           string  `json:"wirkung"`
	Area             string  `json:"bereich"`
	Profiling        bool    `json:"profiling"`
	Note             string  `json:"anmerkung"`

	// Optional columns (docs/hotspots.md); "" or false when the sheet has
	// no such column.
	DigitalInput        string   `json:"digitaler_eingang,omitempty"` // ja | teilweise | nein
	DataQuality         string   `json:"datenqualitaet,omitempty"`    // gut | mittel | schlecht
	Exception           string   `json:"ausnahme,omitempty"`          // Art. 6(3): eng_verfahren | verbesserung | muster | vorbereitung
	ExceptionDocumented bool     `json:"ausnahme_dokumentiert,omitempty"`
	PublicContact       bool     `json:"buergerkontakt,omitempty"`         // AI talks to citizens (Art. 50(1))
	PublishesText       bool     `json:"veroeffentlichung,omitempty"`      // AI text published to inform the public (Art. 50(4))
	AffectsStaff        bool     `json:"beschaeftigte,omitempty"`          // used on or about the municipality's staff
	Practice            string   `json:"verbot,omitempty"`                 // an Art. 5(1) practice id (aiact.Practices), if the use is one
	Point               string   `json:"anhang_iii_nummer,omitempty"`      // Annex III point, e.g. 5a (aiact.Points)
	EditorialReview     bool     `json:"redaktionelle_pruefung,omitempty"` // published AI text is reviewed by a person (Art. 50(4))
	PassRate            *float64 `json:"bestehensquote,omitempty"`         // from the Erprobung (0..1), set by the KI-Test, not by the sheet

	Source Source `json:"quelle"`
}

// Source is where a stored process came from.
type Source struct {
	File     string    `json:"datei"`
	Line     int       `json:"zeile,omitempty"`
	Imported time.Time `json:"importiert"`
	// Kommune is set for another municipality's example (a signed export
	// imported with `kicheck hotspot import`); empty for the own survey.
	Kommune string `json:"kommune,omitempty"`
	Signer  string `json:"unterzeichner,omitempty"`
}

// Vocabulary of the survey's own columns; wirkung, bereich, ausnahme,
// verbot and anhang_iii_nummer are internal/aiact's ids.
var (
	DigitalInputs = []string{"ja", "teilweise", "nein"}
	DataQualities = []string{"gut", "mittel", "schlecht"}
)

// sameFigures reports whether two rows say the same (everything but
// where they came from and the note).
func sameFigures(a, b Process) bool {
	return len(diff(a, b)) == 0
}

// FieldDiff is one column in which two rows with the same id differ.
type FieldDiff struct {
	Column string `json:"spalte"`
	A      string `json:"a"`
	B      string `json:"b"`
}

func diff(a, b Process) []FieldDiff {
	ra, rb := a.record(), b.record()
	var out []FieldDiff
	for i, col := range AllColumns {
		if col == "anmerkung" {
			continue
		}
		if ra[i] != rb[i] {
			out = append(out, FieldDiff{Column: col, A: ra[i], B: rb[i]})
		}
	}
	return out
}
