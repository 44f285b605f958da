package dataclass

import (
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Class is one data class id as written in files and on the command line.
type Class string

// The data classes, from least to most protected.
const (
	Public     Class = "oeffentlich"
	Internal   Class = "intern"
	Personal   Class = "personenbezogen"
	SpecialCat Class = "besondere_kategorien"
	SocialData Class = "sozialdaten"
	Classified Class = "vs_nfd"
	synthetic        = Public // test prompts written for KI-Check contain no real data
)

// All lists every class in the order above (for forms and documentation).
var All = []Class{Public, Internal, Personal, SpecialCat, SocialData, Classified}

// Synthetic is the class of KI-Check's own synthetic test prompts.
// They contain no real data, so they are public.
func Synthetic() Class { return Public }

// Parse reads a class id; surrounding spaces and case are ignored. The
// error lists the valid ids so a user can correct the cell or flag.
func Parse(s string) (Class, error) {
	c := Class(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range All {
		if c == k {
			return k, nil
		}
	}
	return "", i18n.NewError("dataclass.err.unknown", "", map[string]any{"Value": i18n.Escape(s), "Valid": strings.Join(IDs(), ", ")}, nil)
}

// IDs returns the ids of All as strings.
func IDs() []string {
	out := make([]string, len(All))
	for i, c := range All {
		out[i] = string(c)
	}
	return out
}

// PersonalData reports whether the class holds data about persons
// (everything from personenbezogen on except VS-NfD, which is about
// confidentiality, not persons).
func (c Class) PersonalData() bool {
	return c == Personal || c == SpecialCat || c == SocialData
}

// Label is the class's name for people.
func (c Class) Label() i18n.Msg { return i18n.Msg{ID: "dataclass." + string(c)} }

// Description says in plain words what belongs to the class.
func (c Class) Description() i18n.Msg { return i18n.Msg{ID: "dataclass." + string(c) + ".desc"} }
