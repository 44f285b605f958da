package cloud

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// RetryPolicy says how a rate-limited (429) request is repeated.
type RetryPolicy struct {
	MaxAttempts int           // including the first; 4 by default
	BaseDelay   time.Duration // first wait; doubles each time; 1 s by default
	MaxDelay    time.Duration // cap per wait, also for Retry-After; 30 s by default
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = time.Second
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	return p
}

// RetryEvent reports one rate-limited attempt that will be repeated.
type RetryEvent struct {
	Host    string
	Status  int
	Attempt int // the attempt that was refused, 1-based
	Of      int // MaxAttempts
	Wait    time.Duration
}

// String is the German text for the progress line and the log.
func (r RetryEvent) String() string { return r.Text(i18n.Default) }

// Text is the progress line in lang ("de", "en").
func (r RetryEvent) Text(lang string) string {
	return i18n.T(lang, "cloud.retry", map[string]any{"Host": r.Host, "Status": r.Status, "Attempt": r.Attempt + 1, "Of": r.Of,
		"Wait": r.Wait.Round(time.Millisecond).String()})
}

// ClientOptions tune HTTPClient beyond what the endpoint says.
type ClientOptions struct {
	// Lang is the language of the *Error texts ("de", "en"); empty is German.
	Lang    string
	Retry   RetryPolicy
	OnRetry func(RetryEvent) // called before each wait; may be nil
	// Timeout for the whole request including the streamed answer; 0 means
	// none (the caller's context decides).
	Timeout time.Duration
	// OnTiming receives the network timing of every request once its
	// response headers arrived (in request order); may be nil.
	OnTiming func(NetworkTiming)
	// systemProxy replaces the platform's proxy lookup in tests.
	systemProxy func(*http.Request) (*url.URL, error)
}

// HTTPClient builds the client for the endpoint: system or explicit proxy,
// system CA pool plus the endpoint's CA file, TLS 1.2 or newer with full
// verification (there is no way to switch it off), 429 retried with
// backoff, and HTTP error statuses turned into *Error with a message in
// opts.Lang (German by default).
func HTTPClient(ep Endpoint, opts ClientOptions) (*http.Client, error) {
	pool, err := certPool(opts.Lang, ep.CAFile)
	if err != nil {
		return nil, err
	}
	proxy := opts.systemProxy
	if proxy == nil {
		proxy = systemProxy
	}
	if ep.ProxyURL != "" {
		pu, err := url.Parse(ep.ProxyURL)
		if err != nil || pu.Host == "" {
			return nil, Localized(fieldError("proxy_url", "proxy_url", map[string]any{"URL": fmt.Sprintf("%q", ep.ProxyURL)}), opts.Lang)
		}
		proxy = func(r *http.Request) (*url.URL, error) {
			if IsLoopbackHost(r.URL.Hostname()) {
				return nil, nil // never send this PC's own services through a proxy
			}
			return pu, nil
		}
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.Proxy = proxy
	base.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	base.ForceAttemptHTTP2 = true
	rt := &transport{lang: opts.Lang, base: base, host: ep.Host(), caFile: ep.CAFile, retry: opts.Retry.withDefaults(), onRetry: opts.OnRetry, onTiming: opts.OnTiming}
	if ep.IsAzure() {
		rt.azure = &azureTarget{deployment: ep.AzureDeployment, apiVersion: ep.AzureAPIVersion}
		if rt.azure.apiVersion == "" {
			rt.azure.apiVersion = DefaultAzureAPIVersion
		}
	}
	return &http.Client{Transport: rt, Timeout: opts.Timeout}, nil
}

// certPool returns the system pool with caFile's certificates added.
func certPool(lang, caFile string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool() // Windows before Go 1.18 and odd systems
	}
	if caFile == "" {
		return pool, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		e := newError(lang, ErrInvalidField, "cloud.error.ca_file_unreadable", map[string]any{"CAFile": caFile}, err)
		e.Field = "ca_file"
		return nil, e
	}
	if !pool.AppendCertsFromPEM(pem) {
		e := newError(lang, ErrInvalidField, "cloud.error.ca_file_not_pem", map[string]any{"CAFile": caFile}, nil)
		e.Field = "ca_file"
		return nil, e
	}
	return pool, nil
}

// transport adds retry, trace and German errors around an http.Transport.
type transport struct {
	lang     string
	base     *http.Transport
	host     string
	caFile   string
	retry    RetryPolicy
	onRetry  func(RetryEvent)
	onTiming func(NetworkTiming)
	azure    *azureTarget
}

// azureTarget rewrites plain OpenAI paths (…/v1/chat/completions, as the
// benchmark runner sends them) into Azure's form
// /openai/deployments/DEPLOYMENT/chat/completions?api-version=… with the
// key in the "api-key" header. Requests already in Azure form (go-openai's
// Azure config) pass unchanged.
type azureTarget struct{ deployment, apiVersion string }

func (a *azureTarget) rewrite(req *http.Request) *http.Request {
	path := req.URL.Path
	i := strings.LastIndex(path, "/v1/")
	if i < 0 || strings.Contains(path, "/openai/") {
		return req
	}
	r := req.Clone(req.Context())
	r.URL.Path = path[:i] + "/openai/deployments/" + a.deployment + "/" + path[i+len("/v1/"):]
	r.URL.RawPath = ""
	q := r.URL.Query()
	q.Set("api-version", a.apiVersion)
	r.URL.RawQuery = q.Encode()
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		r.Header.Del("Authorization")
		r.Header.Set("api-key", strings.TrimPrefix(auth, "Bearer "))
	}
	return r
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.azure != nil {
		req = t.azure.rewrite(req)
	}
	tr := traceFrom(req.Context())
	if tr == nil && t.onTiming != nil {
		_, tr = WithTrace(req.Context())
	}
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			if req.Body != nil && req.GetBody == nil {
				return nil, statusError(t.lang, t.host, http.StatusTooManyRequests, "")
			}
			r = req.Clone(req.Context())
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		if tr != nil {
			r = r.WithContext(tr.attach(r.Context()))
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			return nil, classifyTransport(t.lang, t.host, t.caFile, err)
		}
		if tr != nil {
			tr.headersAt(time.Now())
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt < t.retry.MaxAttempts {
			wait := t.backoff(attempt, resp.Header.Get("Retry-After"))
			drain(resp)
			ev := RetryEvent{Host: t.host, Status: resp.StatusCode, Attempt: attempt, Of: t.retry.MaxAttempts, Wait: wait}
			if tr != nil {
				tr.addRetry(ev)
			}
			if t.onRetry != nil {
				t.onRetry(ev)
			}
			timer := time.NewTimer(wait)
			select {
			case <-req.Context().Done():
				timer.Stop()
				return nil, req.Context().Err()
			case <-timer.C:
			}
			continue
		}
		if tr != nil && t.onTiming != nil {
			t.onTiming(tr.Timing())
		}
		if resp.StatusCode >= 400 {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
			drain(resp)
			// Never the body verbatim: an echoing server reflects the key.
			return nil, statusError(t.lang, t.host, resp.StatusCode, Excerpt(b, secretsOf(r)...))
		}
		return resp, nil
	}
}

// backoff doubles BaseDelay per attempt; a Retry-After in seconds from the
// provider wins when it is longer. Both are capped at MaxDelay.
func (t *transport) backoff(attempt int, retryAfter string) time.Duration {
	d := t.retry.BaseDelay << (attempt - 1)
	if s, err := strconv.Atoi(retryAfter); err == nil && time.Duration(s)*time.Second > d {
		d = time.Duration(s) * time.Second
	}
	return min(d, t.retry.MaxDelay)
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// IsRetryable reports whether err is a rate limit that remained after all
// retries (the caller may wait longer and try again).
func IsRetryable(err error) bool { return errors.Is(err, ErrRateLimited) }

// CloseIdle releases the client's idle connections.
func CloseIdle(c *http.Client) {
	if t, ok := c.Transport.(*transport); ok {
		t.base.CloseIdleConnections()
	}
}

// contextKey keys the trace in a request's context.
type contextKey struct{}

func traceFrom(ctx context.Context) *Trace {
	t, _ := ctx.Value(contextKey{}).(*Trace)
	return t
}
