package load

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Load shapes.
const (
	ShapeSweep   = "sweep"
	ShapePoisson = "poisson"
	ShapeDay     = "day"
)

// Bounds of a run.
const (
	MinConcurrency = 1
	MaxConcurrency = 1024
)

// Options describe one load run.
type Options struct {
	URL      string // server base URL
	Protocol string // ProtocolOllama or ProtocolOpenAI
	Model    string
	APIKey   string
	// HTTPClient carries proxy and CA for a remote endpoint
	// (cloud.HTTPClient); nil: a loopback client sized for the run.
	HTTPClient *http.Client
	// Consent for a non-loopback endpoint (cloud.Authorize with the mix's
	// prompts); nil refuses such an endpoint.
	Consent *cloud.Consent
	Bundle  string // prompt bundle id the mix came from (for the consent)
	// CloudAllowed is the bundle's cloud_allowed flag.
	CloudAllowed bool

	Shape string
	Mix   []Work

	// Sweep: levels 1, 2, 4, … up to MaxConc; RequestsPerLevel requests
	// each (default 2×level, at least 8).
	MaxConc          int
	RequestsPerLevel int
	// FullSweep runs every level up to MaxConc even after saturation.
	FullSweep bool
	// Poisson: requests per second, RateRequests requests in all.
	Rate float64
	// Day: Clerks clerks, each waiting a random think time (exponential,
	// mean ThinkTime) between answer and next request.
	Clerks    int
	ThinkTime time.Duration

	MaxDuration    time.Duration // whole run; 0 = 10 minutes
	MaxRequests    int           // whole run; 0 = 10,000
	RequestTimeout time.Duration // one request; 0 = 5 minutes
	Seed           uint64

	// Label names the runtime or setting (framework comparison).
	Label string

	// OllamaOptions are added to every /api/chat request's options
	// (e.g. num_thread); the runtime's defaults otherwise.
	OllamaOptions map[string]any

	// Progress is called as requests finish, from the goroutines that
	// sent them but never two calls at once.
	Progress func(Progress)
	// keepGaps: pooled ITL needs every gap; on by default.
	noGaps bool
}

// Progress is reported as requests finish.
type Progress struct {
	Shape    string  `json:"shape"`
	Level    int     `json:"level"`
	Done     int     `json:"done"`  // requests finished in the run
	Total    int     `json:"total"` // planned, 0 = open-ended
	Errors   int     `json:"errors"`
	Elapsed  float64 `json:"elapsed_s"`
	TokPerS  float64 `json:"tok_per_s"` // last finished level's throughput
	LevelEnd bool    `json:"level_end"`
}

// Result is a whole run.
type Result struct {
	Shape      string    `json:"shape"`
	URL        string    `json:"url"`
	Protocol   string    `json:"protocol"`
	Model      string    `json:"model"`
	Started    time.Time `json:"started"`
	Seconds    float64   `json:"seconds"`
	Complete   bool      `json:"complete"`
	Incomplete string    `json:"incomplete,omitempty"` // cancelled, max_duration, max_requests, server_gone
	Clerks     int       `json:"clerks,omitempty"`
	ThinkS     float64   `json:"think_s,omitempty"`
	Rate       float64   `json:"rate,omitempty"`
	Mix        []Work    `json:"mix"`
	Levels     []Level   `json:"levels"`
	// Saturation is the first sweep level at which throughput stayed flat
	// over two levels while the median end-to-end latency kept growing
	// (saturation()); 0 = not reached.
	Saturation int     `json:"saturation"`
	Answer     *Answer `json:"answer,omitempty"`
	// Slots: the server's parallel slots, not readable; a sweep infers them.
	Slots *Slots `json:"slots,omitempty"`
	// Label names the runtime or setting in a framework comparison.
	Label   string    `json:"label,omitempty"`
	Samples []*Sample `json:"-"`
}

// Error is a refusal before anything was measured, with a hint.
type Error struct {
	Msg i18n.Msg
	Tip i18n.Msg
	Err error
	// Lang is the language of Error and Hint ("" = German).
	Lang string
}

func (e *Error) lang() string {
	if e.Lang == "" {
		return i18n.Default
	}
	return e.Lang
}

func (e *Error) Error() string {
	s := e.Msg.Text(e.lang())
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}
func (e *Error) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *Error) Hint() string { return e.Tip.Text(e.lang()) }

// Localize renders the texts in lang (i18n.Localizer), the cause as Error
// has it.
func (e *Error) Localize(lang string) (msg, hint string) {
	l := *e
	l.Lang = lang
	return l.Error(), l.Hint()
}

func newErr(id, hint string, data map[string]any, err error) *Error {
	return &Error{Msg: i18n.Msg{ID: id, Data: data}, Tip: i18n.Msg{ID: hint, Data: data}, Err: err}
}

// Validate checks the options a person gave.
func (o *Options) Validate() error {
	u, err := url.Parse(o.URL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return newErr("load.error.url", "load.hint.url", map[string]any{"URL": i18n.Escape(o.URL)}, err)
	}
	if o.Model == "" {
		return newErr("load.error.model_missing", "load.hint.model_missing", nil, nil)
	}
	if o.Protocol == "" {
		o.Protocol = ProtocolOllama
	}
	if o.Protocol != ProtocolOllama && o.Protocol != ProtocolOpenAI {
		return newErr("load.error.protocol", "load.hint.protocol", map[string]any{"Protocol": i18n.Escape(o.Protocol)}, nil)
	}
	if len(o.Mix) == 0 {
		return newErr("load.error.mix", "load.hint.mix", nil, nil)
	}
	conc := func(n int) error {
		if n < MinConcurrency || n > MaxConcurrency {
			return newErr("load.error.concurrency", "load.hint.concurrency",
				map[string]any{"N": n, "Min": MinConcurrency, "Max": MaxConcurrency}, nil)
		}
		return nil
	}
	switch o.Shape {
	case ShapeSweep:
		if err := conc(o.MaxConc); err != nil {
			return err
		}
	case ShapePoisson:
		if !(o.Rate > 0 && o.Rate <= 1000) {
			return newErr("load.error.rate", "load.hint.rate", map[string]any{"Rate": o.Rate}, nil)
		}
		if o.MaxConc == 0 {
			o.MaxConc = MaxConcurrency
		}
		if err := conc(o.MaxConc); err != nil {
			return err
		}
	case ShapeDay:
		if err := conc(o.Clerks); err != nil {
			return err
		}
		if o.ThinkTime < 0 {
			return newErr("load.error.think", "load.hint.think", nil, nil)
		}
	default:
		return newErr("load.error.shape", "load.hint.shape", map[string]any{"Shape": i18n.Escape(o.Shape)}, nil)
	}
	if o.MaxDuration < 0 || o.MaxDuration > 24*time.Hour {
		return newErr("load.error.duration", "load.hint.duration", map[string]any{"D": o.MaxDuration.String()}, nil)
	}
	if o.MaxRequests < 0 || o.MaxRequests > 1_000_000 {
		return newErr("load.error.requests", "load.hint.requests", map[string]any{"N": o.MaxRequests}, nil)
	}
	if o.MaxDuration == 0 {
		o.MaxDuration = 10 * time.Minute
	}
	if o.MaxRequests == 0 {
		o.MaxRequests = 10_000
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = 5 * time.Minute
	}
	return nil
}

// IsRemote reports whether the endpoint is off this PC.
func (o *Options) IsRemote() bool { return !cloud.IsLoopbackURL(o.URL) }

// Plan is the consent plan of this run: the mix's prompts to this host.
func (o *Options) Plan() cloud.Plan {
	p := cloud.Plan{Endpoint: cloud.Endpoint{BaseURL: o.URL, Model: o.Model}, BundleID: o.Bundle, CloudAllowed: o.CloudAllowed}
	for _, w := range o.Mix {
		p.Prompts = append(p.Prompts, cloud.PromptInfo{ID: w.ID, UseCase: w.UseCase})
	}
	return p
}

// Run runs the load. It returns what it measured even with an error; a
// cancelled or bounded run is marked incomplete, not failed.
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.IsRemote() {
		if err := cloud.Authorize(o.Plan(), o.Consent); err != nil {
			return nil, err
		}
	}
	client := o.HTTPClient
	if client == nil {
		n := max(o.MaxConc, o.Clerks, 1)
		tr := &http.Transport{MaxIdleConns: n + 8, MaxIdleConnsPerHost: n + 8, MaxConnsPerHost: 0,
			IdleConnTimeout: 90 * time.Second, DisableCompression: true}
		client = &http.Client{Transport: tr}
		defer tr.CloseIdleConnections()
	}
	tg := target{url: o.URL, protocol: o.Protocol, model: o.Model, apiKey: o.APIKey, client: client, timeout: o.RequestTimeout, ollamaOptions: o.OllamaOptions}
	r := &Result{Shape: o.Shape, URL: redact(o.URL), Protocol: o.Protocol, Model: o.Model, Started: time.Now().UTC(), Mix: o.Mix,
		Clerks: o.Clerks, ThinkS: o.ThinkTime.Seconds(), Rate: o.Rate, Label: o.Label}
	// Preflight: one request says whether this is a model server with
	// this model before any load is put on it.
	var pre Sample
	tg.do(ctx, o.Mix[0], &pre, false)
	if pre.Error != "" {
		return r, preflightError(o, &pre)
	}
	rn := &runner{o: o, tg: tg, r: r, t0: time.Now(), rng: rand.New(rand.NewPCG(o.Seed, 0x10ad))}
	runCtx, cancel := context.WithTimeout(ctx, o.MaxDuration)
	defer cancel()
	switch o.Shape {
	case ShapeSweep:
		rn.sweep(runCtx)
	case ShapePoisson:
		rn.poisson(runCtx)
	case ShapeDay:
		rn.day(runCtx)
	}
	r.Seconds = time.Since(rn.t0).Seconds()
	switch {
	case ctx.Err() != nil:
		r.Incomplete = "cancelled"
	case runCtx.Err() != nil:
		r.Incomplete = "max_duration"
	case rn.capped:
		r.Incomplete = "max_requests"
	case rn.gone:
		r.Incomplete = "server_gone"
	}
	if o.Shape != ShapeSweep && (r.Incomplete == "max_duration" || r.Incomplete == "max_requests") {
		r.Incomplete = "" // a day or a Poisson run ends at its bounds by design
	}
	r.Complete = r.Incomplete == ""
	r.Answer = answer(r)
	r.Slots = inferSlots(r)
	return r, nil
}

func preflightError(o Options, s *Sample) error {
	data := map[string]any{"URL": i18n.Escape(redact(o.URL)), "Model": i18n.Escape(o.Model), "Detail": i18n.Escape(truncate(s.Detail, 200))}
	switch s.Error {
	case ErrNotFound:
		return newErr("load.error.not_found", "load.hint.not_found", data, nil)
	case ErrRefused:
		return newErr("load.error.refused", "load.hint.refused", data, nil)
	case ErrBadReply, ErrBroken:
		return newErr("load.error.not_model_server", "load.hint.not_model_server", data, nil)
	case ErrTimeout:
		return newErr("load.error.preflight_timeout", "load.hint.preflight_timeout", data, nil)
	}
	return newErr("load.error.preflight", "load.hint.preflight", data, nil)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

type runner struct {
	o      Options
	tg     target
	r      *Result
	t0     time.Time
	mu     sync.Mutex
	rng    *rand.Rand
	sent   int
	done   int
	errs   int
	capped bool
	gone   bool
	lastTP float64
	// progressMu makes the calls of o.Progress one at a time: requests
	// finish on many goroutines, and the callers keep state between calls
	// (the time of the last line shown).
	progressMu sync.Mutex
}

// progress hands p to o.Progress, one call at a time.
func (rn *runner) progress(p Progress) {
	if rn.o.Progress == nil {
		return
	}
	rn.progressMu.Lock()
	defer rn.progressMu.Unlock()
	rn.o.Progress(p)
}

// take reserves one request of the run's budget.
func (rn *runner) take() bool {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if rn.sent >= rn.o.MaxRequests {
		rn.capped = true
		return false
	}
	rn.sent++
	return true
}

func (rn *runner) pick() Work {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	total := 0.0
	for _, w := range rn.o.Mix {
		total += max(w.Weight, 0)
	}
	if total == 0 {
		return rn.o.Mix[rn.rng.IntN(len(rn.o.Mix))]
	}
	x := rn.rng.Float64() * total
	for _, w := range rn.o.Mix {
		x -= max(w.Weight, 0)
		if x < 0 {
			return w
		}
	}
	return rn.o.Mix[len(rn.o.Mix)-1]
}

func (rn *runner) expo(mean time.Duration) time.Duration {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	return time.Duration(rn.rng.ExpFloat64() * float64(mean))
}

// one sends one request and records it; it reports false when the run
// must stop (budget or context).
func (rn *runner) one(ctx context.Context, level int, w Work, out *[]*Sample, mu *sync.Mutex, total int) bool {
	if ctx.Err() != nil || !rn.take() {
		return false
	}
	s := &Sample{Level: level, Work: w.ID, UseCase: w.UseCase, StartMS: ms(time.Since(rn.t0))}
	rn.tg.do(ctx, w, s, !rn.o.noGaps)
	if ctx.Err() != nil && s.Error != "" {
		return false // cut off by cancel or the run's bound: not a measurement
	}
	s.Good = w.Limits.meets(s)
	mu.Lock()
	*out = append(*out, s)
	mu.Unlock()
	rn.mu.Lock()
	rn.done++
	if s.Error != "" {
		rn.errs++
	}
	p := Progress{Shape: rn.o.Shape, Level: level, Done: rn.done, Total: total, Errors: rn.errs,
		Elapsed: time.Since(rn.t0).Seconds(), TokPerS: rn.lastTP}
	rn.mu.Unlock()
	rn.progress(p)
	return true
}

func (rn *runner) finishLevel(level, users int, ss []*Sample) Level {
	lv := summarise(level, ss, users)
	rn.r.Levels = append(rn.r.Levels, lv)
	rn.r.Samples = append(rn.r.Samples, ss...)
	rn.mu.Lock()
	rn.lastTP = lv.TokPerS
	p := Progress{Shape: rn.o.Shape, Level: level, Done: rn.done, Errors: rn.errs, Elapsed: time.Since(rn.t0).Seconds(), TokPerS: lv.TokPerS, LevelEnd: true}
	rn.mu.Unlock()
	rn.progress(p)
	if lv.Requests > 0 && lv.Errors[ErrRefused] == lv.Requests {
		rn.gone = true
	}
	return lv
}

// Levels of a sweep: 1, 2, 4, … up to max (max itself last).
func SweepLevels(maxConc int) []int {
	var ls []int
	for c := 1; c < maxConc; c *= 2 {
		ls = append(ls, c)
	}
	return append(ls, maxConc)
}

func (rn *runner) sweep(ctx context.Context) {
	total := 0
	for _, c := range SweepLevels(rn.o.MaxConc) {
		total += rn.perLevel(c)
	}
	for _, c := range SweepLevels(rn.o.MaxConc) {
		if ctx.Err() != nil || rn.capped || rn.gone {
			return
		}
		n := rn.perLevel(c)
		var ss []*Sample
		var mu sync.Mutex
		var wg sync.WaitGroup
		var next int
		var nmu sync.Mutex
		for range c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					nmu.Lock()
					if next >= n {
						nmu.Unlock()
						return
					}
					next++
					nmu.Unlock()
					if !rn.one(ctx, c, rn.pick(), &ss, &mu, total) {
						return
					}
				}
			}()
		}
		wg.Wait()
		if len(ss) == 0 {
			return
		}
		rn.finishLevel(c, c, ss)
		if sat := saturation(rn.r.Levels); sat > 0 && rn.r.Saturation == 0 {
			rn.r.Saturation = sat
			if !rn.o.FullSweep {
				return
			}
		}
		if lv := rn.r.Levels[len(rn.r.Levels)-1]; lv.OK*2 < lv.Requests {
			return // more than half failed: the server is past its limit
		}
	}
}

func (rn *runner) perLevel(c int) int {
	if rn.o.RequestsPerLevel > 0 {
		return max(rn.o.RequestsPerLevel, c)
	}
	return max(8, 2*c)
}

// saturation returns the level at which the data show saturation, or 0.
// One flat level is not enough: on a busy machine a single level can lose
// throughput to another process (a recorded sweep in
// testdata/noisy_sweep.json did, and the one-level rule called a server
// saturated at 2 of its 4 slots). So the throughput has to stay flat over
// two levels in a row — b and c both bring less than 10 % over a, the
// last level that still grew — and the median end-to-end latency must
// have grown by more than half at both. The level reported is b.
func saturation(ls []Level) int {
	if len(ls) < 3 {
		return 0
	}
	for i := 0; i+2 < len(ls); i++ {
		a, b, c := ls[i], ls[i+1], ls[i+2]
		if a.TokPerS <= 0 || math.IsNaN(a.E2E.P50.Value) || math.IsNaN(b.E2E.P50.Value) || math.IsNaN(c.E2E.P50.Value) {
			continue
		}
		flat := b.TokPerS < 1.10*a.TokPerS && c.TokPerS < 1.10*a.TokPerS
		slower := b.E2E.P50.Value > 1.5*a.E2E.P50.Value && c.E2E.P50.Value > 1.4*b.E2E.P50.Value
		if flat && slower {
			return b.Level
		}
	}
	return 0
}

func (rn *runner) poisson(ctx context.Context) {
	level := int(math.Round(rn.o.Rate * 60)) // requests per minute
	var ss []*Sample
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, rn.o.MaxConc)
	mean := time.Duration(float64(time.Second) / rn.o.Rate)
	next := time.Now()
loop:
	for i := 0; i < rn.o.MaxRequests; i++ {
		next = next.Add(rn.expo(mean))
		select {
		case <-ctx.Done():
			break loop
		case <-time.After(time.Until(next)):
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			break loop
		}
		wg.Add(1)
		w := rn.pick()
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			rn.one(ctx, level, w, &ss, &mu, rn.o.MaxRequests)
		}()
	}
	wg.Wait()
	rn.capped = rn.capped || ctx.Err() == nil
	if len(ss) > 0 {
		rn.finishLevel(level, 0, ss)
	}
}

func (rn *runner) day(ctx context.Context) {
	var ss []*Sample
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range rn.o.Clerks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Clerks start spread over one think time, not all at once.
			if rn.o.ThinkTime > 0 {
				d := time.Duration(float64(rn.o.ThinkTime) * float64(i) / float64(rn.o.Clerks))
				select {
				case <-ctx.Done():
					return
				case <-time.After(d):
				}
			}
			for rn.one(ctx, rn.o.Clerks, rn.pick(), &ss, &mu, rn.o.MaxRequests) {
				select {
				case <-ctx.Done():
					return
				case <-time.After(rn.expo(rn.o.ThinkTime)):
				}
			}
		}()
	}
	wg.Wait()
	if len(ss) > 0 {
		rn.finishLevel(rn.o.Clerks, rn.o.Clerks, ss)
	}
}
