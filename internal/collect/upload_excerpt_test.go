package collect

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A server that echoes the request (a broken proxy, or a hostile one)
// must not get the upload token or control characters into the output.
func TestUploadQuotesTheServerSafely(t *testing.T) {
	const token = "unit-secret-token-1234"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte("bad request from " + r.Header.Get("Authorization") + "\x1b[2J\n201 stored " + strings.Repeat("x", 2000)))
	}))
	defer srv.Close()
	_, _, err := uploadOnce(context.Background(), UploadOptions{Client: srv.Client(), Token: token, Lang: "en"}, srv.URL, []byte("{}"))
	if err == nil {
		t.Fatal("a 400 answer gave no error")
	}
	text := err.Error()
	if strings.Contains(text, token) {
		t.Errorf("the token is in the error: %q", text)
	}
	if strings.ContainsAny(text, "\x1b\n") {
		t.Errorf("control characters reach the output: %q", text)
	}
	if len(text) > 1000 {
		t.Errorf("the whole answer is quoted (%d bytes)", len(text))
	}
}
