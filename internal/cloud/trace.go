package cloud

import (
	"context"
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// Trace measures the network part of one request (the time that is not
// the model's): DNS, TCP connect, TLS handshake and the time until the
// response headers arrive, plus the rate-limit retries. Attach it with
// WithTrace to the context given to the OpenAI client.
type Trace struct {
	mu        sync.Mutex
	start     time.Time
	dnsStart  time.Time
	dns       time.Duration
	connStart time.Time
	connect   time.Duration
	tlsStart  time.Time
	tls       time.Duration
	dialed    bool // a new connection was made for this request (any attempt)
	headers   time.Duration
	retries   []RetryEvent
}

// NetworkTiming is what a Trace measured, in milliseconds (JSON-ready).
type NetworkTiming struct {
	DNSMs     float64 `json:"dns_ms"`
	ConnectMs float64 `json:"connect_ms"` // TCP (through the proxy, if any)
	TLSMs     float64 `json:"tls_ms"`
	// HeadersMs is from sending the request to the response headers: for a
	// streamed completion it includes the provider's queueing and its time
	// to first token, so it is not pure network time.
	HeadersMs  float64 `json:"headers_ms"`
	ReusedConn bool    `json:"reused_conn"` // no DNS/TCP/TLS: a kept-alive connection
	Retries    int     `json:"retries"`
}

// WithTrace returns a context that makes the cloud client record timings
// into the returned Trace.
func WithTrace(ctx context.Context) (context.Context, *Trace) {
	t := &Trace{start: time.Now()}
	return context.WithValue(ctx, contextKey{}, t), t
}

// attach adds an httptrace.ClientTrace for one attempt.
func (t *Trace) attach(ctx context.Context) context.Context {
	t.mu.Lock()
	t.start = time.Now() // the last attempt counts
	t.mu.Unlock()
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { t.mu.Lock(); t.dnsStart = time.Now(); t.mu.Unlock() },
		DNSDone: func(httptrace.DNSDoneInfo) {
			t.mu.Lock()
			t.dns = time.Since(t.dnsStart)
			t.mu.Unlock()
		},
		ConnectStart: func(string, string) { t.mu.Lock(); t.connStart = time.Now(); t.dialed = true; t.mu.Unlock() },
		ConnectDone: func(string, string, error) {
			t.mu.Lock()
			t.connect = time.Since(t.connStart)
			t.mu.Unlock()
		},
		TLSHandshakeStart: func() { t.mu.Lock(); t.tlsStart = time.Now(); t.mu.Unlock() },
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			t.mu.Lock()
			t.tls = time.Since(t.tlsStart)
			t.mu.Unlock()
		},
	})
}

func (t *Trace) headersAt(now time.Time) {
	t.mu.Lock()
	t.headers = now.Sub(t.start)
	t.mu.Unlock()
}

func (t *Trace) addRetry(ev RetryEvent) {
	t.mu.Lock()
	t.retries = append(t.retries, ev)
	t.mu.Unlock()
}

// Timing returns what was measured so far.
func (t *Trace) Timing() NetworkTiming {
	t.mu.Lock()
	defer t.mu.Unlock()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return NetworkTiming{DNSMs: ms(t.dns), ConnectMs: ms(t.connect), TLSMs: ms(t.tls), HeadersMs: ms(t.headers),
		ReusedConn: !t.dialed, Retries: len(t.retries)}
}

// Retries returns the rate-limit retries of this request.
func (t *Trace) Retries() []RetryEvent {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]RetryEvent(nil), t.retries...)
}
