package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/i18n"

	openai "github.com/sashabaranov/go-openai"
)

// Kinds of run failures. The GUI shows the German text "aitest.error.<kind>"
// for each; the CLI prints the error and its hint.
const (
	KindUnreachable   = "unreachable"     // nothing answers at the URL
	KindModelNotFound = "model_not_found" // the runtime does not have the model
	KindTimeout       = "timeout"         // no answer or no next token in time
	KindStreamBroken  = "stream_broken"   // the answer stopped or was garbled midway
	KindRuntimeError  = "runtime_error"   // the runtime answered with an error (5xx)
	KindAccessDenied  = "access_denied"   // 401/403 (cloud endpoints)
	KindRateLimited   = "rate_limited"    // 429
	KindBadEndpoint   = "bad_endpoint"    // not a usable URL
	KindRemoteRefused = "remote_refused"  // the endpoint is not on this PC and the run may not leave it
	KindCancelled     = "cancelled"
)

// ErrTimeout is the cause of a request stopped by the runner's watchdog.
var ErrTimeout = errors.New("timed out")

// RunError is a run that ended early, with what a person can do.
type RunError struct {
	Kind   string
	Status int // HTTP status, 0 when none
	Err    error
}

func (e *RunError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s (http %d): %v", e.Kind, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Kind, e.Err)
}
func (e *RunError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *RunError) Hint() string {
	switch e.Kind {
	case KindUnreachable:
		return "start the runtime (e.g. 'ollama serve') or check --endpoint; 'kicheck runtimes' lists what answers on this PC"
	case KindModelNotFound:
		return "load the model first (e.g. 'ollama pull llama3.2:1b') or pick one the runtime lists"
	case KindTimeout:
		return "the model may be too large for this PC; try a smaller model or close other programs"
	case KindStreamBroken:
		return "the runtime stopped answering midway (crashed or restarted?); check it and run again, the measurements so far are stored"
	case KindRuntimeError:
		return "look at the runtime's log; the measurements so far are stored"
	case KindAccessDenied:
		return "check the API key"
	case KindRateLimited:
		return "the provider limits requests; try again later"
	case KindBadEndpoint:
		return "give the runtime's address such as http://127.0.0.1:11434"
	case KindRemoteRefused:
		return "only endpoints on this PC (localhost) are tested without consent; cloud endpoints need the cloud settings"
	}
	return ""
}

// Localize renders the error in lang (i18n.Localizer): what failed, with
// the cause from the runtime or the network as it is, and what to do.
func (e *RunError) Localize(lang string) (msg, hint string) {
	detail := ""
	var l i18n.Localizer
	if errors.As(e.Err, &l) {
		detail, _ = l.Localize(lang) // a cause the caller wrote as a message id
	} else if e.Err != nil {
		detail = e.Err.Error()
	}
	if e.Status != 0 {
		detail = fmt.Sprintf("HTTP %d: %s", e.Status, detail)
	}
	msg = i18n.T(lang, "bench.error."+e.Kind, map[string]any{"Detail": detail})
	if e.Hint() != "" {
		hint = i18n.T(lang, "benchcli.hint."+e.Kind)
	}
	return msg, hint
}

// classify turns a transport or API error into a RunError.
func classify(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var re *RunError
	if errors.As(err, &re) {
		return err
	}
	if cause := context.Cause(ctx); cause != nil {
		if errors.Is(cause, ErrTimeout) {
			return &RunError{Kind: KindTimeout, Err: cause}
		}
		if errors.Is(cause, context.Canceled) || errors.Is(cause, context.DeadlineExceeded) {
			return &RunError{Kind: KindCancelled, Err: cause}
		}
	}
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	status := 0
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	}
	if status != 0 {
		return statusError(status, err)
	}
	var opErr *net.OpError
	if errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &opErr) && opErr.Op == "dial") {
		return &RunError{Kind: KindUnreachable, Err: err}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &RunError{Kind: KindUnreachable, Err: err}
	}
	return &RunError{Kind: KindStreamBroken, Err: err}
}

// statusError quotes the server's error (err's text comes from its
// answer) only as a short, key-scrubbed, escaped excerpt (cloud.Excerpt):
// an echoing server must not get a key or terminal escapes into the output.
// secrets are the credentials the request carried.
func statusError(status int, err error, secrets ...string) *RunError {
	err = &quotedError{text: cloud.Excerpt([]byte(err.Error()), secrets...), cause: err}
	kind := KindRuntimeError
	switch {
	case status == 404:
		kind = KindModelNotFound
	case status == 401 || status == 403:
		kind = KindAccessDenied
	case status == 429:
		kind = KindRateLimited
	case status == 400 && isModelMissing(err.Error()):
		kind = KindModelNotFound
	}
	return &RunError{Kind: kind, Status: status, Err: err}
}

// quotedError shows a safe excerpt of cause's text; errors.As still finds
// the cause (openai.APIError).
type quotedError struct {
	text  string
	cause error
}

func (e *quotedError) Error() string { return e.text }
func (e *quotedError) Unwrap() error { return e.cause }
