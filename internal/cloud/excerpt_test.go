package cloud

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	const key = "geheim-0123456789"
	for _, tc := range []struct{ body, want string }{
		{`{"error":{"message":"Incorrect API key provided: geheim-0123456789."}}`, "Incorrect API key provided: […]."},
		{`{"error":"model \u001b[31mnot\u001b[0m found"}`, `model \x1b[31mnot\x1b[0m found`},
		{`{"message":"quota\nexceeded"}`, "quota exceeded"},
		{"Authorization: Bearer abc.def\r\nX: 1", "Authorization: Bearer […] X: 1"},
		{"sk-proj-AbCdEf0123456789 leaked", "[…] leaked"},
		{"bad \xff byte \u202e rtl", `bad \xff byte \u202e rtl`},
		{strings.Repeat("a ", 200), strings.TrimSpace(strings.Repeat("a ", 80)) + "…"},
		{"", ""},
	} {
		if got := Excerpt([]byte(tc.body), key); got != tc.want {
			t.Errorf("Excerpt(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// FuzzExcerpt: whatever a server answers, the excerpt is one short line
// of printable UTF-8 without the key.
func FuzzExcerpt(f *testing.F) {
	f.Add([]byte(`{"error":{"message":"key sk-test-0123456789 \u001b[2J"}}`), "sk-test-0123456789")
	f.Add([]byte("\x1b]0;title\x07\n201 Created"), "tok1234")
	f.Add([]byte(`{"error":"x"}`), "")
	f.Fuzz(func(t *testing.T, body []byte, key string) {
		got := Excerpt(body, key)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
		if utf8.RuneCountInString(got) > 4*maxExcerpt+1 {
			t.Fatalf("too long: %d runes", utf8.RuneCountInString(got))
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("control character %U in %q", r, got)
			}
		}
		if len(key) >= 4 && strings.Contains(got, key) && !strings.Contains(string(body), key+key) {
			// The key may only appear if escaping created it anew
			// (e.g. a key that is itself an escape sequence).
			if !strings.ContainsAny(key, `\`) && strings.Contains(string(body), key) {
				t.Fatalf("key %q survives in %q (body %q)", key, got, body)
			}
		}
	})
}
