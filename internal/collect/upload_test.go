package collect

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestUploadRetries: a collection that answers 503 twice (fault injected
// by a stand-in server) gets the report on the third try; a real server
// then stores it, and a 400 is not retried.
func TestUploadRetries(t *testing.T) {
	real, in := testServer(t, ServerOptions{})
	var calls atomic.Int32
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "busy", Message: "try later"})
			return
		}
		real.Config.Handler.ServeHTTP(w, r)
	}))
	defer flaky.Close()
	data, sig := makeReport(t, newKey(t), spec{})
	res, err := Upload(context.Background(), flaky.URL, data, sig, UploadOptions{Token: tokenBau, Backoff: 10 * time.Millisecond})
	if err != nil || res.Status != "accepted" || calls.Load() != 3 {
		t.Fatalf("%+v %v after %d calls", res, err, calls.Load())
	}
	if countRows(t, testDB{in.db}, "collect_reports") != 1 {
		t.Fatal("not stored")
	}
	// Again: a duplicate counts as delivered.
	if res, err := Upload(context.Background(), real.URL, data, sig, UploadOptions{Token: tokenBau}); err != nil || res.Status != "duplicate" {
		t.Fatalf("replay: %+v %v", res, err)
	}
	// An invalid report is refused at once, without retries.
	calls.Store(10)
	_, err = Upload(context.Background(), flaky.URL, data[:50], sig, UploadOptions{Token: tokenBau, Backoff: time.Hour})
	var ue *UploadError
	if !errors.As(err, &ue) || ue.Status != http.StatusBadRequest || calls.Load() != 11 {
		t.Fatalf("invalid: %v after %d calls", err, calls.Load()-10)
	}
	// Nothing listening: the attempts run out and the error says so.
	start := time.Now()
	_, err = Upload(context.Background(), "http://127.0.0.1:1", data, sig, UploadOptions{Token: tokenBau, Attempts: 3, Backoff: 5 * time.Millisecond})
	if !errors.As(err, &ue) || ue.Status != 0 || time.Since(start) > 10*time.Second {
		t.Fatalf("unreachable: %v", err)
	}
}
