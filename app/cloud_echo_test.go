package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCloudTestDoesNotEchoTheKey is from issue 20: `cloud test` printed
// the provider's error body verbatim, and an echoing server reflected the
// API key into the output. The error now quotes the status and a short,
// key-scrubbed, control-character-escaped excerpt. The server is a real
// HTTP server on loopback that echoes what it received.
func TestCloudTestDoesNotEchoTheKey(t *testing.T) {
	const key = "sk-echo-0123456789abcdefXYZ"
	t.Setenv("KICHECK_ECHO_KEY", key)
	for _, tc := range []struct{ name, contentType string }{{"json", "application/json"}, {"text", "text/plain"}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var dump strings.Builder
				r.Header.Write(&dump)
				body, _ := io.ReadAll(r.Body)
				echo := "invalid key " + r.Header.Get("Authorization") + "\x1b[2J\x1b[31m\nerror: none\r\n201 accepted\u202e" + dump.String() + string(body) +
					strings.Repeat(" lorem ipsum", 60)
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(http.StatusUnauthorized)
				if tc.contentType == "application/json" {
					io.WriteString(w, `{"error":{"message":`+jsonString(echo)+`}}`)
					return
				}
				io.WriteString(w, echo)
			}))
			defer srv.Close()
			dir := t.TempDir()
			if _, errOut, code := kicheck(t, "--data-dir", dir, "cloud", "set", "--endpoint", srv.URL+"/v1", "--model", "m",
				"--key-env", "KICHECK_ECHO_KEY"); code != 0 {
				t.Fatalf("set: %s", errOut)
			}
			for _, lang := range []string{"de", "en"} {
				_, errOut, code := kicheck(t, "--data-dir", dir, "--lang", lang, "cloud", "test")
				if code != 1 || !strings.Contains(errOut, "(401)") {
					t.Fatalf("%s: exit %d\n%s", lang, code, errOut)
				}
				for _, bad := range []string{key, "0123456789abcdef", "\x1b", "\r", "\u202e", "\nerror: none", "\n201"} {
					if strings.Contains(errOut, bad) {
						t.Fatalf("%s: output contains %q:\n%s", lang, bad, errOut)
					}
				}
				first, _, _ := strings.Cut(errOut, "\n")
				if !strings.Contains(first, `invalid key […]\x1b[2J`) || len([]rune(first)) > 300 {
					t.Fatalf("%s: first line is not a short escaped excerpt: %q", lang, first)
				}
			}
		})
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestCloudTestEscapesModelNames: the model names a server lists are
// printed by `cloud test`; control characters in them are escaped.
func TestCloudTestEscapesModelNames(t *testing.T) {
	t.Setenv("KICHECK_ECHO_KEY", "sk-echo-models-0123456789")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"object":"list","data":[{"id":"llama3.2","object":"model"},{"id":"evil\u001b[2J\n201 accepted\u202e","object":"model"}]}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	if _, errOut, code := kicheck(t, "--data-dir", dir, "cloud", "set", "--endpoint", srv.URL+"/v1", "--model", "missing",
		"--key-env", "KICHECK_ECHO_KEY"); code != 0 {
		t.Fatalf("set: %s", errOut)
	}
	out, errOut, _ := kicheck(t, "--data-dir", dir, "--lang", "en", "cloud", "test")
	if !strings.Contains(out, `evil\x1b[2J 201 accepted\u202e`) || !strings.Contains(out, "llama3.2") {
		t.Fatalf("model names not listed escaped:\n%s\n%s", out, errOut)
	}
	for _, bad := range []string{"\x1b", "\u202e", "\n201"} {
		if strings.Contains(out+errOut, bad) {
			t.Fatalf("output contains %q:\n%s", bad, out)
		}
	}
}
