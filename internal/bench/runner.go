package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/ki-reise/kicheck/internal/cloud"
)

// ModelInfo identifies the model measured, so runs stay comparable.
type ModelInfo struct {
	Name         string `json:"name"`
	Digest       string `json:"digest"`
	Quantization string `json:"quantization"`
	Family       string `json:"family"`
	Parameters   string `json:"parameters"`
	SizeBytes    int64  `json:"size_bytes"`
}

// Options configure a run. Zero values get the defaults noted.
type Options struct {
	Endpoint Endpoint
	Model    ModelInfo // Name is required; the rest is filled from the runtime where it tells
	Bundle   *Bundle
	Protocol string // ProtocolOpenAI or ProtocolOllama; "" = Ollama's own for Ollama, else OpenAI
	Repeat   int    // measured repetitions per prompt, default 5
	Warmup   int    // unmeasured answers before each prompt's repetitions, default 1; -1 = none
	// VaryPrompts puts a per-repetition reference at the start of each
	// prompt so a prompt cache cannot flatter the figures. Default on;
	// SameEachTime turns it off (then cached-token counts tell).
	SameEachTime bool
	// MeasureLoad unloads the model first (Ollama) and times a cold load.
	MeasureLoad bool
	// AllowRemote permits an endpoint that is not on this PC. Only bundles
	// with cloud_allowed: true may go there; consent is the caller's duty.
	AllowRemote bool
	// Consent is the user's consent for this run (internal/cloud); an
	// endpoint off this PC is refused without one that cloud.Authorize
	// accepts for this bundle and host (issue 4: enforced here, not only in
	// the user interface).
	Consent *cloud.Consent

	FirstTokenTimeout time.Duration // default 5 min (loading a large model from disk is slow)
	StallTimeout      time.Duration // longest pause between tokens, default 60 s

	OnProgress func(Progress)
	// OnToken receives answer text as it streams (plain text; never
	// interpret it as markup).
	OnToken func(promptIndex, rep int, text string)
	// OnSample receives every finished sample (used to store as it goes).
	OnSample func(PromptResult, Sample)
}

// Progress tells where a run is.
type Progress struct {
	Phase       string `json:"phase"` // load, calibrate, warmup, measure, done
	PromptIndex int    `json:"prompt_index"`
	PromptCount int    `json:"prompt_count"`
	PromptID    string `json:"prompt_id"`
	Rep         int    `json:"rep"` // 0 during warm-up
	Reps        int    `json:"reps"`
}

// Fraction is the share of the run done, 0…1.
func (p Progress) Fraction() float64 {
	if p.PromptCount == 0 || p.Reps == 0 {
		return 0
	}
	if p.Phase == "done" {
		return 1
	}
	return (float64(p.PromptIndex) + float64(p.Rep)/float64(p.Reps)) / float64(p.PromptCount)
}

// Result is a run: what was asked, where, and every sample.
type Result struct {
	RunID     int64     `json:"run_id"`
	Started   time.Time `json:"started"`
	Finished  time.Time `json:"finished"`
	Status    string    `json:"status"`   // done, cancelled, failed
	Complete  bool      `json:"complete"` // every prompt got all repetitions
	ErrorKind string    `json:"error_kind,omitempty"`
	Error     string    `json:"error,omitempty"`

	Endpoint       string       `json:"endpoint"`
	Remote         bool         `json:"remote"`
	Protocol       string       `json:"protocol"`
	Runtime        string       `json:"runtime"`
	RuntimeVersion string       `json:"runtime_version"`
	Host           string       `json:"host"`
	Model          ModelInfo    `json:"model"`
	Bundle         BundleRef    `json:"bundle"`
	Repeat         int          `json:"repeat"`
	Warmup         int          `json:"warmup"`
	VariedPrompts  bool         `json:"varied_prompts"`
	Load           LoadFigures  `json:"load"`
	Calibration    *Calibration `json:"calibration,omitempty"`

	Prompts []PromptResult `json:"prompts,omitempty"`
}

// BundleRef identifies the bundle version a run used.
type BundleRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
	Title   string `json:"title"`
	Source  string `json:"source"`
}

// LoadFigures is the model load measured before the prompts.
type LoadFigures struct {
	ClientMS  float64 `json:"client_ms"`  // wall time of the load request (NaN = not measured)
	RuntimeMS float64 `json:"runtime_ms"` // the runtime's load_duration
}

// PromptResult is one prompt's samples.
type PromptResult struct {
	Index           int      `json:"index"`
	PromptID        string   `json:"prompt_id"`
	UseCase         string   `json:"use_case"`
	Title           string   `json:"title"`
	MaxTokens       int      `json:"max_tokens"`
	SyntheticTokens int      `json:"synthetic_tokens,omitempty"`
	Samples         []Sample `json:"samples"`
}

// Measured returns the samples that count (not warm-up, no error).
func (p PromptResult) Measured() []Sample {
	var out []Sample
	for _, s := range p.Samples {
		if !s.Warmup && s.Error == "" {
			out = append(out, s)
		}
	}
	return out
}

// Run runs opts.Bundle against the endpoint. It always returns a Result
// with what was measured; err says why the run ended early (a *RunError,
// kind cancelled when ctx was cancelled).
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Repeat <= 0 {
		opts.Repeat = 5
	}
	if opts.Warmup == 0 {
		opts.Warmup = 1
	}
	if opts.Warmup < 0 {
		opts.Warmup = 0
	}
	if opts.FirstTokenTimeout <= 0 {
		opts.FirstTokenTimeout = 5 * time.Minute
	}
	if opts.StallTimeout <= 0 {
		opts.StallTimeout = 60 * time.Second
	}
	ep := opts.Endpoint
	if opts.Protocol == "" {
		opts.Protocol = ProtocolOpenAI
		if ep.Runtime == RuntimeOllama {
			opts.Protocol = ProtocolOllama
		}
	}
	res := &Result{
		Started: time.Now().UTC(), Status: "running",
		Endpoint: ep.Redacted(), Remote: ep.IsRemote(), Protocol: opts.Protocol,
		Runtime: ep.runtimeName(), RuntimeVersion: ep.RuntimeVersion, Host: hostname(),
		Model: opts.Model, Repeat: opts.Repeat, Warmup: opts.Warmup, VariedPrompts: !opts.SameEachTime,
		Load: LoadFigures{ClientMS: math.NaN(), RuntimeMS: math.NaN()},
	}
	end := func(err error) (*Result, error) {
		res.Finished = time.Now().UTC()
		res.Status = "done"
		if err != nil {
			err = classify(ctx, err)
			var re *RunError
			errors.As(err, &re)
			res.ErrorKind, res.Error = re.Kind, re.Error()
			res.Status = "failed"
			if re.Kind == KindCancelled {
				res.Status = "cancelled"
			}
		}
		res.Complete = err == nil
		if opts.OnProgress != nil {
			opts.OnProgress(Progress{Phase: "done", PromptCount: len(res.Prompts), Reps: opts.Repeat})
		}
		return res, err
	}
	if opts.Bundle == nil {
		return end(errors.New("no bundle given"))
	}
	b := opts.Bundle
	res.Bundle = BundleRef{ID: b.ID, Version: b.Version, SHA256: b.SHA256, Title: b.Title, Source: b.Source}
	if err := ValidateURL(ep.URL); err != nil {
		return end(err)
	}
	if opts.Model.Name == "" {
		return end(&RunError{Kind: KindModelNotFound, Err: errors.New("no model given")})
	}
	if ep.IsRemote() && (!opts.AllowRemote || !b.AllowsCloud()) {
		why := "the endpoint is not on this PC"
		if opts.AllowRemote {
			why = fmt.Sprintf("bundle %q is not marked cloud_allowed", b.ID)
		}
		return end(&RunError{Kind: KindRemoteRefused, Err: errors.New(why)})
	}
	if ep.IsRemote() {
		if err := cloud.Authorize(consentPlan(ep, b), opts.Consent); err != nil {
			return end(&RunError{Kind: KindRemoteRefused, Err: err})
		}
	}

	r := &runner{opts: opts, ep: ep, numCtx: bundleContext(b)}
	if opts.Protocol == ProtocolOpenAI {
		cfg := openai.DefaultConfig(ep.APIKey)
		cfg.BaseURL = ep.openAIBase()
		cfg.HTTPClient = zeroTemperatureDoer{next: ep.httpClient()}
		r.client = openai.NewClientWithConfig(cfg)
	}
	if ep.Runtime == RuntimeOllama {
		r.ollamaModelInfo(ctx, &res.Model)
		if opts.MeasureLoad {
			if opts.OnProgress != nil {
				opts.OnProgress(Progress{Phase: "load", PromptCount: len(b.Prompts), Reps: opts.Repeat})
			}
			if err := r.ollamaLoad(ctx, &res.Load); err != nil {
				return end(err)
			}
		}
	}

	for i := range b.Prompts {
		p := &b.Prompts[i]
		pr := PromptResult{Index: i, PromptID: p.ID, UseCase: p.UseCase, Title: p.Title, MaxTokens: p.Params.MaxTokens}
		if p.Synthetic != nil {
			pr.SyntheticTokens = p.Synthetic.PromptTokens
			if res.Calibration == nil {
				if opts.OnProgress != nil {
					opts.OnProgress(Progress{Phase: "calibrate", PromptIndex: i, PromptCount: len(b.Prompts), PromptID: p.ID, Reps: opts.Repeat})
				}
				c, err := r.calibrate(ctx)
				if err != nil {
					res.Prompts = append(res.Prompts, pr)
					return end(err)
				}
				res.Calibration = &c
			}
		}
		res.Prompts = append(res.Prompts, pr)
		cur := &res.Prompts[len(res.Prompts)-1]
		total := opts.Warmup + opts.Repeat
		for k := 0; k < total; k++ {
			warm := k < opts.Warmup
			rep := k - opts.Warmup + 1
			if warm {
				rep = 0
			}
			phase := "measure"
			if warm {
				phase = "warmup"
			}
			if opts.OnProgress != nil {
				opts.OnProgress(Progress{Phase: phase, PromptIndex: i, PromptCount: len(b.Prompts), PromptID: p.ID, Rep: max(rep-1, 0), Reps: opts.Repeat})
			}
			// Warm-ups get their own variant numbers (negative) so they do
			// not pre-fill the cache for a measured repetition.
			variant := rep
			if warm {
				variant = -1 - k
			}
			req := r.buildRequest(p, variant, res.Calibration)
			s := Sample{PromptIndex: i, Rep: rep, Warmup: warm}
			err := r.measure(ctx, req, &s, func(text string) {
				if opts.OnToken != nil {
					opts.OnToken(i, rep, text)
				}
			})
			if err != nil {
				err = classify(ctx, err)
				s.Error = err.Error()
				cur.Samples = append(cur.Samples, s)
				if opts.OnSample != nil {
					opts.OnSample(*cur, s)
				}
				return end(err)
			}
			if warm && p.Synthetic != nil && res.Calibration != nil && res.Calibration.Measured {
				res.Calibration.observe(req.synthWords, s.TokensIn)
			}
			s.Checks = RunChecks(p, s.Answer)
			cur.Samples = append(cur.Samples, s)
			if opts.OnSample != nil {
				opts.OnSample(*cur, s)
			}
		}
	}
	return end(nil)
}

type runner struct {
	opts   Options
	ep     Endpoint
	client *openai.Client
	numCtx int // context window asked of Ollama for the whole run (0 = default)
}

// buildRequest makes the request for one repetition of p.
func (r *runner) buildRequest(p *Prompt, variant int, cal *Calibration) request {
	req := request{model: r.opts.Model.Name, params: p.Params, numCtx: r.numCtx}
	if p.Synthetic != nil {
		c := defaultCalibration
		if cal != nil {
			c = *cal
		}
		req.synthWords = c.WordsFor(p.Synthetic.PromptTokens)
		req.messages = synthMessages(p.ID, variant, req.synthWords)
		req.numCtx = r.numCtx
		return req
	}
	req.messages = append([]Message(nil), p.Messages...)
	if !r.opts.SameEachTime {
		// A reference at the very start differs per repetition, so no
		// prefix of the prompt can be served from a cache.
		rnd := rand.New(rand.NewPCG(uint64(variant+1000), 7))
		req.messages[0].Content = fmt.Sprintf("(Vorgang %d-%04d)\n", variant, rnd.IntN(10000)) + req.messages[0].Content
	}
	return req
}

// ollamaDefaultContext is Ollama's default context window (0.6.x). A
// longer prompt would be cut silently, so a scenario that needs more asks
// for it (native protocol only; the OpenAI API has no such parameter).
const ollamaDefaultContext = 2048

// bundleContext returns the context window the bundle's longest synthetic
// scenario needs, rounded up to 1024, or 0 when Ollama's default suffices.
// One size for the whole run: a new size makes Ollama reload the model, so
// the load is measured once, with the size the run uses.
func bundleContext(b *Bundle) int {
	need := 0
	for _, p := range b.Prompts {
		if p.Synthetic != nil {
			need = max(need, p.Synthetic.PromptTokens+p.Params.MaxTokens+64)
		}
	}
	if need <= ollamaDefaultContext {
		return 0
	}
	return (need + 1023) / 1024 * 1024
}

// measure sends one request with the watchdog armed.
func (r *runner) measure(ctx context.Context, req request, s *Sample, onDelta func(string)) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	m := newMeter(s, onDelta)
	m.stallAfter = r.opts.StallTimeout
	m.watchdog = time.AfterFunc(r.opts.FirstTokenTimeout, func() {
		cancel(fmt.Errorf("%w: no answer token for %s", ErrTimeout, r.opts.FirstTokenTimeout))
	})
	// After the first token, the watchdog allows StallTimeout between tokens.
	defer m.watchdog.Stop()
	var err error
	if r.opts.Protocol == ProtocolOllama {
		err = streamOllama(ctx, r.ep, req, m)
	} else {
		err = streamOpenAI(ctx, r.client, req, m)
	}
	if err != nil {
		s.Answer = m.answer.String()
		return classify(ctx, err)
	}
	return nil
}

// calibrate measures how many tokens the runtime counts for synthetic text
// (docs/prompts.md): two requests with max_tokens 1, 0 and 200 words.
func (r *runner) calibrate(ctx context.Context) (Calibration, error) {
	one := float32(0)
	seed := 1
	params := Params{Temperature: &one, MaxTokens: 1, Seed: &seed}
	counts := [2]int{}
	for i, words := range []int{0, 200} {
		var s Sample
		req := request{model: r.opts.Model.Name, params: params, messages: synthMessages("calibration", -100-i, words)}
		if err := r.measure(ctx, req, &s, nil); err != nil {
			return Calibration{}, err
		}
		counts[i] = s.TokensIn
	}
	if counts[0] <= 0 || counts[1] <= counts[0] {
		return defaultCalibration, nil // the runtime reports no usable counts
	}
	return Calibration{Overhead: float64(counts[0]), PerWord: float64(counts[1]-counts[0]) / 200, Words: 200, Measured: true}, nil
}

// ollamaModelInfo fills digest, quantization and size from /api/tags.
func (r *runner) ollamaModelInfo(ctx context.Context, mi *ModelInfo) {
	var tags struct {
		Models []struct {
			Name    string `json:"name"`
			Model   string `json:"model"`
			Digest  string `json:"digest"`
			Size    int64  `json:"size"`
			Details struct {
				Family            string `json:"family"`
				ParameterSize     string `json:"parameter_size"`
				QuantizationLevel string `json:"quantization_level"`
			} `json:"details"`
		} `json:"models"`
	}
	if err := r.getJSON(ctx, "/api/tags", &tags); err != nil {
		return // the run itself reports an unreachable runtime
	}
	for _, t := range tags.Models {
		if t.Name == mi.Name || t.Model == mi.Name || t.Name == mi.Name+":latest" {
			if mi.Digest == "" {
				mi.Digest = t.Digest
			}
			if mi.Quantization == "" {
				mi.Quantization = t.Details.QuantizationLevel
			}
			if mi.Family == "" {
				mi.Family = t.Details.Family
			}
			if mi.Parameters == "" {
				mi.Parameters = t.Details.ParameterSize
			}
			if mi.SizeBytes == 0 {
				mi.SizeBytes = t.Size
			}
		}
	}
}

// ollamaLoad unloads the model and loads it again, timing the load.
func (r *runner) ollamaLoad(ctx context.Context, lf *LoadFigures) error {
	name := r.opts.Model.Name
	if err := r.postJSON(ctx, "/api/generate", map[string]any{"model": name, "keep_alive": 0}, nil); err != nil {
		return err
	}
	// Unloading is asynchronous; wait until /api/ps no longer lists it.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var ps struct {
			Models []struct {
				Name  string `json:"name"`
				Model string `json:"model"`
			} `json:"models"`
		}
		if err := r.getJSON(ctx, "/api/ps", &ps); err != nil {
			return err
		}
		loaded := false
		for _, m := range ps.Models {
			if m.Name == name || m.Model == name || m.Name == name+":latest" {
				loaded = true
			}
		}
		if !loaded {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	var out struct {
		LoadDuration int64 `json:"load_duration"`
	}
	// A one-token answer, not a bare load request: Ollama reports
	// load_duration only with an answer. Its prompt and token take
	// milliseconds next to a load.
	t0 := time.Now()
	loadOpts := map[string]any{"num_predict": 1, "temperature": 0}
	if r.numCtx > 0 {
		loadOpts["num_ctx"] = r.numCtx
	}
	if err := r.postJSON(ctx, "/api/generate", map[string]any{"model": name, "prompt": "Hallo", "stream": false,
		"options": loadOpts}, &out); err != nil {
		return err
	}
	lf.ClientMS = ms(time.Since(t0))
	lf.RuntimeMS = float64(out.LoadDuration) / 1e6
	return nil
}

func (r *runner) getJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.ep.root()+path, nil)
	if err != nil {
		return &RunError{Kind: KindBadEndpoint, Err: err}
	}
	return r.do(req, v)
}

func (r *runner) postJSON(ctx context.Context, path string, body, v any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.ep.root()+path, bytes.NewReader(b))
	if err != nil {
		return &RunError{Kind: KindBadEndpoint, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	return r.do(req, v)
}

func (r *runner) do(req *http.Request, v any) error {
	if r.ep.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+r.ep.APIKey)
	}
	ctx, cancel := context.WithTimeout(req.Context(), r.opts.FirstTokenTimeout)
	defer cancel()
	resp, err := r.ep.httpClient().Do(req.WithContext(ctx))
	if err != nil {
		return classify(req.Context(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return classify(req.Context(), err)
	}
	if resp.StatusCode != http.StatusOK {
		return statusError(resp.StatusCode, fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, ollamaErrorText(body)))
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &RunError{Kind: KindStreamBroken, Err: fmt.Errorf("%s: invalid JSON: %w", req.URL.Path, err)}
	}
	return nil
}

// consentPlan is what a run of b against ep sends, for cloud.Authorize.
func consentPlan(ep Endpoint, b *Bundle) cloud.Plan {
	p := cloud.Plan{Endpoint: cloud.Endpoint{BaseURL: ep.URL}, BundleID: b.ID, BundleVersion: b.Version, CloudAllowed: b.AllowsCloud()}
	for _, pr := range b.Prompts {
		p.Prompts = append(p.Prompts, cloud.PromptInfo{ID: pr.ID, UseCase: pr.Title})
	}
	return p
}
