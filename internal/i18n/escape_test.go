package i18n

import "testing"

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"Bauamt Süd":                   "Bauamt Süd",
		"a\nb":                         `a\nb`,
		"\x1b[2J201 ok\r":              `\x1b[2J201 ok\r`,
		"tab\there":                    `tab\there`,
		"rtl\u202etxt.json":            `rtl\u202etxt.json`,
		"bad\xffutf8":                  `bad\xffutf8`,
		"\u0085next":                   `\u0085next`,
		"ersatz \ufffd zeichen bleibt": "ersatz \ufffd zeichen bleibt",
		"zero\u200bwidth":              `zero\u200bwidth`,
		"line\u2028sep":                `line\u2028sep`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}
