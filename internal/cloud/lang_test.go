package cloud_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/cloud"
)

// TestErrorsInEnglish: with ClientOptions.Lang "en" the errors a person
// reads come in English, from real loopback servers (HTTP 401 and 429,
// TLS with an unknown CA) and a proxy that is not there; without Lang they
// stay German, and Localize turns a German error into English.
func TestErrorsInEnglish(t *testing.T) {
	status := 401
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
	}))
	defer srv.Close()
	get := func(ep cloud.Endpoint, url string, lang string) *cloud.Error {
		t.Helper()
		hc, err := cloud.HTTPClient(ep, cloud.ClientOptions{Lang: lang, Retry: cloud.RetryPolicy{MaxAttempts: 1}})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("GET %s: no error", url)
		}
		var ce *cloud.Error
		if !errors.As(err, &ce) {
			t.Fatalf("GET %s: %v is no *cloud.Error", url, err)
		}
		return ce
	}
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: srv.URL + "/v1", Model: "m"}

	de := get(ep, srv.URL+"/v1/models", "")
	if de.Message != "Zugang abgelehnt (401)" || !strings.Contains(de.Hint(), "API-Schlüssel") {
		t.Errorf("German default: %q / %q", de.Message, de.Hint())
	}
	en := get(ep, srv.URL+"/v1/models", "en")
	if en.Message != "Access denied (401)" || !strings.Contains(en.Hint(), "The API key for "+ep.Host()+" is wrong") || !errors.Is(en, cloud.ErrUnauthorized) {
		t.Errorf("English 401: %q / %q", en.Message, en.Hint())
	}
	if l := de.Localize("en"); l.Message != en.Message || l.Hint() != en.Hint() || de.Message != "Zugang abgelehnt (401)" {
		t.Errorf("Localize(en): %q / %q (original now %q)", l.Message, l.Hint(), de.Message)
	}

	status = 429
	if en := get(ep, srv.URL+"/v1/models", "en"); en.Message != "The provider's rate limit was reached (429)" || !strings.Contains(en.Hint(), "Wait a few minutes") {
		t.Errorf("English 429: %q / %q", en.Message, en.Hint())
	}

	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler()) // its CA is in no pool
	defer tlsSrv.Close()
	tep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: tlsSrv.URL + "/v1", Model: "m"}
	if en := get(tep, tlsSrv.URL+"/v1/models", "en"); en.Message != "TLS certificate not trusted: unknown certificate authority (CA)" ||
		!strings.Contains(en.Hint(), "choose your IT's CA file") || !errors.Is(en, cloud.ErrCertificate) {
		t.Errorf("English unknown CA: %q / %q", en.Message, en.Hint())
	}

	// A proxy on a port where nothing listens (the listener is closed
	// again); loopback targets bypass the proxy, so the target is remote
	// and never reached.
	gone := httptest.NewServer(http.NotFoundHandler())
	proxyURL := gone.URL
	gone.Close()
	pep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: "https://api.example.invalid/v1", Model: "m", ProxyURL: proxyURL}
	if en := get(pep, "https://api.example.invalid/v1/models", "en"); en.Message != "Proxy not reachable" || !errors.Is(en, cloud.ErrProxy) {
		t.Errorf("English proxy error: %q / %q", en.Message, en.Hint())
	}

	// A bad CA file is refused in English before any connection.
	_, err := cloud.HTTPClient(cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: srv.URL, Model: "m", CAFile: "/nonexistent/ca.pem"}, cloud.ClientOptions{Lang: "en"})
	var ce *cloud.Error
	if !errors.As(err, &ce) || ce.Message != "CA file /nonexistent/ca.pem cannot be read" || ce.Field != "ca_file" {
		t.Errorf("English CA file error: %v", err)
	}
}
