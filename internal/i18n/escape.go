package i18n

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes text that came from outside (a file name on a share, a
// device id from a report not yet verified, a library's error about such
// input) safe to print on a terminal or write to a log line: control
// characters (newline, carriage return, escape, the C1 range), Unicode
// format characters that reorder or hide text (bidi overrides, zero-width
// characters), line separators and invalid UTF-8 become Go escapes
// (\n, \x1b, \u202e). Printable text, spaces and umlauts stay as they are,
// so a clean name is printed unchanged.
func Escape(s string) string {
	clean := true
	for i, r := range s {
		if r == utf8.RuneError || needsEscape(r) {
			if r == utf8.RuneError {
				if _, size := utf8.DecodeRuneInString(s[i:]); size > 1 {
					continue // a real U+FFFD
				}
			}
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]>>4), 16) + strconv.FormatUint(uint64(s[i]&15), 16))
		case needsEscape(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(r rune) bool {
	if r == ' ' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
