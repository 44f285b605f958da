package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/ki-reise/kicheck/internal/runtime"
)

// Runtime names as stored with a run: internal/runtime's kinds.
const (
	RuntimeOllama   = runtime.KindOllama
	RuntimeLlamaCpp = runtime.KindLlamaCpp
	RuntimeLMStudio = runtime.KindLMStudio
	RuntimeGeneric  = runtime.KindOpenAI
)

// Protocols the runner speaks.
const (
	// ProtocolOpenAI streams /v1/chat/completions through go-openai and
	// reads the runtime's own figures from the same stream where it sends
	// them (llama.cpp's "timings", LM Studio's "stats").
	ProtocolOpenAI = "openai"
	// ProtocolOllama streams Ollama's native /api/chat, whose last chunk
	// carries load_duration, prompt_eval_* and eval_*: client-side and
	// runtime figures then come from the same generation.
	ProtocolOllama = "ollama"
)

// Endpoint is where the runner sends prompts. Everything a cloud endpoint
// needs is here (issue 4): the API key travels only in the Authorization
// header and is never stored; HTTPClient carries the proxy and the custom
// CA (TLS verification is never switched off here).
type Endpoint struct {
	URL            string // runtime base URL, e.g. http://127.0.0.1:11434 (a trailing /v1 is accepted)
	Runtime        string // RuntimeOllama, …; "" = RuntimeGeneric
	RuntimeVersion string
	APIKey         string       // bearer token, optional
	HTTPClient     *http.Client // nil: a client honouring the system proxy
}

// root returns the URL without a trailing slash or /v1.
func (e Endpoint) root() string {
	u := strings.TrimRight(e.URL, "/")
	return strings.TrimSuffix(u, "/v1")
}

// openAIBase is the base URL for go-openai.
func (e Endpoint) openAIBase() string {
	if e.Runtime == RuntimeLMStudio {
		// LM Studio's /api/v0 is OpenAI-shaped and adds "stats".
		return e.root() + "/api/v0"
	}
	return e.root() + "/v1"
}

func (e Endpoint) runtimeName() string {
	if e.Runtime == "" {
		return RuntimeGeneric
	}
	return e.Runtime
}

// IsRemote reports whether prompts sent here leave the PC: anything but a
// loopback address or "localhost".
func (e Endpoint) IsRemote() bool {
	u, err := url.Parse(e.URL)
	if err != nil || u.Host == "" {
		return true
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// Redacted returns the URL without user info or query (which may carry
// secrets), for storing and printing.
func (e Endpoint) Redacted() string {
	u, err := url.Parse(e.URL)
	if err != nil {
		return "(invalid URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

func (e Endpoint) httpClient() *http.Client {
	if e.HTTPClient != nil {
		return e.HTTPClient
	}
	return &http.Client{Transport: http.DefaultTransport}
}

// ValidateURL checks an endpoint URL typed by a person.
func ValidateURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return &RunError{Kind: KindBadEndpoint, Err: fmt.Errorf("endpoint %q is not an http(s) URL", raw)}
	}
	return nil
}

// zeroTemperatureDoer sends temperature 0 explicitly. go-openai drops a
// zero temperature (omitempty), and runtimes then use their default (0.8
// in Ollama), which makes answers random and runs incomparable.
type zeroTemperatureDoer struct{ next *http.Client }

func (d zeroTemperatureDoer) Do(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && req.Body != nil && strings.HasSuffix(req.URL.Path, "/chat/completions") {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(body, &m) == nil {
			if _, ok := m["temperature"]; !ok {
				m["temperature"] = json.RawMessage("0")
				if b, err := json.Marshal(m); err == nil {
					body = b
				}
			}
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return d.next.Do(req)
}

// FromRuntime builds the endpoint and model of a run from what discovery
// found. A model the runtime does not list is refused before anything is
// sent, with the models it does have in the hint.
func FromRuntime(rt runtime.Runtime, model string) (Endpoint, ModelInfo, error) {
	ep := Endpoint{URL: rt.URL, Runtime: rt.Kind, RuntimeVersion: rt.Version}
	var names []string
	for _, m := range rt.Models {
		names = append(names, m.ID)
		if m.ID == model || m.ID == model+":latest" {
			return ep, ModelInfo{Name: m.ID, Digest: m.Digest, Quantization: m.Quantization, Family: m.Family,
				Parameters: m.ParameterSize, SizeBytes: m.SizeBytes}, nil
		}
	}
	if len(rt.Models) == 0 {
		// Some runtimes list no models (one loaded model, no /v1/models);
		// let the run find out.
		return ep, ModelInfo{Name: model}, nil
	}
	return ep, ModelInfo{}, &ModelMissingError{Model: model, Runtime: rt.Name, Available: names}
}

// ModelMissingError is a model the runtime does not offer.
type ModelMissingError struct {
	Model, Runtime string
	Available      []string
}

func (e *ModelMissingError) Error() string {
	return fmt.Sprintf("%s does not offer model %q", e.Runtime, e.Model)
}

// Hint lists what the runtime offers.
func (e *ModelMissingError) Hint() string {
	return "available: " + strings.Join(e.Available, ", ") + "; load another with e.g. 'ollama pull llama3.2:1b'"
}
