package hotspot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDetectPersonal(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string // kinds, in order
	}{
		{"salutation", "Sehr geehrte Frau Beispiel, vielen Dank.", []string{PIIName}},
		{"salutation with title", "Herrn Dr. Max Mustermann", []string{PIIName}},
		{"name field", "Antragstellerin: Erika Musterfrau\nBetrag: 20 Euro", []string{PIIName}},
		{"valid IBAN with spaces", "Bitte auf DE89 3704 0044 0532 0130 00 überweisen.", []string{PIIIBAN}},
		{"valid IBAN compact", "IBAN DE89370400440532013000", []string{PIIIBAN}},
		{"IBAN with a wrong check digit is no IBAN", "IBAN DE89 3704 0044 0532 0130 01", nil},
		{"date of birth", "geboren am 03.07.1985 in Halle", []string{PIIBirthDate}},
		{"Geburtsdatum ISO", "Geburtsdatum: 1985-07-03", []string{PIIBirthDate}},
		{"a deadline is no birth date", "Frist bis 15.02.2026", nil},
		{"street", "wohnhaft Erfundene Gasse 7", []string{PIIAddress}},
		{"postcode and town", "06108 Halle", []string{PIIAddress}},
		{"e-mail", "Antwort an erika@example.org", []string{PIIEmail}},
		{"phone", "Rückruf unter 0345 2210000", []string{PIIPhone}},
		{"plain text", "Der Antrag auf Wohngeld ist vollständig; es fehlen keine Nachweise.", nil},
		{"address block", "Frau Erika Beispiel, Erfundene Gasse 7, 99999 Musterstadt", []string{PIIName, PIIAddress, PIIAddress}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := DetectPersonal(c.text)
			var kinds []string
			for _, f := range got {
				kinds = append(kinds, f.Kind)
				if f.Start < 0 || f.End > len(c.text) || f.Start >= f.End {
					t.Fatalf("finding out of range: %+v", f)
				}
				if f.Shown == c.text[f.Start:f.End] && f.End-f.Start > 2 {
					t.Errorf("finding %q is shown unmasked", f.Shown)
				}
			}
			if strings.Join(kinds, ",") != strings.Join(c.want, ",") {
				t.Errorf("%q: kinds %v, want %v (%+v)", c.text, kinds, c.want, got)
			}
		})
	}
}

func TestValidIBAN(t *testing.T) {
	for s, want := range map[string]bool{
		"DE89370400440532013000":      true,
		"DE89 3704 0044 0532 0130 00": true,
		"GB82WEST12345698765432":      true,
		"DE89370400440532013001":      false,
		"DE8937040044053201300":       false, // a German IBAN has 22 characters
		"de89370400440532013000":      false,
		"DE89370400440532013000!":     false,
		"":                            false,
	} {
		if got := ValidIBAN(s); got != want {
			t.Errorf("ValidIBAN(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzDetectPersonal(f *testing.F) {
	f.Add("Frau Beispiel, DE89 3704 0044 0532 0130 00, geb. 03.07.1985, Erfundene Gasse 7, 99999 Musterstadt")
	f.Add("Name: Ä\xffÖ 0345 1234567 a@b.de")
	f.Fuzz(func(t *testing.T, s string) {
		fs := DetectPersonal(s)
		for _, x := range fs {
			if x.Start < 0 || x.End > len(s) || x.Start >= x.End {
				t.Fatalf("finding out of range: %+v in %q", x, s)
			}
			if x.Kind == PIIIBAN && !ValidIBAN(s[x.Start:x.End]) {
				t.Fatalf("an IBAN finding fails its own check: %q", s[x.Start:x.End])
			}
			if !utf8.ValidString(x.Shown) && utf8.ValidString(s) {
				t.Fatalf("masked text is not UTF-8: %q", x.Shown)
			}
		}
	})
}
