package webview

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// Without the token, with a wrong one, or with a foreign Host header the
// view answers nothing of its own; forms need the token and the same
// origin; no CORS header is ever sent.
func TestTokenHostAndCSRF(t *testing.T) {
	e := newEnv(t, nil)
	base := "http://" + e.srv.host
	do := func(method, u, host string, form url.Values, hdr map[string]string) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, u, body)
		if err != nil {
			t.Fatal(err)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if host != "" {
			req.Host = host
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	tok := e.srv.token
	wrong := strings.Repeat("A", len(tok))
	cases := []struct {
		name, method, url, host string
		form                    url.Values
		hdr                     map[string]string
		want                    int
	}{
		{"start page", "GET", e.srv.URL(), "", nil, nil, 200},
		{"localhost with port", "GET", e.srv.URL(), "localhost:" + e.srv.host[strings.LastIndex(e.srv.host, ":")+1:], nil, nil, 200},
		{"no token", "GET", base + "/", "", nil, nil, 404},
		{"no token, a page", "GET", base + "/de/check", "", nil, nil, 404},
		{"wrong token", "GET", base + "/" + wrong + "/de/", "", nil, nil, 404},
		{"token prefix", "GET", base + "/" + tok[:20] + "/de/", "", nil, nil, 404},
		{"rebinding host", "GET", e.srv.URL(), "evil.example:" + e.srv.host[strings.LastIndex(e.srv.host, ":")+1:], nil, nil, 421},
		{"host without port", "GET", e.srv.URL(), "127.0.0.1", nil, nil, 421},
		{"unknown language", "GET", base + "/" + tok + "/fr/", "", nil, nil, 404},
		{"form without csrf", "POST", base + "/" + tok + "/de/check", "", url.Values{"x": {"1"}}, nil, 403},
		{"form with wrong csrf", "POST", base + "/" + tok + "/de/check", "", url.Values{"csrf": {wrong}}, nil, 403},
		{"cross-site form", "POST", base + "/" + tok + "/de/check", "", url.Values{"csrf": {tok}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"foreign origin", "POST", base + "/" + tok + "/de/quiz", "", url.Values{"csrf": {tok}}, map[string]string{"Origin": "http://evil.example"}, 403},
		{"method", "PUT", e.srv.URL(), "", nil, nil, 405},
	}
	for _, c := range cases {
		resp, body := do(c.method, c.url, c.host, c.form, c.hdr)
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d\n%.300s", c.name, resp.StatusCode, c.want, body)
		}
		if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("%s: CORS header %q", c.name, v)
		}
		if c.want != 200 && strings.Contains(body, tok) {
			t.Errorf("%s: the refusal shows the token", c.name)
		}
	}
	resp, body := do("GET", e.srv.URL(), "", nil, nil)
	for k, want := range map[string]string{"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "X-Frame-Options": "DENY"} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if c := resp.Header.Get("Content-Security-Policy"); !strings.Contains(c, "default-src 'none'") || strings.Contains(c, "script-src") || strings.Contains(c, "unsafe") {
		t.Errorf("CSP %q", c)
	}
	if !strings.Contains(body, `name="csrf"`) && !strings.Contains(body, "<h1>") {
		t.Errorf("start page: %.300s", body)
	}
	// A same-origin form with the token passes (the quiz form answers
	// with its validation, not a refusal).
	resp, _ = do("POST", base+"/"+tok+"/de/quiz", "", url.Values{"csrf": {tok}}, map[string]string{"Origin": base, "Sec-Fetch-Site": "same-origin"})
	if resp.StatusCode == 403 {
		t.Errorf("same-origin form refused")
	}
	if !strings.HasPrefix(e.srv.host, "127.0.0.1:") {
		t.Errorf("listens on %s", e.srv.host)
	}
}

// The token is 32 random bytes and differs per start.
func TestTokenIsRandomPerStart(t *testing.T) {
	a, b := newEnv(t, nil), newEnv(t, nil)
	if len(a.srv.token) < 43 || a.srv.token == b.srv.token {
		t.Errorf("tokens %q and %q", a.srv.token, b.srv.token)
	}
}

// Close stops serving and removes the exports' folder; a cancelled
// context does the same.
func TestStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	e := newEnv(t, nil)
	srv, err := Start(ctx, Options{DataDir: e.dataDir, DB: e.db})
	if err != nil {
		t.Fatal(err)
	}
	dir := srv.exportDir
	cancel()
	<-srv.Done()
	if _, err := http.Get(srv.URL()); err == nil {
		t.Error("still serving after the context ended")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("exports folder left: %v", err)
	}
}

func TestOpener(t *testing.T) {
	for goos, want := range map[string]string{"windows": "rundll32 url.dll,FileProtocolHandler", "darwin": "open", "linux": "xdg-open", "freebsd": "xdg-open"} {
		name, args := opener(goos)
		if got := strings.TrimSpace(name + " " + strings.Join(args, " ")); got != want {
			t.Errorf("%s: %q, want %q", goos, got, want)
		}
	}
	if err := OpenBrowser("http://evil.example/"); err == nil {
		t.Error("OpenBrowser opened a foreign address")
	}
}
