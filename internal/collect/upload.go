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

	"github.com/ki-reise/kicheck/internal/i18n"
)

// UploadOptions tune Upload.
type UploadOptions struct {
	Token string
	// Attempts is the number of tries (default 5); the wait doubles from
	// Backoff (default 2 s) up to 1 minute.
	Attempts int
	Backoff  time.Duration
	Client   *http.Client
	// Lang is the language of the error texts and the one asked of the
	// server for its messages (Accept-Language); empty means German.
	Lang string
}

// UploadError is a failed upload; the report stays where it was written.
// Error and Hint are in Lang (German when empty); Err is the server's
// message (in the language asked for) or the technical cause.
type UploadError struct {
	URL    string
	Status int // 0 when no answer came
	Err    error
	Lang   string
}

func (e *UploadError) lang() string {
	if e.Lang == "" {
		return i18n.Default
	}
	return e.Lang
}

func (e *UploadError) Error() string {
	data := map[string]any{"URL": e.URL, "Status": e.Status, "Detail": fmt.Sprint(e.Err)}
	if e.Status != 0 {
		return i18n.T(e.lang(), "upload.failed_status", data)
	}
	return i18n.T(e.lang(), "upload.failed", data)
}
func (e *UploadError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *UploadError) Hint() string {
	switch e.Status {
	case http.StatusUnauthorized:
		return i18n.T(e.lang(), "upload.hint.unauthorized")
	case http.StatusBadRequest:
		return i18n.T(e.lang(), "upload.hint.refused")
	}
	return i18n.T(e.lang(), "upload.hint.kept")
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
	if opts.Lang == "" {
		opts.Lang = i18n.Default
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
			return UploadResult{}, &UploadError{URL: url, Err: ctx.Err(), Lang: opts.Lang}
		}
		wait = min(2*wait, time.Minute)
	}
	return UploadResult{}, last
}

func uploadOnce(ctx context.Context, opts UploadOptions, url string, body []byte) (UploadResult, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return UploadResult{}, false, &UploadError{URL: url, Err: err, Lang: opts.Lang}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", opts.Lang)
	req.Header.Set("Authorization", "Bearer "+opts.Token)
	resp, err := opts.Client.Do(req)
	if err != nil {
		return UploadResult{}, ctx.Err() == nil, &UploadError{URL: url, Err: err, Lang: opts.Lang}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch resp.StatusCode {
	case http.StatusCreated:
		var res UploadResult
		if err := json.Unmarshal(b, &res); err != nil {
			return UploadResult{}, false, &UploadError{URL: url, Status: resp.StatusCode, Lang: opts.Lang,
				Err: fmt.Errorf("%s: %w", i18n.T(opts.Lang, "upload.not_json"), err)}
		}
		return res, false, nil
	case http.StatusConflict:
		return UploadResult{Status: "duplicate", Message: i18n.T(opts.Lang, "upload.duplicate")}, false, nil
	}
	var ae apiError
	msg := strings.TrimSpace(string(b))
	if json.Unmarshal(b, &ae) == nil && ae.Message != "" {
		msg = ae.Error + ": " + ae.Message
	}
	msg = serverExcerpt(msg, opts.Token)
	retry := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return UploadResult{}, retry, &UploadError{URL: url, Status: resp.StatusCode, Err: errors.New(msg), Lang: opts.Lang}
}

// maxServerExcerpt is how much of a server's error answer is quoted.
const maxServerExcerpt = 300

// serverExcerpt makes a server's error answer safe to print: the upload
// token it may echo is blanked, control characters are escaped (a hostile
// or broken server must not write to the terminal or forge log lines),
// and the text is cut to maxServerExcerpt characters.
func serverExcerpt(msg, token string) string {
	if len(token) >= 4 {
		msg = strings.ReplaceAll(msg, token, "[…]")
	}
	if r := []rune(msg); len(r) > maxServerExcerpt {
		msg = string(r[:maxServerExcerpt]) + "…"
	}
	return i18n.Escape(msg)
}
