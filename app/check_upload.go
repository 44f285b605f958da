package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// uploadJSON is the upload part of `kicheck check --json`.
type uploadJSON struct {
	URL    string `json:"url"`
	Status string `json:"status"` // accepted, duplicate, failed
	Error  string `json:"error,omitempty"`
}

// uploadTimeout bounds the upload with all its retries, so a rollout run
// never hangs on an unreachable collection.
const uploadTimeout = 3 * time.Minute

// uploadReport sends the signed report to the central collection. A failed
// upload is a warning: the report stays in the data dir and the output
// folder, and the exit code stays the verdict's.
func uploadReport(ctx context.Context, e *env, opts checkOptions, data, sig []byte) *uploadJSON {
	out := &uploadJSON{URL: opts.Upload}
	token, err := uploadToken(opts.UploadTokenFile)
	if err == nil && strings.HasPrefix(strings.ToLower(opts.Upload), "http://") {
		// The bearer token travels in clear: say so every time.
		warn(e.stderr, e.lang, i18n.NewError("upload.cleartext_token", "upload.cleartext_token.hint", map[string]any{"URL": i18n.Escape(opts.Upload)}, nil))
	}
	if err == nil {
		uctx, cancel := context.WithTimeout(ctx, uploadTimeout)
		defer cancel()
		var res collect.UploadResult
		res, err = collect.Upload(uctx, opts.Upload, data, sig, collect.UploadOptions{Token: token, Lang: e.lang})
		out.Status = res.Status
	}
	if err != nil {
		out.Status, out.Error = "failed", err.Error()
		warn(e.stderr, e.lang, err)
	}
	return out
}

// uploadToken reads the upload token from file, else from
// $KICHECK_UPLOAD_TOKEN.
func uploadToken(file string) (string, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", i18n.NewError("cli.upload.token_file", "", map[string]any{"File": i18n.Escape(file), "Detail": i18n.Escape(err.Error())}, err)
		}
		defer f.Close()
		// Bounded: a token is one line (--upload-token-file /dev/zero).
		const maxToken = 4 << 10
		b, err := io.ReadAll(io.LimitReader(f, maxToken+1))
		if err != nil {
			return "", i18n.NewError("cli.upload.token_file", "", map[string]any{"File": i18n.Escape(file), "Detail": i18n.Escape(err.Error())}, err)
		}
		if len(b) > maxToken {
			return "", i18n.NewError("cli.upload.token_file", "", map[string]any{"File": i18n.Escape(file), "Detail": i18n.Msg{ID: "upload.token_too_large", Data: map[string]any{"Max": maxToken}}}, nil)
		}
		// Windows Notepad starts the file with a byte order mark.
		return strings.TrimSpace(string(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))), nil
	}
	if t := strings.TrimSpace(strings.TrimPrefix(os.Getenv("KICHECK_UPLOAD_TOKEN"), "\ufeff")); t != "" {
		return t, nil
	}
	return "", i18n.NewError("upload.no_token", "", nil, nil)
}
