package load

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
)

// Protocols a run speaks.
const (
	ProtocolOllama = "ollama" // POST /api/chat, NDJSON stream
	ProtocolOpenAI = "openai" // POST /v1/chat/completions, server-sent events
)

// Error kinds of one request (docs/load.md, "Errors").
const (
	ErrBusy     = "busy"      // HTTP 503 or 429: the server refused for load ("Server ausgelastet")
	ErrTimeout  = "timeout"   // no complete answer within the request timeout
	ErrBroken   = "broken"    // the stream broke off before its end
	ErrRefused  = "refused"   // no connection (server down or gone)
	ErrNotFound = "not_found" // 404: no such model or not a model server
	ErrHTTP     = "http"      // any other HTTP error status
	ErrBadReply = "bad_reply" // the answer is not the protocol's stream
)

// maxLine bounds one stream line: a token chunk is a few hundred bytes.
const maxLine = 1 << 20

// Sample is one measured request. Times are milliseconds on the monotonic
// clock, measured from the moment the request is handed to the transport.
type Sample struct {
	Level     int     `json:"level"`            // concurrency level, Poisson rate ×1000, or clerks
	Work      string  `json:"work"`             // prompt id
	UseCase   string  `json:"use_case"`         // fit use case whose limits apply
	StartMS   float64 `json:"start_ms"`         // offset from the run's start
	TTFTms    float64 `json:"ttft_ms"`          // request sent → first content chunk
	E2Ems     float64 `json:"e2e_ms"`           // request sent → end of stream
	Tokens    int     `json:"tokens"`           // content chunks the client counted
	Server    int     `json:"server_tokens"`    // eval_count / usage.completion_tokens; 0 = not reported
	LoadMS    float64 `json:"load_ms"`          // Ollama's load_duration, 0 otherwise
	Error     string  `json:"error,omitempty"`  // one of the Err* kinds
	Detail    string  `json:"detail,omitempty"` // the server's words, escaped on output
	Good      bool    `json:"good"`             // met the use case's limits
	gaps      []float64
	firstSeen bool
}

// TPOTms is the time per output token without the first token:
// (E2E − TTFT) / (tokens − 1), as vLLM's benchmark defines it. NaN below
// two tokens.
func (s *Sample) TPOTms() float64 {
	if s.Tokens < 2 {
		return nan
	}
	return (s.E2Ems - s.TTFTms) / float64(s.Tokens-1)
}

// tokenCount is the server's count where reported, else the client's.
func (s *Sample) tokenCount() int {
	if s.Server > 0 {
		return s.Server
	}
	return s.Tokens
}

// target is where and how requests go.
type target struct {
	url, protocol, model, apiKey string
	client                       *http.Client
	timeout                      time.Duration
	ollamaOptions                map[string]any
}

func (t target) endpoint() string {
	root := strings.TrimSuffix(strings.TrimRight(t.url, "/"), "/v1")
	if t.protocol == ProtocolOpenAI {
		return root + "/v1/chat/completions"
	}
	return root + "/api/chat"
}

func (t target) body(w Work) ([]byte, error) {
	type msg struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	msgs := make([]msg, len(w.Messages))
	for i, m := range w.Messages {
		msgs[i] = msg{m.Role, m.Content}
	}
	if t.protocol == ProtocolOpenAI {
		return json.Marshal(map[string]any{"model": t.model, "messages": msgs, "stream": true,
			"max_tokens": w.MaxTokens, "temperature": 0,
			"stream_options": map[string]any{"include_usage": true}})
	}
	opts := map[string]any{"num_predict": w.MaxTokens, "temperature": 0, "seed": 42}
	for k, v := range t.ollamaOptions {
		opts[k] = v
	}
	return json.Marshal(map[string]any{"model": t.model, "messages": msgs, "stream": true, "options": opts})
}

// do sends one request and measures its stream into s.
func (t target) do(ctx context.Context, w Work, s *Sample, keepGaps bool) {
	body, err := t.body(w)
	if err != nil {
		s.Error, s.Detail = ErrBadReply, err.Error()
		return
	}
	if t.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.endpoint(), bytes.NewReader(body))
	if err != nil {
		s.Error, s.Detail = ErrBadReply, err.Error()
		return
	}
	req.Header.Set("Content-Type", "application/json")
	if t.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+t.apiKey)
	}
	t0 := time.Now()
	last := t0
	resp, err := t.client.Do(req)
	if err != nil {
		s.Error, s.Detail = classify(ctx, err), err.Error()
		s.E2Ems = ms(time.Since(t0))
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		s.Detail = fmt.Sprintf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
		switch resp.StatusCode {
		case http.StatusServiceUnavailable, http.StatusTooManyRequests:
			s.Error = ErrBusy
		case http.StatusNotFound:
			s.Error = ErrNotFound
		default:
			s.Error = ErrHTTP
		}
		s.E2Ems = ms(time.Since(t0))
		return
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	done := false
	onToken := func(now time.Time) {
		if !s.firstSeen {
			s.firstSeen = true
			s.TTFTms = ms(now.Sub(t0))
		} else if keepGaps {
			s.gaps = append(s.gaps, ms(now.Sub(last)))
		}
		last = now
		s.Tokens++
	}
	for sc.Scan() {
		now := time.Now()
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var fin bool
		var perr error
		if t.protocol == ProtocolOpenAI {
			fin, perr = t.openAILine(line, s, now, onToken)
		} else {
			fin, perr = t.ollamaLine(line, s, now, onToken)
		}
		if perr == nil && s.Tokens > maxTokensFor(w) {
			perr = fmt.Errorf("more than %d chunks for an answer of at most %d tokens", maxTokensFor(w), w.MaxTokens)
		}
		if perr != nil {
			s.Error, s.Detail = ErrBadReply, perr.Error()
			s.E2Ems = ms(time.Since(t0))
			return
		}
		if fin {
			done = true
			if t.protocol == ProtocolOllama {
				break
			}
		}
	}
	s.E2Ems = ms(time.Since(t0))
	if err := sc.Err(); err != nil {
		s.Error, s.Detail = classifyStream(ctx, err), err.Error()
		return
	}
	if !done {
		if ctx.Err() != nil {
			s.Error, s.Detail = classify(ctx, ctx.Err()), ctx.Err().Error()
			return
		}
		s.Error, s.Detail = ErrBroken, "stream ended without its final chunk"
	}
}

// contentStart is where a non-empty JSON "content" string begins.
var contentKey = []byte(`"content":"`)

// fastToken recognises the common stream line cheaply: one object with a
// non-empty "content" string and none of the keys that need a full
// decode. It keeps the generator's own time per token small, so 256
// streams do not queue behind JSON decoding (see docs/load.md).
func fastToken(line []byte, final ...[]byte) bool {
	i := bytes.Index(line, contentKey)
	if i < 0 || i+len(contentKey) >= len(line) || line[i+len(contentKey)] == '"' {
		return false
	}
	if line[0] != '{' && !bytes.HasPrefix(line, []byte("data:")) {
		return false
	}
	for _, f := range final {
		if bytes.Contains(line, f) {
			return false
		}
	}
	return bytes.IndexByte(line[i+len(contentKey):], '"') >= 0 && line[len(line)-1] == '}'
}

var (
	ollamaFinal = [][]byte{[]byte(`"done":true`), []byte(`"error"`), []byte(`"eval_count"`)}
	openAIFinal = [][]byte{[]byte(`"usage"`), []byte(`"error"`)}
)

func (t target) ollamaLine(line []byte, s *Sample, now time.Time, onToken func(time.Time)) (bool, error) {
	if fastToken(line, ollamaFinal...) && bytes.Contains(line, []byte(`"done":false`)) {
		onToken(now)
		return false, nil
	}
	var c struct {
		Message struct {
			Content string `json:"content"`
		} `json:"message"`
		Done         bool   `json:"done"`
		EvalCount    int    `json:"eval_count"`
		LoadDuration int64  `json:"load_duration"`
		Error        string `json:"error"`
	}
	if err := json.Unmarshal(line, &c); err != nil {
		return false, fmt.Errorf("not an Ollama stream line: %w", err)
	}
	if c.Error != "" {
		return false, errors.New(c.Error)
	}
	if c.Message.Content != "" {
		onToken(now)
	}
	if c.Done {
		s.Server = c.EvalCount
		s.LoadMS = float64(c.LoadDuration) / 1e6
	}
	return c.Done, nil
}

func (t target) openAILine(line []byte, s *Sample, now time.Time, onToken func(time.Time)) (bool, error) {
	data, ok := bytes.CutPrefix(line, []byte("data:"))
	if !ok {
		return false, nil // comments, event names
	}
	data = bytes.TrimSpace(data)
	if string(data) == "[DONE]" {
		return true, nil
	}
	if len(data) > 0 && fastToken(data, openAIFinal...) && bytes.Count(data, contentKey) == 1 {
		onToken(now)
		return false, nil
	}
	var c struct {
		Choices []struct {
			Delta struct {
				Content string `json:"content"`
			} `json:"delta"`
		} `json:"choices"`
		Usage *struct {
			CompletionTokens int `json:"completion_tokens"`
		} `json:"usage"`
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return false, fmt.Errorf("not an OpenAI stream event: %w", err)
	}
	if len(c.Choices) > 0 && c.Choices[0].Delta.Content != "" {
		onToken(now)
	}
	if c.Usage != nil {
		s.Server = c.Usage.CompletionTokens
	}
	return false, nil
}

func classify(ctx context.Context, err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return ErrTimeout
	case ctx.Err() != nil:
		return ErrTimeout
	default:
		return ErrRefused
	}
}

func classifyStream(ctx context.Context, err error) string {
	if errors.Is(err, context.DeadlineExceeded) || (ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded)) {
		return ErrTimeout
	}
	if errors.Is(err, bufio.ErrTooLong) {
		return ErrBadReply
	}
	return ErrBroken
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Work is one kind of request of the mix.
type Work struct {
	ID        string          `json:"id"`
	UseCase   string          `json:"use_case"`
	Messages  []bench.Message `json:"-"`
	MaxTokens int             `json:"max_tokens"`
	Weight    float64         `json:"weight"`
	Limits    Limits          `json:"limits"`
}

// Limits are the use case's targets one request must meet to count as
// good: first token within FirstTokenS and at least DecodeTPS tokens/s
// after it. Zero = not checked.
type Limits struct {
	FirstTokenS float64 `json:"first_token_s"`
	DecodeTPS   float64 `json:"decode_tps"`
}

// meets reports whether s met l.
func (l Limits) meets(s *Sample) bool {
	if s.Error != "" || s.Tokens == 0 {
		return false
	}
	if l.FirstTokenS > 0 && s.TTFTms > l.FirstTokenS*1000 {
		return false
	}
	if l.DecodeTPS > 0 && s.Tokens >= 2 {
		if tp := s.TPOTms(); tp > 0 && 1000/tp < l.DecodeTPS {
			return false
		}
	}
	return true
}

// maxTokensFor bounds what one answer may stream (memory: one gap per
// chunk is kept): a server that sends far more than was asked for is
// answering wrongly.
func maxTokensFor(w Work) int { return 4*max(w.MaxTokens, 1) + 1024 }
