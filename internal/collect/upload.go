package collect

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// UploadOptions tune Upload.
type UploadOptions struct {
	Token string
	// Attempts is the number of tries (default 5); the wait doubles from
	// Backoff (default 2 s) up to 1 minute.
	Attempts int
	Backoff  time.Duration
	Client   *http.Client
}

// UploadError is a failed upload; the report stays where it was written.
type UploadError struct {
	URL    string
	Status int // 0 when no answer came
	Err    error
}

func (e *UploadError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("upload to %s: HTTP %d: %v", e.URL, e.Status, e.Err)
	}
	return fmt.Sprintf("upload to %s: %v", e.URL, e.Err)
}
func (e *UploadError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *UploadError) Hint() string {
	switch e.Status {
	case http.StatusUnauthorized:
		return "check the upload token of your organisational unit (--upload-token-file or KICHECK_UPLOAD_TOKEN); the report was kept locally"
	case http.StatusBadRequest:
		return "the central collection refused the report; ask IT (kicheck verify shows the same reason); the report was kept locally"
	}
	return "the report was kept locally; it can be uploaded again later or collected from the output folder"
}

// Upload sends a signed report to a KI-Check collection (POST
// /api/v1/reports, JSON envelope) and retries with backoff on network
// errors, 429 and 5xx. A duplicate (409) counts as delivered.
func Upload(ctx context.Context, url string, data, sig []byte, opts UploadOptions) (UploadResult, error) {
	if opts.Attempts <= 0 {
		opts.Attempts = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 2 * time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 60 * time.Second}
	}
	if !strings.HasSuffix(url, UploadPath) {
		url = strings.TrimSuffix(url, "/") + UploadPath
	}
	body, err := json.Marshal(envelope{Report: base64.StdEncoding.EncodeToString(data), Signature: string(sig)})
	if err != nil {
		return UploadResult{}, err
	}
	wait := opts.Backoff
	var last error = errors.New("no attempt made")
	for attempt := 1; attempt <= opts.Attempts; attempt++ {
		res, retry, err := uploadOnce(ctx, opts, url, body)
		if err == nil {
			return res, nil
		}
		last = err
		if !retry || attempt == opts.Attempts {
			break
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return UploadResult{}, &UploadError{URL: url, Err: ctx.Err()}
		}
		wait = min(2*wait, time.Minute)
	}
	return UploadResult{}, last
}

func uploadOnce(ctx context.Context, opts UploadOptions, url string, body []byte) (UploadResult, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return UploadResult{}, false, &UploadError{URL: url, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+opts.Token)
	resp, err := opts.Client.Do(req)
	if err != nil {
		return UploadResult{}, ctx.Err() == nil, &UploadError{URL: url, Err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch resp.StatusCode {
	case http.StatusCreated:
		var res UploadResult
		if err := json.Unmarshal(b, &res); err != nil {
			return UploadResult{}, false, &UploadError{URL: url, Status: resp.StatusCode, Err: fmt.Errorf("answer is not JSON: %w", err)}
		}
		return res, false, nil
	case http.StatusConflict:
		return UploadResult{Status: "duplicate", Message: "already stored"}, false, nil
	}
	var ae apiError
	msg := strings.TrimSpace(string(b))
	if json.Unmarshal(b, &ae) == nil && ae.Message != "" {
		msg = ae.Error + ": " + ae.Message
	}
	retry := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return UploadResult{}, retry, &UploadError{URL: url, Status: resp.StatusCode, Err: errors.New(msg)}
}
