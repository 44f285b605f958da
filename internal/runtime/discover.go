package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Kinds of runtime discovery can tell apart.
const (
	KindOllama   = "ollama"
	KindLlamaCpp = "llamacpp"
	KindLMStudio = "lmstudio"
	KindLocalAI  = "localai"
	KindVLLM     = "vllm"
	KindJan      = "jan"
	KindGPT4All  = "gpt4all"
	// KindOpenAI is a server that answers the OpenAI API but nothing that
	// tells which software it is.
	KindOpenAI = "openai"
)

var kindNames = map[string]string{
	KindOllama: "Ollama", KindLlamaCpp: "llama.cpp server", KindLMStudio: "LM Studio",
	KindLocalAI: "LocalAI", KindVLLM: "vLLM", KindJan: "Jan", KindGPT4All: "GPT4All",
	KindOpenAI: "OpenAI-compatible server",
}

// Runtime is one runtime found.
type Runtime struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	URL     string `json:"url"`               // base URL, without /v1
	Version string `json:"version,omitempty"` // as the runtime reports it
	// OpenAIURL is the base of its OpenAI-compatible API, where it has one.
	OpenAIURL string `json:"openai_url,omitempty"`
	// IdentifiedBy says how the kind was decided: "answers" (the runtime's
	// own endpoints) or "port" (only generic OpenAI answers; the kind is
	// the usual owner of that port).
	IdentifiedBy string  `json:"identified_by"`
	UserEntered  bool    `json:"user_entered,omitempty"`
	Models       []Model `json:"models"`
}

// Model is a model a runtime offers.
type Model struct {
	ID            string `json:"id"`
	SizeBytes     int64  `json:"size_bytes,omitempty"`
	Family        string `json:"family,omitempty"`
	ParameterSize string `json:"parameter_size,omitempty"`
	Quantization  string `json:"quantization,omitempty"`
	Format        string `json:"format,omitempty"`
	Digest        string `json:"digest,omitempty"`
	ContextLength int    `json:"context_length,omitempty"`
	// Loaded is whether the model is in memory now; absent when the runtime
	// does not tell.
	Loaded *bool `json:"loaded,omitempty"`
	// MemoryBytes is the memory a loaded model takes (Ollama's /api/ps size).
	MemoryBytes int64 `json:"memory_bytes,omitempty"`
}

// Probe is the outcome for one candidate address.
type Probe struct {
	URL         string `json:"url"`
	UserEntered bool   `json:"user_entered,omitempty"`
	Found       string `json:"found,omitempty"` // kind, when a runtime answered
	Error       string `json:"error,omitempty"` // why nothing was found, in English (JSON)
	// Why is Error as a message, rendered in the reader's language by
	// ErrorText; not in the JSON.
	Why i18n.Msg `json:"-"`
}

// ErrorText says why nothing was found at p's address in lang ("" when
// a runtime answered); a Probe read back from JSON has only its English
// Error.
func (p Probe) ErrorText(lang string) string {
	if p.Why.ID != "" {
		return p.Why.Text(lang)
	}
	return i18n.Escape(p.Error)
}

// Result is what Discover found.
type Result struct {
	Runtimes []Runtime     `json:"runtimes"`
	Probes   []Probe       `json:"probes"`
	Duration time.Duration `json:"-"`
}

// Options for Discover.
type Options struct {
	// Endpoints are addresses the user entered ("http://host:port",
	// "host:port", with or without /v1). Only these may be off this PC.
	Endpoints []string
	// NoDefaults skips the default loopback ports (only Endpoints are tried).
	NoDefaults bool
	// Timeout bounds each HTTP request; default 400 ms. Discover as a whole
	// ends after twice this.
	Timeout time.Duration
	// Client is used for the requests; default a client with Timeout.
	Client *http.Client
}

// defaultCandidate is a well-known loopback address and who usually owns it.
type defaultCandidate struct {
	url      string
	portKind string // kind assumed when only generic OpenAI answers come back
}

// Default ports of the runtimes (their documentation's defaults).
var defaultCandidates = []defaultCandidate{
	{"http://127.0.0.1:11434", KindOllama},
	{"http://127.0.0.1:8080", KindLlamaCpp}, // also LocalAI's default
	{"http://127.0.0.1:1234", KindLMStudio},
	{"http://127.0.0.1:8000", KindVLLM},
	{"http://127.0.0.1:1337", KindJan},
	{"http://127.0.0.1:4891", KindGPT4All},
}

// probePaths are the read-only endpoints asked at every candidate.
var probePaths = []string{
	"/api/version", "/api/tags", "/api/ps", // Ollama
	"/health", "/props", // llama.cpp server
	"/api/v0/models",      // LM Studio
	"/readyz", "/version", // LocalAI, vLLM
	"/v1/models", // every OpenAI-compatible server
}

// maxBody bounds what is read from any answer.
const maxBody = 4 << 20

// InputError is a malformed endpoint the user entered.
type InputError struct {
	Endpoint string
	Err      error
	// reason names the message "runtime.endpoint.<reason>".
	reason string
}

// Localize renders the error in lang (i18n.Localizer).
func (e *InputError) Localize(lang string) (msg, hint string) {
	reason := e.reason
	if reason == "" {
		reason = "invalid"
	}
	return i18n.T(lang, "runtime.endpoint."+reason, map[string]any{"Endpoint": e.Endpoint, "Detail": e.Err.Error()}),
		i18n.T(lang, "runtime.endpoint.hint")
}

func (e *InputError) Error() string { return fmt.Sprintf("endpoint %q: %v", e.Endpoint, e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// Hint says what to enter instead.
func (e *InputError) Hint() string {
	return "enter the runtime's address like http://127.0.0.1:11434 (scheme http or https, host and port)"
}

// NormalizeEndpoint turns what a user typed into a base URL: adds http://
// when no scheme is given and drops a trailing /v1 or slash.
func NormalizeEndpoint(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", &InputError{Endpoint: s, Err: errors.New("empty"), reason: "empty"}
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", &InputError{Endpoint: s, Err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", &InputError{Endpoint: s, Err: fmt.Errorf("scheme %q is not http or https", u.Scheme), reason: "scheme"}
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", &InputError{Endpoint: s, Err: errors.New("no host"), reason: "no_host"}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", &InputError{Endpoint: s, Err: errors.New("user info, query and fragment are not allowed"), reason: "extra"}
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/v1")
	u.Path = p
	return strings.TrimRight(u.String(), "/"), nil
}

// IsLoopback reports whether a base URL points at this PC.
func IsLoopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ollamaHostEnv returns the address OLLAMA_HOST points at, if it is on this
// PC: Ollama reads that variable to pick its port.
func ollamaHostEnv() string {
	v := os.Getenv("OLLAMA_HOST")
	if v == "" {
		return ""
	}
	u, err := NormalizeEndpoint(v)
	if err != nil {
		return ""
	}
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	host, port := pu.Hostname(), pu.Port()
	if host == "0.0.0.0" || host == "::" { // listening everywhere includes loopback
		host = "127.0.0.1"
	}
	if port == "" {
		port = "11434"
	}
	pu.Host = net.JoinHostPort(host, port)
	if u = pu.String(); !IsLoopback(u) {
		return ""
	}
	return u
}

type candidate struct {
	url         string
	portKind    string
	userEntered bool
}

// Discover probes the default loopback ports and the user's endpoints in
// parallel and returns the runtimes that answered, in a stable order
// (user-entered first, then by URL).
func Discover(ctx context.Context, opts Options) (Result, error) {
	start := time.Now()
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 400 * time.Millisecond
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: timeout, Transport: &http.Transport{
			Proxy:             nil, // a proxy would send loopback requests elsewhere
			DialContext:       (&net.Dialer{Timeout: timeout}).DialContext,
			DisableKeepAlives: true,
		}}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*timeout)
	defer cancel()

	var cands []candidate
	seen := map[string]bool{}
	for _, e := range opts.Endpoints {
		u, err := NormalizeEndpoint(e)
		if err != nil {
			return Result{}, err
		}
		if !seen[u] {
			seen[u] = true
			cands = append(cands, candidate{url: u, userEntered: true})
		}
	}
	if !opts.NoDefaults {
		if u := ollamaHostEnv(); u != "" && !seen[u] {
			seen[u] = true
			cands = append(cands, candidate{url: u, portKind: KindOllama})
		}
		for _, d := range defaultCandidates {
			if !seen[d.url] {
				seen[d.url] = true
				cands = append(cands, candidate{url: d.url, portKind: d.portKind})
			}
		}
	}

	res := Result{Probes: make([]Probe, len(cands))}
	found := make([]*Runtime, len(cands))
	var wg sync.WaitGroup
	for i, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers := fetchAll(ctx, client, c.url)
			rt, why := identify(c, answers)
			res.Probes[i] = Probe{URL: c.url, UserEntered: c.userEntered}
			if rt != nil {
				found[i] = rt
				res.Probes[i].Found = rt.Kind
			} else {
				res.Probes[i].Error, res.Probes[i].Why = why.Text("en"), why
			}
		}()
	}
	wg.Wait()
	for _, rt := range found {
		if rt != nil {
			res.Runtimes = append(res.Runtimes, *rt)
		}
	}
	sort.SliceStable(res.Runtimes, func(i, j int) bool {
		a, b := res.Runtimes[i], res.Runtimes[j]
		if a.UserEntered != b.UserEntered {
			return a.UserEntered
		}
		return a.URL < b.URL
	})
	res.Duration = time.Since(start)
	return res, nil
}

// answer is the outcome of one GET.
type answer struct {
	status int
	body   []byte
	err    error
}

func (a answer) ok() bool { return a.err == nil && a.status == http.StatusOK }

// json decodes the body when the answer was a 200; false otherwise.
func (a answer) json(v any) bool { return a.ok() && json.Unmarshal(a.body, v) == nil }

func fetchAll(ctx context.Context, client *http.Client, base string) map[string]answer {
	out := make(map[string]answer, len(probePaths))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range probePaths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := fetch(ctx, client, base+p)
			mu.Lock()
			out[p] = a
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func fetch(ctx context.Context, client *http.Client, u string) answer {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return answer{status: resp.StatusCode, body: b, err: err}
}
