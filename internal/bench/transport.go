package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ki-reise/kicheck/internal/cloud"
	"io"
	"math"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Sample is one measured answer.
type Sample struct {
	PromptIndex int       `json:"prompt_index"`
	Rep         int       `json:"rep"` // 1…N; 0 = warm-up
	Warmup      bool      `json:"warmup"`
	Started     time.Time `json:"started"`

	// Client side, measured on the stream as it arrives.
	TTFTms       float64 `json:"ttft_ms"`       // request sent → first answer token
	E2Ems        float64 `json:"e2e_ms"`        // request sent → stream ended
	DecodeMS     float64 `json:"decode_ms"`     // first → last answer token
	TokensIn     int     `json:"tokens_in"`     // prompt tokens the runtime reported (0 = not reported)
	TokensOut    int     `json:"tokens_out"`    // answer tokens reported, else chunks counted
	CachedTokens int     `json:"cached_tokens"` // prompt tokens served from a cache, where reported
	Chunks       int     `json:"chunks"`        // stream chunks that carried answer text
	DecodeTPS    float64 `json:"decode_tps"`    // (tokens_out − 1) / decode time; NaN with < 2 tokens
	PromptTPS    float64 `json:"prompt_tps"`    // tokens_in / TTFT (includes network and queueing)

	Runtime RuntimeFigures `json:"runtime"`

	FinishReason string        `json:"finish_reason"`
	Answer       string        `json:"answer"`
	Checks       []CheckResult `json:"checks,omitempty"`
	Error        string        `json:"error,omitempty"`
}

// RuntimeFigures are the runtime's own measurements of the same answer.
// NaN = the runtime does not report that figure.
type RuntimeFigures struct {
	Source       string  `json:"source"` // "ollama", "llama.cpp timings", "lmstudio stats", "" = none
	LoadMS       float64 `json:"load_ms"`
	PromptTokens int     `json:"prompt_tokens"`
	PromptMS     float64 `json:"prompt_ms"`
	EvalTokens   int     `json:"eval_tokens"`
	EvalMS       float64 `json:"eval_ms"`
	PromptTPS    float64 `json:"prompt_tps"`
	DecodeTPS    float64 `json:"decode_tps"`
	TTFTms       float64 `json:"ttft_ms"`
}

func noRuntimeFigures() RuntimeFigures {
	nan := math.NaN()
	return RuntimeFigures{LoadMS: nan, PromptMS: nan, EvalMS: nan, PromptTPS: nan, DecodeTPS: nan, TTFTms: nan}
}

// request is one prompt to send.
type request struct {
	model    string
	messages []Message
	params   Params
	numCtx   int // context window to ask Ollama for; 0 = its default
	// synthWords is the number of synthetic words in the prompt (0 for
	// fixed prompts).
	synthWords int
}

// meter times a streamed answer. Times come from the monotonic clock.
type meter struct {
	sample     *Sample
	t0         time.Time
	first      time.Time
	last       time.Time
	answer     strings.Builder
	onDelta    func(string)
	watchdog   *time.Timer
	stallAfter time.Duration
}

func newMeter(s *Sample, onDelta func(string)) *meter {
	s.Runtime = noRuntimeFigures()
	return &meter{sample: s, onDelta: onDelta}
}

func (m *meter) start() {
	m.t0 = time.Now()
	m.sample.Started = m.t0.UTC()
}

// delta records answer text arriving now.
func (m *meter) delta(text string) {
	if text == "" {
		return
	}
	now := time.Now()
	if m.first.IsZero() {
		m.first = now
	}
	m.last = now
	m.sample.Chunks++
	m.answer.WriteString(text)
	if m.watchdog != nil {
		m.watchdog.Reset(m.stallAfter)
	}
	if m.onDelta != nil {
		m.onDelta(text)
	}
}

// finish computes the client-side figures.
func (m *meter) finish() {
	s := m.sample
	end := time.Now()
	s.Answer = m.answer.String()
	s.E2Ems = ms(end.Sub(m.t0))
	s.TTFTms, s.DecodeMS, s.DecodeTPS, s.PromptTPS = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	if s.TokensOut == 0 {
		s.TokensOut = s.Chunks
	}
	if !m.first.IsZero() {
		s.TTFTms = ms(m.first.Sub(m.t0))
		s.DecodeMS = ms(m.last.Sub(m.first))
		// Tokens after the first over the time after the first: the first
		// token's time belongs to prompt processing.
		if s.TokensOut >= 2 && s.DecodeMS > 0 {
			s.DecodeTPS = float64(s.TokensOut-1) / (s.DecodeMS / 1000)
		}
		if s.TokensIn > 0 && s.TTFTms > 0 {
			s.PromptTPS = float64(s.TokensIn) / (s.TTFTms / 1000)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// streamOpenAI sends req through go-openai and measures the stream.
func streamOpenAI(ctx context.Context, client *openai.Client, req request, m *meter) error {
	msgs := make([]openai.ChatCompletionMessage, len(req.messages))
	for i, msg := range req.messages {
		msgs[i] = openai.ChatCompletionMessage{Role: msg.Role, Content: msg.Content}
	}
	var temp float32
	if req.params.Temperature != nil {
		temp = *req.params.Temperature
	}
	m.start()
	stream, err := client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
		Model:         req.model,
		Messages:      msgs,
		MaxTokens:     req.params.MaxTokens,
		Temperature:   temp, // 0 is added back by zeroTemperatureDoer
		Seed:          req.params.Seed,
		Stream:        true,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
	})
	if err != nil {
		return err
	}
	defer stream.Close()
	for {
		raw, err := stream.RecvRaw()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		var chunk openAIChunk
		if err := json.Unmarshal(raw, &chunk); err != nil {
			return &RunError{Kind: KindStreamBroken, Err: fmt.Errorf("invalid JSON in the answer stream: %w", err)}
		}
		for _, c := range chunk.Choices {
			m.delta(c.Delta.Content + c.Delta.ReasoningContent)
			if c.FinishReason != "" {
				m.sample.FinishReason = string(c.FinishReason)
			}
		}
		if u := chunk.Usage; u != nil {
			m.sample.TokensIn = u.PromptTokens
			m.sample.TokensOut = u.CompletionTokens
			if u.PromptTokensDetails != nil {
				m.sample.CachedTokens = u.PromptTokensDetails.CachedTokens
			}
		}
		if t := chunk.Timings; t != nil { // llama.cpp server
			rf := &m.sample.Runtime
			rf.Source = "llama.cpp timings"
			rf.PromptTokens, rf.PromptMS, rf.PromptTPS = t.PromptN, t.PromptMS, t.PromptPerSecond
			rf.EvalTokens, rf.EvalMS, rf.DecodeTPS = t.PredictedN, t.PredictedMS, t.PredictedPerSecond
			if t.CacheN > 0 {
				m.sample.CachedTokens = t.CacheN
			}
		}
		if st := chunk.Stats; st != nil { // LM Studio /api/v0
			rf := &m.sample.Runtime
			rf.Source = "lmstudio stats"
			rf.DecodeTPS = st.TokensPerSecond
			rf.TTFTms = st.TimeToFirstToken * 1000
			rf.EvalMS = st.GenerationTime * 1000
		}
	}
	if m.sample.FinishReason == "" {
		// A clean close without a finish reason: the runtime or a proxy
		// hung up before the answer was complete.
		return &RunError{Kind: KindStreamBroken, Err: errors.New("the answer stream ended without a finish reason")}
	}
	m.finish()
	return nil
}

// openAIChunk is a stream chunk with the runtimes' extensions.
type openAIChunk struct {
	openai.ChatCompletionStreamResponse
	Timings *struct {
		CacheN             int     `json:"cache_n"`
		PromptN            int     `json:"prompt_n"`
		PromptMS           float64 `json:"prompt_ms"`
		PromptPerSecond    float64 `json:"prompt_per_second"`
		PredictedN         int     `json:"predicted_n"`
		PredictedMS        float64 `json:"predicted_ms"`
		PredictedPerSecond float64 `json:"predicted_per_second"`
	} `json:"timings,omitempty"`
	Stats *struct {
		TokensPerSecond  float64 `json:"tokens_per_second"`
		TimeToFirstToken float64 `json:"time_to_first_token"` // seconds
		GenerationTime   float64 `json:"generation_time"`     // seconds
	} `json:"stats,omitempty"`
}

// ollamaChunk is one line of Ollama's native /api/chat stream.
type ollamaChunk struct {
	Message struct {
		Content  string `json:"content"`
		Thinking string `json:"thinking"`
	} `json:"message"`
	Done               bool   `json:"done"`
	DoneReason         string `json:"done_reason"`
	Error              string `json:"error"`
	LoadDuration       int64  `json:"load_duration"`
	PromptEvalCount    int    `json:"prompt_eval_count"`
	PromptEvalDuration int64  `json:"prompt_eval_duration"`
	EvalCount          int    `json:"eval_count"`
	EvalDuration       int64  `json:"eval_duration"`
}

// streamOllama sends req to Ollama's /api/chat and measures the stream.
func streamOllama(ctx context.Context, ep Endpoint, req request, m *meter) error {
	opts := map[string]any{"num_predict": req.params.MaxTokens}
	if req.params.Temperature != nil {
		opts["temperature"] = *req.params.Temperature
	}
	if req.params.Seed != nil {
		opts["seed"] = *req.params.Seed
	}
	if req.numCtx > 0 {
		opts["num_ctx"] = req.numCtx
	}
	body, _ := json.Marshal(map[string]any{
		"model": req.model, "messages": req.messages, "stream": true, "options": opts,
	})
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.root()+"/api/chat", bytes.NewReader(body))
	if err != nil {
		return &RunError{Kind: KindBadEndpoint, Err: err}
	}
	hreq.Header.Set("Content-Type", "application/json")
	if ep.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+ep.APIKey)
	}
	m.start()
	resp, err := ep.httpClient().Do(hreq)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return statusError(resp.StatusCode, fmt.Errorf("%s", ollamaErrorText(msg)), ep.APIKey)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	done := false
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var c ollamaChunk
		if err := json.Unmarshal(line, &c); err != nil {
			return &RunError{Kind: KindStreamBroken, Err: fmt.Errorf("invalid JSON in the answer stream: %w", err)}
		}
		if c.Error != "" {
			return &RunError{Kind: KindRuntimeError, Err: errors.New(cloud.Excerpt([]byte(c.Error), ep.APIKey))}
		}
		m.delta(c.Message.Content + c.Message.Thinking)
		if c.Done {
			done = true
			s := m.sample
			s.FinishReason = c.DoneReason
			s.TokensIn, s.TokensOut = c.PromptEvalCount, c.EvalCount
			rf := &s.Runtime
			rf.Source = "ollama"
			rf.LoadMS = float64(c.LoadDuration) / 1e6
			rf.PromptTokens, rf.PromptMS = c.PromptEvalCount, float64(c.PromptEvalDuration)/1e6
			rf.EvalTokens, rf.EvalMS = c.EvalCount, float64(c.EvalDuration)/1e6
			if rf.PromptMS > 0 {
				rf.PromptTPS = float64(rf.PromptTokens) / (rf.PromptMS / 1000)
			}
			if rf.EvalMS > 0 {
				rf.DecodeTPS = float64(rf.EvalTokens) / (rf.EvalMS / 1000)
			}
			break
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if !done {
		return &RunError{Kind: KindStreamBroken, Err: errors.New("the answer stream ended before the runtime said it was done")}
	}
	m.finish()
	return nil
}

func ollamaErrorText(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		return e.Error
	}
	return strings.TrimSpace(string(body))
}

func isModelMissing(msg string) bool {
	msg = strings.ToLower(msg)
	return strings.Contains(msg, "not found") || strings.Contains(msg, "does not exist")
}
