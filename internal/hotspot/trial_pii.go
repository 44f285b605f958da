package hotspot

import (
	"math/big"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// The Erprobung's inputs must be synthetic or anonymised. DetectPersonal
// looks for what most often slips through: names after a salutation or a
// name field, IBANs (only those whose check digits are right, ISO 13616
// mod 97), dates of birth (a date next to "geboren", "geb.",
// "Geburtsdatum", "born", "date of birth"), postal addresses (a street
// with a house number, a five-digit postcode with a town), e-mail
// addresses and phone numbers. It is a warning, not a guarantee: a person
// still has to look.

// PII kinds.
const (
	PIIName      = "name"
	PIIIBAN      = "iban"
	PIIBirthDate = "geburtsdatum"
	PIIAddress   = "adresse"
	PIIEmail     = "email"
	PIIPhone     = "telefon"
)

// MaxPIIScan is how much of a text DetectPersonal reads (bytes); the rest
// is not looked at and the result says so.
const MaxPIIScan = 1 << 20

// PIIFinding is one place in a text that looks like personal data.
type PIIFinding struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"` // byte offsets in the text
	End   int    `json:"end"`
	// Shown is the finding with all but its first and last characters
	// masked, so a warning does not repeat the personal data in full.
	Shown string `json:"shown"`
}

// Msg is the warning in the user's language.
func (f PIIFinding) Msg() i18n.Msg {
	return i18n.Msg{ID: "hotspot.trial.pii." + f.Kind, Data: map[string]any{"Text": f.Shown}}
}

var (
	reSalutation = regexp.MustCompile(`\b(?:Herrn?|Frau|Hr\.|Fr\.|Mr\.?|Mrs\.?|Ms\.?)\s+(?:(?:Dr|Prof)\.\s+)?([A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ][a-zäöüß]+)?)`)
	reNameField  = regexp.MustCompile(`(?i)\b(?:name|vorname|nachname|familienname|antragsteller(?:in)?|unterzeichner(?:in)?)\s*:\s*([A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ][a-zäöüß]+){0,2})`)
	reIBAN       = regexp.MustCompile(`\b[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]){11,30}\b`)
	reDate       = regexp.MustCompile(`\b(?:[0-3]?[0-9]\.[ ]?[01]?[0-9]\.[ ]?(?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9])\b`)
	reBirthWord  = regexp.MustCompile(`(?i)(?:geboren|geb\.|geburtsdatum|geburtstag|born|date of birth|d\.o\.b\.)`)
	reStreet     = regexp.MustCompile(`\b(?:[A-ZÄÖÜ][a-zäöüß-]*(?:straße|strasse|str\.|gasse|weg|platz|allee|ring|damm|ufer|chaussee)|[A-ZÄÖÜ][a-zäöüß-]+\s+(?:Straße|Strasse|Str\.|Gasse|Weg|Platz|Allee|Ring|Damm|Ufer|Chaussee))\s+[0-9]{1,4}\s?[a-zA-Z]?\b`)
	rePostcode   = regexp.MustCompile(`\b[0-9]{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ]?[a-zäöüß]+)*`)
	reEmail      = regexp.MustCompile(`\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b`)
	rePhone      = regexp.MustCompile(`(?:\+49|\b0)[1-9][0-9]{1,4}[ /-]?[0-9]{3,9}(?:[ -]?[0-9]{1,5})?\b`)
)

// DetectPersonal returns what in text looks like personal data, in the
// order it appears (overlapping findings of different kinds are all
// kept; the same place is not reported twice for one kind).
func DetectPersonal(text string) []PIIFinding {
	if len(text) > MaxPIIScan {
		text = strings.ToValidUTF8(text[:MaxPIIScan], "")
	}
	var out []PIIFinding
	add := func(kind string, start, end int) {
		out = append(out, PIIFinding{Kind: kind, Start: start, End: end, Shown: mask(text[start:end])})
	}
	for _, m := range reSalutation.FindAllStringSubmatchIndex(text, -1) {
		add(PIIName, m[0], m[1])
	}
	for _, m := range reNameField.FindAllStringSubmatchIndex(text, -1) {
		add(PIIName, m[2], m[3])
	}
	ibanShaped := reIBAN.FindAllStringIndex(text, -1)
	for _, m := range ibanShaped {
		if ValidIBAN(text[m[0]:m[1]]) {
			add(PIIIBAN, m[0], m[1])
		}
	}
	for _, m := range reDate.FindAllStringIndex(text, -1) {
		from := m[0] - 40
		if from < 0 {
			from = 0
		}
		for from > 0 && !utf8.RuneStart(text[from]) {
			from--
		}
		if reBirthWord.MatchString(text[from:m[0]]) {
			add(PIIBirthDate, m[0], m[1])
		}
	}
	for _, m := range reStreet.FindAllStringIndex(text, -1) {
		add(PIIAddress, m[0], m[1])
	}
	for _, m := range rePostcode.FindAllStringIndex(text, -1) {
		add(PIIAddress, m[0], m[1])
	}
	for _, m := range reEmail.FindAllStringIndex(text, -1) {
		add(PIIEmail, m[0], m[1])
	}
	for _, m := range rePhone.FindAllStringIndex(text, -1) {
		if overlaps(ibanShaped, m[0], m[1]) {
			continue
		}
		add(PIIPhone, m[0], m[1])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// overlaps: digits inside something shaped like an IBAN (valid or not)
// are not also a phone number.
func overlaps(spans [][]int, start, end int) bool {
	for _, sp := range spans {
		if start < sp[1] && end > sp[0] {
			return true
		}
	}
	return false
}

// ValidIBAN checks an IBAN's form and its check digits (ISO 13616: the
// country code and check digits moved to the end, letters as 10…35, the
// number mod 97 is 1). Spaces are ignored.
func ValidIBAN(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	for i, r := range s {
		switch {
		case i < 2 && (r < 'A' || r > 'Z'):
			return false
		case i >= 2 && i < 4 && (r < '0' || r > '9'):
			return false
		case !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			return false
		}
	}
	if strings.HasPrefix(s, "DE") && len(s) != 22 {
		return false
	}
	var digits strings.Builder
	for _, r := range s[4:] + s[:4] {
		if r >= 'A' {
			digits.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		} else {
			digits.WriteRune(r)
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// mask keeps enough of a finding to find it again (the first three and
// last two characters of a long one, the first and last of a short one)
// and replaces the rest with •.
func mask(s string) string {
	r := []rune(s)
	head, tail := 1, 1
	switch {
	case len(r) <= 2:
		return strings.Repeat("•", len(r))
	case len(r) > 10:
		head, tail = 3, 2
	}
	return string(r[:head]) + strings.Repeat("•", len(r)-head-tail) + string(r[len(r)-tail:])
}
