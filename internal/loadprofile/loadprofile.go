package loadprofile

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shirou/gopsutil/v4/disk"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/runtime"
)

// Options for Run.
type Options struct {
	// Endpoint is the Ollama base URL, e.g. http://127.0.0.1:11434.
	Endpoint string
	Target   gguf.Target
	// Dir is where the synthetic file is written (default: the system's
	// temp folder). It is removed again before Run returns.
	Dir string
	// Tokens generated per measured answer (default 64) and number of
	// measured answers after one warm-up (default 3).
	Tokens, Runs int
	Seed         uint64
	// NumThread, if set, is Ollama's num_thread option (CPU threads for
	// decoding); 0 leaves Ollama's choice (one per physical core).
	NumThread int
	// Progress, if set, is told each stage and, while writing and
	// uploading, the bytes done.
	Progress func(Progress)
}

// Stages of a load profile run, in order.
const (
	StageWrite    = "write"    // writing the synthetic file
	StageUpload   = "upload"   // copying it into Ollama
	StageCreate   = "create"   // Ollama registers the model
	StageLoad     = "load"     // first answer: the model is loaded into memory
	StageGenerate = "generate" // measured answers
	StageCleanup  = "cleanup"  // model and file removed
)

// Progress is one progress report.
type Progress struct {
	Stage       string
	Done, Total int64 // bytes (write, upload) or answers (generate)
}

// Sample is one measured answer with Ollama's own timings.
type Sample struct {
	PromptTokens int     `json:"prompt_tokens"`
	PromptTPS    float64 `json:"prompt_tps"`
	DecodeTokens int     `json:"decode_tokens"`
	DecodeTPS    float64 `json:"decode_tps"`
	TotalMS      float64 `json:"total_ms"`
}

// Result is what a load profile run measured. It is kept (and marked
// incomplete) when the run fails or is cancelled midway.
type Result struct {
	Model          string     `json:"model"`
	Quant          gguf.Quant `json:"quant"`
	Shape          gguf.Shape `json:"shape"`
	FileBytes      int64      `json:"file_bytes"`
	PublishedBytes int64      `json:"published_bytes,omitempty"`
	SizeDeviation  float64    `json:"size_deviation,omitempty"`
	Endpoint       string     `json:"endpoint"`
	RuntimeVersion string     `json:"runtime_version,omitempty"`
	WriteMS        float64    `json:"write_ms,omitempty"`
	UploadMS       float64    `json:"upload_ms,omitempty"`
	LoadMS         float64    `json:"load_ms,omitempty"` // Ollama's load_duration of the first answer
	Samples        []Sample   `json:"samples"`
	// DecodeTPS and PromptTPS are the medians over Samples.
	DecodeTPS float64 `json:"decode_tps,omitempty"`
	PromptTPS float64 `json:"prompt_tps,omitempty"`
	Complete  bool    `json:"complete"`
	// CleanupError says what could not be removed (empty when all was).
	CleanupError string `json:"cleanup_error,omitempty"`
}

// UnreachableError says no Ollama answered at the endpoint.
type UnreachableError struct {
	Endpoint string
	Err      error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("load profile: no Ollama answers at %s: %v", e.Endpoint, e.Err)
}
func (e *UnreachableError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *UnreachableError) Hint() string {
	return "start Ollama (or give its address with --endpoint); the load profile test needs Ollama"
}

// MemoryError says Ollama refused to load the model because this PC has too
// little memory for it: for a load profile that is a finding, not a fault.
type MemoryError struct {
	Detail string // Ollama's message
}

func (e *MemoryError) Error() string {
	return "load profile: the model does not fit into this PC's memory: " + e.Detail
}

// Hint says what to do.
func (e *MemoryError) Hint() string {
	return "choose a smaller model or quantization; with this much memory a model of this size cannot run here"
}

// asMemoryError recognises Ollama's refusal to load a model that does not
// fit (llm/server.go: "model requires more system memory … than is available").
func asMemoryError(err error) error {
	var ae *runtime.APIError
	if errors.As(err, &ae) && strings.Contains(ae.Message, "requires more system memory") {
		return &MemoryError{Detail: ae.Message}
	}
	return err
}

// DiskSpaceError says the synthetic file does not fit.
type DiskSpaceError struct {
	Dir        string
	Need, Free uint64
}

func (e *DiskSpaceError) Error() string {
	return fmt.Sprintf("not enough free disk space in %s: the load profile needs %.1f GB, %.1f GB are free", e.Dir, float64(e.Need)/1e9, float64(e.Free)/1e9)
}

// Hint says what to do.
func (e *DiskSpaceError) Hint() string {
	return "free disk space, choose a smaller model or quantization, or write the file elsewhere (--dir)"
}

// diskNeed is the space to check before writing: the file, Ollama's copy
// of it (when Ollama keeps its models on the same disk) and a margin.
func diskNeed(size int64) uint64 { return uint64(2*size) + 1<<30 }

// Run performs the load profile. The model is created in Ollama under a
// unique name and deleted afterwards; the file is deleted as soon as Ollama
// has its copy. Cleanup runs even when ctx is cancelled.
func Run(ctx context.Context, opts Options) (res Result, err error) {
	if opts.Tokens <= 0 {
		opts.Tokens = 64
	}
	if opts.Runs <= 0 {
		opts.Runs = 3
	}
	if opts.Dir == "" {
		opts.Dir = os.TempDir()
	}
	progress := func(p Progress) {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	endpoint, err := runtime.NormalizeEndpoint(opts.Endpoint)
	if err != nil {
		return Result{}, err
	}
	match, err := gguf.Like(opts.Target, opts.Seed)
	if err != nil {
		return Result{}, err
	}
	l := match.Layout
	res = Result{Model: opts.Target.Name, Quant: l.Spec.Quant, Shape: l.Spec.Shape, FileBytes: l.Size,
		PublishedBytes: opts.Target.FileSize, SizeDeviation: match.Deviation, Endpoint: endpoint, Samples: []Sample{}}

	client := &runtime.Ollama{BaseURL: endpoint}
	if res.RuntimeVersion, err = client.Version(ctx); err != nil {
		return res, &UnreachableError{Endpoint: endpoint, Err: err}
	}
	if usage, err := disk.UsageWithContext(ctx, opts.Dir); err == nil {
		if need := diskNeed(l.Size); usage.Free < need {
			return res, &DiskSpaceError{Dir: opts.Dir, Need: need, Free: usage.Free}
		}
	} // an unknown free space is not a reason to refuse; a full disk fails the write

	dir, err := os.MkdirTemp(opts.Dir, "kicheck-lastprofil-")
	if err != nil {
		return res, fmt.Errorf("load profile: %w", err)
	}
	name := modelName(opts.Target.Name, l.Spec.Quant)
	created := false
	defer func() {
		progress(Progress{Stage: StageCleanup})
		var problems []string
		// Cleanup must run even when ctx is already cancelled.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if created {
			if uerr := client.Unload(cctx, name); uerr != nil {
				problems = append(problems, uerr.Error())
			}
			if derr := client.Delete(cctx, name); derr != nil {
				problems = append(problems, derr.Error())
			}
		}
		if rerr := os.RemoveAll(dir); rerr != nil {
			problems = append(problems, rerr.Error())
		}
		res.CleanupError = strings.Join(problems, "; ")
	}()

	// Write the file, hashing it on the way so the upload needs no second read.
	path := filepath.Join(dir, "model.gguf")
	start := time.Now()
	digest, err := writeHashed(ctx, path, l, func(done, total int64) {
		progress(Progress{Stage: StageWrite, Done: done, Total: total})
	})
	if err != nil {
		return res, err
	}
	res.WriteMS = ms(time.Since(start))

	start = time.Now()
	client.UploadProgress = func(done, total int64) { progress(Progress{Stage: StageUpload, Done: done, Total: total}) }
	progress(Progress{Stage: StageUpload, Total: l.Size})
	if _, err := client.PushBlob(ctx, path, digest); err != nil {
		return res, fmt.Errorf("load profile: %w", err)
	}
	res.UploadMS = ms(time.Since(start))
	progress(Progress{Stage: StageCreate})
	created = true // from here on the model may exist, so cleanup tries to delete it
	if err := client.CreateFromGGUF(ctx, name, path, digest, nil); err != nil {
		return res, fmt.Errorf("load profile: %w", err)
	}
	// Ollama has its own copy now: give the disk space back early.
	os.Remove(path)

	options := map[string]any{"num_predict": opts.Tokens, "num_ctx": 1024, "temperature": 0, "seed": 1}
	if opts.NumThread > 0 {
		options["num_thread"] = opts.NumThread
	}
	if l.Spec.Shape.TiedEmbeddings {
		options["temperature"] = 1 // greedy decoding of a tied synthetic model loops (docs/gguf.md)
	}
	progress(Progress{Stage: StageLoad})
	warm, err := client.Generate(ctx, runtime.GenerateRequest{Model: name, Prompt: prompt(0), Options: withPredict(options, 8), KeepAlive: "5m"})
	if err != nil {
		if me := asMemoryError(err); me != err {
			return res, me
		}
		return res, fmt.Errorf("load profile: %w", err)
	}
	res.LoadMS = ms(warm.LoadDuration)
	for i := 1; i <= opts.Runs; i++ {
		progress(Progress{Stage: StageGenerate, Done: int64(i - 1), Total: int64(opts.Runs)})
		g, err := client.Generate(ctx, runtime.GenerateRequest{Model: name, Prompt: prompt(i), Options: options, KeepAlive: "5m"})
		if err != nil {
			res.summarize()
			return res, fmt.Errorf("load profile: %w", err)
		}
		if g.EvalCount != opts.Tokens || g.EvalDuration <= 0 {
			// Ollama ends a generation early without timings when it
			// aborts it (e.g. on a repeated token): no usable sample.
			res.summarize()
			return res, fmt.Errorf("load profile: answer %d ended after %d of %d tokens (done_reason %q) without Ollama's timings", i, g.EvalCount, opts.Tokens, g.DoneReason)
		}
		res.Samples = append(res.Samples, Sample{PromptTokens: g.PromptEvalCount, PromptTPS: g.PromptTPS(),
			DecodeTokens: g.EvalCount, DecodeTPS: g.DecodeTPS(), TotalMS: ms(g.TotalDuration)})
	}
	progress(Progress{Stage: StageGenerate, Done: int64(opts.Runs), Total: int64(opts.Runs)})
	res.summarize()
	res.Complete = true
	return res, nil
}

func (r *Result) summarize() {
	var dec, pp []float64
	for _, s := range r.Samples {
		dec = append(dec, s.DecodeTPS)
		if s.PromptTPS > 0 {
			pp = append(pp, s.PromptTPS)
		}
	}
	r.DecodeTPS, r.PromptTPS = median(dec), median(pp)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func withPredict(o map[string]any, n int) map[string]any {
	c := make(map[string]any, len(o))
	for k, v := range o {
		c[k] = v
	}
	c["num_predict"] = n
	return c
}

// prompt returns a different ASCII-only prompt per answer, so no answer
// profits from the previous one's prompt cache (and a tied synthetic model
// never sees a byte token last, see docs/gguf.md).
func prompt(i int) string {
	return fmt.Sprintf("Lastprofil-Test %d: Bitte fassen Sie den folgenden Bescheid kurz zusammen. Der Antrag vom %d. Mai wurde geprueft und bewilligt.", i, 1+i%28)
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/10) / 100 }

// modelName is unique per run, so two runs (or a user's own model) never
// collide, and recognisable in `ollama list` if a cleanup ever fails.
func modelName(id string, q gguf.Quant) string {
	var b [4]byte
	rand.Read(b[:])
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, id+"-"+string(q))
	return "kicheck-lastprofil-" + clean + "-" + hex.EncodeToString(b[:])
}

func writeHashed(ctx context.Context, path string, l *gguf.Layout, progress gguf.Progress) (string, error) {
	f, err := os.Create(path)
	if err != nil {
		return "", fmt.Errorf("load profile: %w", err)
	}
	h := sha256.New()
	err = l.Write(ctx, io.MultiWriter(f, h), progress)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return "", err
		}
		return "", fmt.Errorf("load profile: write %s: %w", path, err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
