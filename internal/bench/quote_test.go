package bench

import (
	"errors"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"
)

// TestStatusErrorQuotesSafely is from issue 20: a server's error text (an
// echoing server reflects the key) reaches the output only as a short,
// key-scrubbed, escaped excerpt; the cause stays reachable.
func TestStatusErrorQuotesSafely(t *testing.T) {
	const key = "local-key-0123456789"
	cause := &openai.APIError{HTTPStatusCode: 401, Message: "bad key " + key + "\x1b[2J\n201 Created" + strings.Repeat(" x", 300)}
	err := statusError(401, cause, key)
	msg := err.Error()
	for _, bad := range []string{key, "\x1b", "\n"} {
		if strings.Contains(msg, bad) {
			t.Fatalf("error contains %q: %q", bad, msg)
		}
	}
	if !strings.Contains(msg, `bad key […]\x1b[2J 201 Created`) || len(msg) > 400 || err.Kind != KindAccessDenied {
		t.Fatalf("error = %q (kind %s)", msg, err.Kind)
	}
	var api *openai.APIError
	if !errors.As(err, &api) {
		t.Fatal("the API error is no longer reachable with errors.As")
	}
}
