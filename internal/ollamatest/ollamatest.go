package ollamatest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/runtime"
)

// Environment variables the harness reads.
const (
	EnvBinary  = "KICHECK_OLLAMA"
	EnvRequire = "KICHECK_REQUIRE_OLLAMA"
)

// Server is a running Ollama started by the harness.
type Server struct {
	url     string
	dir     string // HOME and models live here
	cmd     *exec.Cmd
	log     *lockedBuffer
	exited  chan struct{}
	waitErr error
	// Client talks to this server's API.
	Client *runtime.Ollama
}

// URL is the server's base URL, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.url }

// OpenAIURL is the base URL of its OpenAI-compatible API (…/v1).
func (s *Server) OpenAIURL() string { return s.url + "/v1" }

// Log returns what the server has written so far (for failure messages).
func (s *Server) Log() string { return s.log.String() }

// errNoBinary says the tests cannot run here.
var errNoBinary = errors.New(EnvBinary + " is not set: no Ollama to test against; run scripts/ollama.sh and set " + EnvBinary + " to the path it prints")

// Binary returns the Ollama binary to test against, or "" when unset.
func Binary() string { return os.Getenv(EnvBinary) }

// Required reports whether tests must fail (not skip) without Ollama.
func Required() bool { return os.Getenv(EnvRequire) == "1" }

func skipOrFail(t testing.TB, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("%v (%s=1 requires a real Ollama)", err, EnvRequire)
	}
	t.Skip(err)
}

// Start starts a server for this test and stops it in t.Cleanup. It skips
// the test when no Ollama is configured (fails when one is required).
func Start(t testing.TB) *Server { return StartEnv(t) }

// StartEnv is Start with extra environment variables for the server
// ("OLLAMA_NUM_PARALLEL=4", "OLLAMA_MAX_QUEUE=2"); they override the
// harness's defaults.
func StartEnv(t testing.TB, env ...string) *Server {
	t.Helper()
	if Binary() == "" {
		skipOrFail(t, errNoBinary)
	}
	dir := t.TempDir()
	s, err := start(Binary(), dir, env...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("stop ollama: %v", err)
		}
		if t.Failed() {
			t.Logf("ollama log (last lines):\n%s", tail(s.Log(), 40))
		}
	})
	return s
}

var shared struct {
	sync.Mutex
	inMain  bool
	started bool
	srv     *Server
	err     error
	dir     string
}

// RunShared runs the package's tests with one server shared by every test
// that calls Shared; it is started at the first such call and stopped when
// the tests end. Use it as os.Exit(ollamatest.RunShared(m)) in TestMain.
func RunShared(m *testing.M) int {
	shared.Lock()
	shared.inMain = true
	shared.Unlock()
	code := m.Run()
	shared.Lock()
	defer shared.Unlock()
	if shared.srv != nil {
		if err := shared.srv.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "ollamatest: stop shared ollama: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		if code != 0 {
			fmt.Fprintf(os.Stderr, "ollamatest: shared ollama log (last lines):\n%s\n", tail(shared.srv.Log(), 40))
		}
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	return code
}

// Shared returns the package's shared server (see RunShared), starting it
// on first use. It skips the test when no Ollama is configured (fails when
// one is required).
func Shared(t testing.TB) *Server {
	t.Helper()
	if Binary() == "" {
		skipOrFail(t, errNoBinary)
	}
	shared.Lock()
	defer shared.Unlock()
	if !shared.inMain {
		t.Fatal("ollamatest.Shared needs TestMain to call ollamatest.RunShared(m)")
	}
	if !shared.started {
		shared.started = true
		shared.dir, shared.err = os.MkdirTemp("", "kicheck-ollama-")
		if shared.err == nil {
			shared.srv, shared.err = start(Binary(), shared.dir)
		}
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	select {
	case <-shared.srv.exited:
		t.Fatalf("the shared ollama has exited (%v); log:\n%s", shared.srv.waitErr, tail(shared.srv.Log(), 40))
	default:
	}
	return shared.srv
}

// start launches the binary with its state in dir and waits until it answers.
func start(bin, dir string, env ...string) (*Server, error) {
	var lastErr error
	for range 3 { // the free port may be taken between probe and bind
		s, err := startOnce(bin, dir, env...)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func startOnce(bin, dir string, env ...string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("ollamatest: find a free port: %w", err)
	}
	host := "127.0.0.1:" + strconv.Itoa(port)
	models := filepath.Join(dir, "models")
	home := filepath.Join(dir, "home")
	for _, d := range []string{models, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("ollamatest: %w", err)
		}
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"OLLAMA_HOST="+host,
		"OLLAMA_MODELS="+models,
		"HOME="+home, // Ollama keeps its key pair in ~/.ollama
		"OLLAMA_NOPRUNE=1",
		"OLLAMA_NUM_PARALLEL=1", // one sequence at a time, as a benchmark wants
	)
	cmd.Env = append(cmd.Env, env...) // os/exec keeps the last value of a key
	log := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ollamatest: start %s: %w", bin, err)
	}
	s := &Server{url: "http://" + host, dir: dir, cmd: cmd, log: log, exited: make(chan struct{})}
	s.Client = &runtime.Ollama{BaseURL: s.url}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := s.Client.Version(ctx)
		cancel()
		if err == nil {
			return s, nil
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("ollamatest: %s exited before answering (%v); log:\n%s", bin, s.waitErr, tail(log.String(), 30))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("ollamatest: %s did not answer on %s within 60 s; log:\n%s", bin, host, tail(log.String(), 30))
		}
	}
}

// stop ends the server and its runner processes.
func (s *Server) stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	interrupt(s.cmd)
	select {
	case <-s.exited:
		kill(s.cmd) // runners that outlived the server, if any
		return nil
	case <-time.After(10 * time.Second):
	}
	kill(s.cmd)
	<-s.exited
	return errors.New("ollama did not stop within 10 s of an interrupt and was killed")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// CreateModel creates model name from a GGUF file on this server.
func (s *Server) CreateModel(t testing.TB, name, ggufPath string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := s.Client.CreateFromGGUF(ctx, name, ggufPath, "", nil); err != nil {
		t.Fatalf("create model %s from %s: %v", name, ggufPath, err)
	}
}

// TinyShape is a synthetic model that loads and generates in well under a
// second on any CPU (about 0.5 MB at Q8_0).
var TinyShape = gguf.Shape{Layers: 2, Hidden: 64, Heads: 4, KVHeads: 2, FFN: 128, Vocab: gguf.MinVocab, Context: 2048}

// CreateSynthetic writes a synthetic model of the given shape and recipe to
// a temp folder and creates it on this server as name.
func (s *Server) CreateSynthetic(t testing.TB, name string, shape gguf.Shape, quant gguf.Quant) *gguf.Layout {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".gguf")
	l, err := gguf.WriteFile(context.Background(), path, gguf.Spec{Name: name, Shape: shape, Quant: quant, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.CreateModel(t, name, path)
	return l
}

// Get fetches path from the server and fails the test on a transport error.
func (s *Server) Get(t testing.TB, path string) *http.Response {
	t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 8<<20 { // keep memory bounded on chatty runs
		rest := l.b.Bytes()[l.b.Len()-(1<<20):]
		l.b = *bytes.NewBuffer(append([]byte("…\n"), rest...))
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func tail(s string, lines int) string {
	parts := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}
