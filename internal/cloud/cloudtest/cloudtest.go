// Package cloudtest gives tests a real HTTPS "cloud" on loopback: a
// TLS-terminating reverse proxy with a certificate from a CA made in the
// test, which checks a bearer token and forwards to a real
// OpenAI-compatible server (Ollama's /v1 from internal/ollamatest), and a
// real CONNECT proxy for the explicit-proxy setting. The only fake part is
// fault injection: Inject429 makes the TLS proxy answer 429 itself for the
// next n requests, to test retry and reporting.
package cloudtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// CA is a certificate authority made for one test.
type CA struct {
	Cert     *x509.Certificate
	key      *ecdsa.PrivateKey
	CertFile string // PEM file, for the endpoint's CA-file setting
}

// NewCA makes a self-signed CA and writes its certificate to a temp file.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"KI-Check Test"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	file := filepath.Join(t.TempDir(), strings.ReplaceAll(name, " ", "-")+".pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &CA{Cert: cert, key: key, CertFile: file}
}

// CloudHost is a name that does not resolve anywhere: the CONNECT proxy
// maps it to 127.0.0.1, as a real proxy resolves names for its clients.
// Endpoints under this name are not loopback for KI-Check, so consent and
// proxy handling are exercised as for a real provider.
const CloudHost = "cloud.kicheck.test"

// ServerCert issues a certificate for localhost, 127.0.0.1 and CloudHost.
func (ca *CA) ServerCert(t testing.TB) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano() + 1),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost", CloudHost},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key}
}

// TLSProxy is the stand-in cloud: HTTPS with bearer-token auth in front of
// a real OpenAI-compatible backend.
type TLSProxy struct {
	// URL is the OpenAI base URL clients use (https://127.0.0.1:PORT/v1).
	URL string
	// CloudURL is the same under CloudHost: reachable only through a
	// ConnectProxy.
	CloudURL string
	// Addr is host:port.
	Addr string

	Key         string
	inject429   atomic.Int64
	Requests    atomic.Int64 // requests that reached the backend
	Rejected401 atomic.Int64
	Injected429 atomic.Int64
	mu          sync.Mutex
	authHeaders []string // every Authorization header seen (to check the key went only here)
	listener    net.Listener
	srv         *http.Server
}

// StartTLSProxy serves HTTPS on a free loopback port with a certificate
// from ca, accepts only "Authorization: Bearer key" (or Azure's "api-key:
// key") and forwards to backend (e.g. http://127.0.0.1:11434/v1). It is
// stopped in t.Cleanup.
func StartTLSProxy(t testing.TB, ca *CA, backend, key string) *TLSProxy {
	t.Helper()
	target, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	p := &TLSProxy{Key: key}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(&url.URL{Scheme: target.Scheme, Host: target.Host})
			// /v1/... on the proxy is /v1/... on the backend.
			r.Out.URL.Path = strings.TrimSuffix(target.Path, "/v1") + r.In.URL.Path
			r.Out.Header.Del("Authorization") // the backend must not see the key
			r.Out.Header.Del("api-key")
		},
		FlushInterval: -1, // stream server-sent events as they come
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if auth == "" && r.Header.Get("api-key") != "" {
			auth = "api-key " + r.Header.Get("api-key")
		}
		p.mu.Lock()
		p.authHeaders = append(p.authHeaders, auth)
		p.mu.Unlock()
		if auth != "Bearer "+p.Key && auth != "api-key "+p.Key {
			p.Rejected401.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`)
			return
		}
		// Fault injection (not a real provider): a rate limit.
		if p.inject429.Load() > 0 && p.inject429.Add(-1) >= 0 {
			p.Injected429.Add(1)
			w.Header().Set("Retry-After", "0")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`)
			return
		}
		p.Requests.Add(1)
		rp.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cert := ca.ServerCert(t)
	p.listener = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}})
	p.srv = &http.Server{Handler: handler, ErrorLog: nil}
	go p.srv.Serve(p.listener)
	p.Addr = ln.Addr().String()
	p.URL = "https://" + p.Addr + "/v1"
	_, port, _ := net.SplitHostPort(p.Addr)
	p.CloudURL = "https://" + CloudHost + ":" + port + "/v1"
	t.Cleanup(func() { p.srv.Close() })
	return p
}

// Inject429 makes the proxy answer the next n authorised requests with
// 429 Too Many Requests (Retry-After: 0) instead of forwarding them.
func (p *TLSProxy) Inject429(n int) { p.inject429.Store(int64(n)) }

// AuthHeaders returns every Authorization value the proxy received.
func (p *TLSProxy) AuthHeaders() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.authHeaders...)
}

// ConnectProxy is a plain HTTP proxy that supports CONNECT tunnels, like a
// municipal web proxy without TLS inspection.
type ConnectProxy struct {
	URL      string // http://127.0.0.1:PORT
	Connects atomic.Int64
	mu       sync.Mutex
	targets  []string
}

// StartConnectProxy starts the proxy; it is stopped in t.Cleanup.
func StartConnectProxy(t testing.TB) *ConnectProxy {
	t.Helper()
	p := &ConnectProxy{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "only CONNECT", http.StatusMethodNotAllowed)
			return
		}
		p.Connects.Add(1)
		p.mu.Lock()
		p.targets = append(p.targets, r.Host)
		p.mu.Unlock()
		target := r.Host
		if h, port, err := net.SplitHostPort(target); err == nil && h == CloudHost {
			target = net.JoinHostPort("127.0.0.1", port)
		}
		upstream, err := net.DialTimeout("tcp", target, 5*time.Second)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		hj, ok := w.(http.Hijacker)
		if !ok {
			upstream.Close()
			http.Error(w, "no hijack", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
		client, buf, err := hj.Hijack()
		if err != nil {
			upstream.Close()
			return
		}
		if n := buf.Reader.Buffered(); n > 0 {
			b, _ := buf.Reader.Peek(n)
			upstream.Write(b)
		}
		go func() { io.Copy(upstream, client); upstream.Close() }()
		go func() { io.Copy(client, upstream); client.Close() }()
	})}
	go srv.Serve(ln)
	p.URL = "http://" + ln.Addr().String()
	t.Cleanup(func() { srv.Close() })
	return p
}

// Targets returns the host:port of every tunnel opened.
func (p *ConnectProxy) Targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets...)
}
