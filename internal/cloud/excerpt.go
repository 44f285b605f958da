package cloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxExcerpt is the most runes of a provider's error text that is shown.
const maxExcerpt = 160

// keyLike matches what looks like a credential whether or not it is the
// key KI-Check sent: "Bearer …", OpenAI-style "sk-…" keys, and long runs of
// key characters (an echoing server may reflect a key in another form).
var keyLike = regexp.MustCompile(`(?i)\bbearer\s+\S+|\b(sk|pk|rk|ak)-[A-Za-z0-9_\-]{8,}|[A-Za-z0-9_\-+/=]{32,}`)

// Excerpt turns the start of a provider's error body into a short line
// that is safe to print and log: the provider's own message when the body
// is JSON ({"error":{"message":…}}, {"error":…}, {"message":…}), else the
// text; every secret given (the API key sent) and whatever looks like a
// key replaced by "[…]"; line breaks and tabs made spaces, other control
// and direction-changing characters and invalid UTF-8 escaped (\x1b,
// \u202e); at most 160 characters. A server that echoes the request must
// not get the key, or terminal escapes, into the output.
func Excerpt(body []byte, secrets ...string) string {
	text := providerMessage(body)
	for _, s := range secrets {
		if len(s) >= 4 {
			text = strings.ReplaceAll(text, s, "[…]")
		}
	}
	text = keyLike.ReplaceAllStringFunc(text, func(m string) string {
		if strings.HasPrefix(strings.ToLower(m), "bearer") {
			return "Bearer […]"
		}
		return "[…]"
	})
	return escapeLine(text, maxExcerpt)
}

// Printable returns s (a model name the server listed) safe to print: one
// line, control and direction-changing characters and invalid UTF-8
// escaped, at most 200 characters. Ordinary names are unchanged.
func Printable(s string) string { return escapeLine(s, 200) }

// escapeLine makes text one line of at most max runes: line breaks and
// tabs become a space, other control characters, format characters and
// invalid UTF-8 are escaped, "…" marks a cut.
func escapeLine(text string, max int) string {
	var b strings.Builder
	n := 0
	space := false
	i := 0
	for i < len(text) && n < max {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, text[i-1])
		case r == '\n' || r == '\r' || r == '\t' || r == ' ':
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			n++
			continue
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Bidi_Control, r) || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		space = false
		n++
	}
	out := strings.TrimSpace(b.String())
	if i < len(text) { // cut
		out += "…"
	}
	return out
}

// providerMessage returns the message of a JSON error body, or the body.
func providerMessage(body []byte) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(body, &v) == nil {
		var inner struct {
			Message string `json:"message"`
		}
		var s string
		switch {
		case json.Unmarshal(v.Error, &inner) == nil && inner.Message != "":
			return inner.Message
		case json.Unmarshal(v.Error, &s) == nil && s != "":
			return s
		case v.Message != "":
			return v.Message
		}
	}
	return string(body)
}

// secretsOf returns the credentials a request carries (Authorization,
// api-key, x-api-key headers; values of key-like query parameters), to be
// scrubbed from what the server answers.
func secretsOf(r *http.Request) []string {
	var out []string
	if a := r.Header.Get("Authorization"); a != "" {
		out = append(out, a)
		if _, tok, ok := strings.Cut(a, " "); ok {
			out = append(out, strings.TrimSpace(tok))
		}
	}
	for _, h := range []string{"api-key", "x-api-key", "x-goog-api-key"} {
		if v := r.Header.Get(h); v != "" {
			out = append(out, v)
		}
	}
	if r.URL != nil {
		for k, vs := range r.URL.Query() {
			if strings.Contains(strings.ToLower(k), "key") || strings.Contains(strings.ToLower(k), "token") {
				out = append(out, vs...)
			}
		}
	}
	return out
}
