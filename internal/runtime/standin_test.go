package runtime

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// standIn is a recorded-answer stand-in for a runtime that cannot be
// installed on the test machine. The answers are reconstructed from each
// project's documentation and source, not captured from a running instance
// (see testdata/standins/README.md).
type standIn struct {
	Runtime string                   `json:"runtime"`
	Answers map[string]standInAnswer `json:"answers"`
	Default standInAnswer            `json:"default"`
	Expect  struct {
		Kind         string `json:"kind"`
		Version      string `json:"version"`
		Models       int    `json:"models"`
		Model        string `json:"model"`
		Loaded       *bool  `json:"loaded"`
		Quantization string `json:"quantization"`
		IdentifiedBy string `json:"identified_by"`
		PortKind     string `json:"port_kind"`
	} `json:"expect"`
}

type standInAnswer struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

func (a standInAnswer) write(w http.ResponseWriter, path string) {
	var s string
	if json.Unmarshal(a.Body, &s) == nil { // a string body is sent as text
		w.WriteHeader(a.Status)
		w.Write([]byte(s))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.Status)
	w.Write([]byte(strings.ReplaceAll(string(a.Body), "/unknown", path)))
}

func loadStandIns(t *testing.T) map[string]standIn {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "standins", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no stand-in answers found: %v", err)
	}
	out := map[string]standIn{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s standIn
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = s
	}
	return out
}

// serveStandIn starts a loopback server replaying s.
func serveStandIn(t *testing.T, s standIn) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("%s: discovery sent %s %s; it must only read", s.Runtime, r.Method, r.URL.Path)
		}
		a, ok := s.Answers[r.URL.Path]
		if !ok {
			a = s.Default
		}
		a.write(w, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// withCandidates replaces the default ports for one test.
func withCandidates(t *testing.T, c []defaultCandidate) {
	old := defaultCandidates
	defaultCandidates = c
	t.Cleanup(func() { defaultCandidates = old })
}

// Each runtime is identified by its answers: every stand-in is served on a
// port whose usual owner is a different runtime (as LocalAI and llama.cpp
// share 8080), and only the generic Jan answer falls back to its port.
func TestIdentifyStandIns(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	for name, s := range loadStandIns(t) {
		t.Run(name, func(t *testing.T) {
			srv := serveStandIn(t, s)
			portKind := s.Expect.PortKind
			if portKind == "" {
				portKind = KindLlamaCpp
				if s.Expect.Kind == KindLlamaCpp {
					portKind = KindLocalAI
				}
			}
			withCandidates(t, []defaultCandidate{{srv.URL, portKind}})
			res, err := Discover(context.Background(), Options{Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Runtimes) != 1 {
				t.Fatalf("found %d runtimes, want 1; probes %+v", len(res.Runtimes), res.Probes)
			}
			rt := res.Runtimes[0]
			wantBy := s.Expect.IdentifiedBy
			if wantBy == "" {
				wantBy = "answers"
			}
			if rt.Kind != s.Expect.Kind || rt.IdentifiedBy != wantBy || rt.Name == "" {
				t.Errorf("identified as %q (%q) by %s, want %q by %s", rt.Kind, rt.Name, rt.IdentifiedBy, s.Expect.Kind, wantBy)
			}
			if rt.Version != s.Expect.Version {
				t.Errorf("version %q, want %q", rt.Version, s.Expect.Version)
			}
			if len(rt.Models) != s.Expect.Models {
				t.Fatalf("%d models, want %d: %+v", len(rt.Models), s.Expect.Models, rt.Models)
			}
			m := rt.Models[0]
			if m.ID != s.Expect.Model {
				t.Errorf("first model %q, want %q", m.ID, s.Expect.Model)
			}
			if s.Expect.Loaded != nil && (m.Loaded == nil || *m.Loaded != *s.Expect.Loaded) {
				t.Errorf("first model loaded = %v, want %v", m.Loaded, *s.Expect.Loaded)
			}
			if m.Quantization != s.Expect.Quantization {
				t.Errorf("quantization %q, want %q", m.Quantization, s.Expect.Quantization)
			}
			if rt.OpenAIURL != srv.URL+"/v1" {
				t.Errorf("OpenAI URL %q, want %q", rt.OpenAIURL, srv.URL+"/v1")
			}
		})
	}
}

// All stand-ins, a web server that is no AI runtime, a port nobody listens
// on and a server that never answers are probed in one parallel pass; the
// silent one cannot hold up the others.
func TestDiscoverMixed(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	var cands []defaultCandidate
	want := map[string]string{}
	for _, s := range loadStandIns(t) {
		srv := serveStandIn(t, s)
		pk := s.Expect.PortKind
		cands = append(cands, defaultCandidate{srv.URL, pk})
		want[srv.URL] = s.Expect.Kind
	}
	web := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(web.Close)
	cands = append(cands, defaultCandidate{web.URL, KindLlamaCpp})

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + closed.Addr().String()
	closed.Close()
	cands = append(cands, defaultCandidate{closedURL, KindOllama})

	hang := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(hang); silent.Close() })
	cands = append(cands, defaultCandidate{silent.URL, KindVLLM})
	withCandidates(t, cands)

	res, err := Discover(context.Background(), Options{Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, rt := range res.Runtimes {
		got[rt.URL] = rt.Kind
	}
	for u, k := range want {
		if got[u] != k {
			t.Errorf("%s: found %q, want %q", u, got[u], k)
		}
	}
	if len(res.Runtimes) != len(want) {
		t.Errorf("found %d runtimes, want %d", len(res.Runtimes), len(want))
	}
	probe := map[string]Probe{}
	for _, p := range res.Probes {
		probe[p.URL] = p
	}
	if p := probe[web.URL]; p.Found != "" || !strings.Contains(p.Error, "no known AI runtime") {
		t.Errorf("plain web server: %+v", p)
	}
	if p := probe[closedURL]; p.Found != "" || p.Error != "nothing listens on this address" {
		t.Errorf("closed port: %+v", p)
	}
	if p := probe[silent.URL]; p.Found != "" || p.Error != "no answer in time" {
		t.Errorf("silent server: %+v", p)
	}
}

func TestNormalizeEndpoint(t *testing.T) {
	good := map[string]string{
		"127.0.0.1:11434":               "http://127.0.0.1:11434",
		"http://localhost:8080/v1/":     "http://localhost:8080",
		"https://ki.example.org/llm/v1": "https://ki.example.org/llm",
		" http://[::1]:1234 ":           "http://[::1]:1234",
	}
	for in, want := range good {
		got, err := NormalizeEndpoint(in)
		if err != nil || got != want {
			t.Errorf("NormalizeEndpoint(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ftp://host:21", "http://", "http://user:pw@host:1", "http://h:1/?q=1", "http://h:1/x#y"} {
		_, err := NormalizeEndpoint(in)
		var ie *InputError
		if err == nil || !errorsAs(err, &ie) || ie.Hint() == "" {
			t.Errorf("NormalizeEndpoint(%q) accepted or gave no hint: %v", in, err)
		}
	}
}

func TestDefaultsStayOnLoopback(t *testing.T) {
	for _, c := range defaultCandidates {
		if !IsLoopback(c.url) {
			t.Errorf("default candidate %s is not on this PC", c.url)
		}
	}
	t.Setenv("OLLAMA_HOST", "0.0.0.0:12345")
	if got := ollamaHostEnv(); got != "http://127.0.0.1:12345" {
		t.Errorf("OLLAMA_HOST 0.0.0.0:12345 -> %q", got)
	}
	t.Setenv("OLLAMA_HOST", "gpu-server.example.org:11434")
	if got := ollamaHostEnv(); got != "" {
		t.Errorf("OLLAMA_HOST on another machine must not be probed without the user entering it, got %q", got)
	}
}

// BenchmarkDiscover measures one discovery pass over the default ports (with
// whatever listens on this machine) plus three stand-ins; the goal is well
// under one second per pass.
func BenchmarkDiscover(b *testing.B) {
	var eps []string
	for _, name := range []string{"llamacpp", "lmstudio", "vllm"} {
		raw, err := os.ReadFile(filepath.Join("testdata", "standins", name+".json"))
		if err != nil {
			b.Fatal(err)
		}
		var s standIn
		if err := json.Unmarshal(raw, &s); err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a, ok := s.Answers[r.URL.Path]
			if !ok {
				a = s.Default
			}
			a.write(w, r.URL.Path)
		}))
		defer srv.Close()
		eps = append(eps, srv.URL)
	}
	for b.Loop() {
		res, err := Discover(context.Background(), Options{Endpoints: eps})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Runtimes) < 3 {
			b.Fatalf("found %d runtimes", len(res.Runtimes))
		}
	}
}
