package runtime

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// Ollama talks to one Ollama server's own API (/api/...). It is used for
// what discovery cannot do with read-only requests: creating a model from a
// local GGUF file, generating with Ollama's own timings, deleting a model.
type Ollama struct {
	BaseURL string       // e.g. http://127.0.0.1:11434, without a trailing slash
	HTTP    *http.Client // nil: a client without an overall timeout (generation can be slow); use ctx
	// UploadProgress, if set, is called while a blob is uploaded.
	UploadProgress func(done, total int64)
}

// countingReader reports how much of an upload has been read.
type countingReader struct {
	r           io.Reader
	done, total int64
	report      func(done, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.done += int64(n)
	c.report(c.done, c.total)
	return n, err
}

func (o *Ollama) client() *http.Client {
	if o.HTTP != nil {
		return o.HTTP
	}
	return http.DefaultClient
}

func (o *Ollama) url(path string) string { return strings.TrimRight(o.BaseURL, "/") + path }

// APIError is an error answer of the runtime.
type APIError struct {
	Status  int
	Message string
	URL     string
}

func (e *APIError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("%s: %s", e.URL, e.Message)
	}
	return fmt.Sprintf("%s: HTTP %d: %s", e.URL, e.Status, e.Message)
}

func (o *Ollama) do(ctx context.Context, method, path string, body io.Reader, contentLength int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, o.url(path), body)
	if err != nil {
		return nil, err
	}
	switch {
	case contentLength > 0: // a file upload
		req.ContentLength = contentLength
		req.Header.Set("Content-Type", "application/octet-stream")
	case body != nil: // contentLength < 0 marks a JSON body
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := o.client().Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		msg := strings.TrimSpace(string(b))
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		return nil, &APIError{Status: resp.StatusCode, Message: msg, URL: req.URL.String()}
	}
	return resp, nil
}

func (o *Ollama) postJSON(ctx context.Context, path string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	resp, err := o.do(ctx, http.MethodPost, path, bytes.NewReader(b), -1)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Version returns the server's version string.
func (o *Ollama) Version(ctx context.Context) (string, error) {
	resp, err := o.do(ctx, http.MethodGet, "/api/version", nil, 0)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var v struct {
		Version string `json:"version"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return "", fmt.Errorf("%s: %w", o.url("/api/version"), err)
	}
	return v.Version, nil
}

// FileDigest returns the "sha256:<hex>" digest Ollama names blobs by.
func FileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// PushBlob uploads a file as a blob unless the server has it already.
// digest may be empty, then it is computed (a full read of the file).
func (o *Ollama) PushBlob(ctx context.Context, path, digest string) (string, error) {
	if digest == "" {
		var err error
		if digest, err = FileDigest(path); err != nil {
			return "", fmt.Errorf("upload %s: %w", path, err)
		}
	}
	if resp, err := o.do(ctx, http.MethodHead, "/api/blobs/"+digest, nil, 0); err == nil {
		resp.Body.Close()
		return digest, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("upload %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("upload %s: %w", path, err)
	}
	var body io.Reader = f
	if o.UploadProgress != nil {
		body = &countingReader{r: f, total: fi.Size(), report: o.UploadProgress}
	}
	resp, err := o.do(ctx, http.MethodPost, "/api/blobs/"+digest, body, fi.Size())
	if err != nil {
		return "", fmt.Errorf("upload %s: %w", path, err)
	}
	resp.Body.Close()
	return digest, nil
}

// CreateFromGGUF makes model name from a local GGUF file: it uploads the
// file as a blob and creates the model from it (the API behind
// `ollama create NAME -f Modelfile` with `FROM file.gguf`). status, if not
// nil, gets Ollama's progress lines.
func (o *Ollama) CreateFromGGUF(ctx context.Context, name, path, digest string, status func(string)) error {
	digest, err := o.PushBlob(ctx, path, digest)
	if err != nil {
		return err
	}
	req := map[string]any{
		"model": name,
		"files": map[string]string{"model.gguf": digest},
	}
	b, _ := json.Marshal(req)
	resp, err := o.do(ctx, http.MethodPost, "/api/create", bytes.NewReader(b), -1)
	if err != nil {
		return fmt.Errorf("create model %s: %w", name, err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	success := false
	for sc.Scan() {
		var line struct {
			Status string `json:"status"`
			Error  string `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return fmt.Errorf("create model %s: unreadable progress line %q: %w", name, sc.Text(), err)
		}
		if line.Error != "" {
			return fmt.Errorf("create model %s: %w", name, &APIError{Message: line.Error, URL: o.url("/api/create")})
		}
		if status != nil {
			status(line.Status)
		}
		success = success || line.Status == "success"
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("create model %s: %w", name, err)
	}
	if !success {
		return fmt.Errorf("create model %s: the server ended without reporting success", name)
	}
	return nil
}

// Delete removes a model. A model that does not exist is not an error.
func (o *Ollama) Delete(ctx context.Context, name string) error {
	b, _ := json.Marshal(map[string]string{"model": name})
	resp, err := o.do(ctx, http.MethodDelete, "/api/delete", bytes.NewReader(b), -1)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete model %s: %w", name, err)
	}
	resp.Body.Close()
	return nil
}

// Unload asks the server to drop a model from memory now.
func (o *Ollama) Unload(ctx context.Context, name string) error {
	return o.postJSON(ctx, "/api/generate", map[string]any{"model": name, "keep_alive": 0}, nil)
}

// GenerateRequest is a non-streaming /api/generate call.
type GenerateRequest struct {
	Model   string         `json:"model"`
	Prompt  string         `json:"prompt"`
	Raw     bool           `json:"raw,omitempty"`
	Options map[string]any `json:"options,omitempty"`
	// KeepAlive as Ollama reads it ("5m", 0); nil leaves the server default.
	KeepAlive any `json:"keep_alive,omitempty"`
}

// GenerateResult holds the answer and Ollama's own timings.
type GenerateResult struct {
	Response           string        `json:"response"`
	DoneReason         string        `json:"done_reason"`
	TotalDuration      time.Duration `json:"total_duration"`
	LoadDuration       time.Duration `json:"load_duration"`
	PromptEvalCount    int           `json:"prompt_eval_count"`
	PromptEvalDuration time.Duration `json:"prompt_eval_duration"`
	EvalCount          int           `json:"eval_count"`
	EvalDuration       time.Duration `json:"eval_duration"`
}

// DecodeTPS is Ollama's own decode speed (eval_count / eval_duration).
func (r GenerateResult) DecodeTPS() float64 {
	if r.EvalDuration <= 0 {
		return 0
	}
	return float64(r.EvalCount) / r.EvalDuration.Seconds()
}

// PromptTPS is Ollama's own prompt-processing speed.
func (r GenerateResult) PromptTPS() float64 {
	if r.PromptEvalDuration <= 0 {
		return 0
	}
	return float64(r.PromptEvalCount) / r.PromptEvalDuration.Seconds()
}

// Generate runs one non-streaming generation.
func (o *Ollama) Generate(ctx context.Context, req GenerateRequest) (GenerateResult, error) {
	body := struct {
		GenerateRequest
		Stream bool `json:"stream"`
	}{req, false}
	var res GenerateResult
	if err := o.postJSON(ctx, "/api/generate", body, &res); err != nil {
		return GenerateResult{}, fmt.Errorf("generate with %s: %w", req.Model, err)
	}
	return res, nil
}
