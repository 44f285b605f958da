package webview

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// Options configure the view.
type Options struct {
	// DataDir is KI-Check's data folder (keys, reports, bundles).
	DataDir string
	// DB is the open database with the schemas of report, bench and quiz
	// (the window's, or one `kicheck --accessible` opened).
	DB *store.DB
	// Lang is the first page's language: "de" (default) or "en".
	Lang string
	// Check is the template of the check's options (tests make the probe
	// small); DataDir, DB, Lang and Policy are set by the view.
	Check check.Options
	// Probe sizes the fit page's measurement (zero: the probe's defaults).
	Probe probe.Options
	// RunCheck runs the check; nil means check.Run. Tests wrap check.Run
	// to hold a real check at a step while they look at the page.
	RunCheck func(context.Context, check.Options, check.Progress) (*check.Result, error)
	// Now is the clock of quiz attempts; nil means time.Now.
	Now func() time.Time
}

// Server is a running accessible view.
type Server struct {
	opts      Options
	token     string
	ln        net.Listener
	srv       *http.Server
	host      string // 127.0.0.1:port
	exportDir string
	ctx       context.Context
	cancel    context.CancelFunc
	done      chan struct{}
	work      sync.WaitGroup // running checks and probes

	mu       sync.Mutex
	checks   map[string]*job
	probes   map[string]*job
	attempts map[string]*attempt
	closed   bool
}

// Start listens on 127.0.0.1 (a port the OS picks) and serves the view
// until ctx ends or Close is called.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Lang != "en" {
		opts.Lang = "de"
	}
	if opts.DB == nil {
		return nil, errors.New("accessible view: no database")
	}
	if opts.RunCheck == nil {
		opts.RunCheck = check.Run
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	tok, err := newToken()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("accessible view: listen on 127.0.0.1: %w", err)
	}
	exportDir, err := os.MkdirTemp("", "kicheck-view-")
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("accessible view: folder for exports: %w", err)
	}
	s := &Server{opts: opts, token: tok, ln: ln, host: ln.Addr().String(), exportDir: exportDir,
		done: make(chan struct{}), checks: map[string]*job{}, probes: map[string]*job{}, attempts: map[string]*attempt{}}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10, BaseContext: func(net.Listener) context.Context { return s.ctx }}
	go func() { _ = s.srv.Serve(ln) }()
	go func() {
		<-s.ctx.Done()
		s.shutdown()
	}()
	return s, nil
}

// newToken is 32 random bytes, URL-safe.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("accessible view: token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// URL is the view's start page in the first language, token included.
func (s *Server) URL() string { return "http://" + s.host + "/" + s.token + "/" + s.opts.Lang + "/" }

// Done is closed once the server has stopped.
func (s *Server) Done() <-chan struct{} { return s.done }

// Close stops the server: running checks and probes are cancelled (they
// keep what they measured), and the exported files' temporary folder is
// removed.
func (s *Server) Close() error {
	s.cancel()
	<-s.done
	return nil
}

func (s *Server) shutdown() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	for _, j := range s.checks {
		j.cancel()
	}
	for _, j := range s.probes {
		j.cancel()
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
	s.work.Wait()
	os.RemoveAll(s.exportDir)
	close(s.done)
}

// Handler is the view's whole HTTP handler: host check, token, security
// headers, CSRF, then the pages.
func (s *Server) Handler() http.Handler {
	pages := s.routes()
	cop := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		if !s.hostAllowed(r.Host) {
			http.Error(w, "misdirected request", http.StatusMisdirectedRequest)
			return
		}
		rest, ok := s.stripToken(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, HEAD, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.Method == http.MethodPost {
			if err := cop.Check(r); err != nil {
				http.Error(w, "cross-origin request refused", http.StatusForbidden)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			if !s.tokenEqual(r.PostForm.Get("csrf")) {
				http.Error(w, "the form is not from this view", http.StatusForbidden)
				return
			}
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = rest
		r2.URL.RawPath = ""
		pages.ServeHTTP(w, r2)
	})
}

// maxForm bounds a form's body.
const maxForm = 64 << 10

// hostAllowed: the Host header must be this server's loopback address
// (or localhost) with its port; anything else is a rebinding attempt or a
// misdirected request.
func (s *Server) hostAllowed(host string) bool {
	_, port, _ := net.SplitHostPort(s.host)
	return host == s.host || host == "localhost:"+port
}

// stripToken checks that path begins with /TOKEN/ and returns the rest
// with its leading slash.
func (s *Server) stripToken(path string) (string, bool) {
	p := strings.TrimPrefix(path, "/")
	tok, rest, found := strings.Cut(p, "/")
	if !found || !s.tokenEqual(tok) {
		return "", false
	}
	return "/" + rest, true
}

func (s *Server) tokenEqual(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

// base is the path prefix of pages in lang.
func (s *Server) base(lang string) string { return "/" + s.token + "/" + lang }

// errClosed: the view is stopping.
var errClosed = errors.New("the accessible view is closing")

// URLIn is the view's start page in lang ("de" or "en").
func (s *Server) URLIn(lang string) string {
	if lang != "en" {
		lang = "de"
	}
	return "http://" + s.host + "/" + s.token + "/" + lang + "/"
}
