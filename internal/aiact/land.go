package aiact

import (
	"strings"
)

// Land is a German federal state, by its two-letter code (ST for
// Sachsen-Anhalt). It is optional in Facts: with it, the § 35a VwVfG duty
// names the provision of that Land as far as the reference names it.
type Land string

// Lands lists the codes of the sixteen Länder.
var Lands = []Land{"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"}

// ParseLand reads a Land code; case and spaces are ignored, "" means none.
func ParseLand(s string) (Land, error) {
	t := Land(strings.ToUpper(strings.TrimSpace(s)))
	if t == "" || known(t, Lands) {
		return t, nil
	}
	return "", unknown("land", s, ids(Lands))
}

// vwvfgProvision is the provision on fully automatic administrative acts
// for the Land, as the reference names it, and the message saying why.
// Where the reference names no provision, the citation says so.
func vwvfgProvision(l Land) (article, why string) {
	switch l {
	case "":
		return "§ 35a VwVfG", ""
	case "ST":
		// "Saxony-Anhalt's VwVfG LSA refers to the federal act".
		return "§ 35a VwVfG i. V. m. VwVfG LSA", "aiact.vwvfg.verweis"
	case "BE", "BB", "NI", "RP", "SN":
		// "… as do those of Berlin, Brandenburg, Niedersachsen,
		// Rheinland-Pfalz and Sachsen".
		return "§ 35a VwVfG i. V. m. dem Verwaltungsverfahrensgesetz des Landes", "aiact.vwvfg.verweis"
	case "BY":
		return "Art. 35a BayVwVfG", "aiact.vwvfg.eigen"
	case "NW":
		return "§ 35a VwVfG NRW", "aiact.vwvfg.eigen"
	case "SH":
		return "LVwG (Vorschrift zu prüfen)", "aiact.vwvfg.sh"
	}
	// "Most other Länder have their own full-text act with the same
	// rule": which, and the provision, the reference does not say.
	return "Verwaltungsverfahrensgesetz des Landes (Vorschrift von der Kommune einzutragen)", "aiact.vwvfg.andere"
}
