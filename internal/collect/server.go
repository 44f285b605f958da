package collect

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
)

// UploadPath is where reports are posted.
const UploadPath = "/api/v1/reports"

// MaxUploadBody caps a request body: a report at its size cap in base64
// (4/3) plus the signature and the envelope.
const MaxUploadBody = report.MaxSize*4/3 + 64<<10

// Tokens maps bearer tokens to organisational units. Only SHA-256 digests
// of the tokens are kept, so the lookup takes the same time for every
// wrong token and the tokens are not in memory in the clear.
type Tokens struct {
	units map[[32]byte]string
}

// MinTokenLength is the shortest token accepted in a token file.
const MinTokenLength = 24

// TokenFileError is a malformed line of a token file. Msg and Hint are
// German; Localize gives another language.
type TokenFileError struct {
	File string
	Line int
	Msg  string
	msg  i18n.Msg // the id and values behind Msg ("serve.tokens.*")
	lang string
}

func tokenFileError(file string, line int, id string, data map[string]any) *TokenFileError {
	e := &TokenFileError{File: file, Line: line, msg: i18n.Msg{ID: id, Data: data}}
	return e.Localize(i18n.Default)
}

// Localize returns the error with message and hint in lang ("de", "en").
func (e *TokenFileError) Localize(lang string) *TokenFileError {
	l := *e
	l.lang = lang
	if l.msg.ID != "" {
		l.Msg = l.msg.Text(lang)
	}
	return &l
}

func (e *TokenFileError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Hint says how a line looks.
func (e *TokenFileError) Hint() string {
	lang := e.lang
	if lang == "" {
		lang = i18n.Default
	}
	return i18n.T(lang, "serve.tokens.hint")
}

// ParseTokens reads a token file: one line per organisational unit,
// "TOKEN ORG UNIT NAME" (the token, white space, the rest of the line is
// the unit's name); empty lines and lines starting with # are ignored.
func ParseTokens(name string, b []byte) (*Tokens, error) {
	t := &Tokens{units: map[[32]byte]string{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		tok, unit := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			tok, unit = line[:i], strings.TrimSpace(line[i:])
		}
		switch {
		case len(tok) < MinTokenLength:
			return nil, tokenFileError(name, n, "serve.tokens.short", map[string]any{"Min": MinTokenLength})
		case unit == "":
			return nil, tokenFileError(name, n, "serve.tokens.no_unit", nil)
		}
		h := sha256.Sum256([]byte(tok))
		if _, dup := t.units[h]; dup {
			return nil, tokenFileError(name, n, "serve.tokens.twice", nil)
		}
		t.units[h] = unit
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("token file %s: %w", name, err)
	}
	if len(t.units) == 0 {
		return nil, tokenFileError(name, n, "serve.tokens.none", nil)
	}
	return t, nil
}

// ReadTokens reads a token file.
func ReadTokens(path string) (*Tokens, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("token file: %w", err)
	}
	return ParseTokens(path, b)
}

func (t *Tokens) unit(token string) (string, bool) {
	u, ok := t.units[sha256.Sum256([]byte(token))]
	return u, ok
}

// ServerOptions configure the upload endpoint.
type ServerOptions struct {
	Intake *Intake
	Tokens *Tokens
	// Rate and Burst limit requests per token and, before a token is
	// known, per client address. Defaults: 20 per second, burst 40.
	Rate  rate.Limit
	Burst int
	// Log receives one line per refused or failed request; nil = none.
	Log func(format string, a ...any)
	// Lang is the language of the log lines and of the answers' messages
	// when a request asks for none (Accept-Language de or en picks one);
	// empty means German. The codes in the answers never change.
	Lang string
}

// Server is the HTTP upload endpoint.
type Server struct {
	opts     ServerOptions
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

// NewServer returns the handler for POST /api/v1/reports and GET
// /api/v1/health.
func NewServer(opts ServerOptions) *Server {
	if opts.Rate == 0 {
		opts.Rate = 20
	}
	if opts.Burst == 0 {
		opts.Burst = 40
	}
	if opts.Log == nil {
		opts.Log = func(string, ...any) {}
	}
	if opts.Lang == "" {
		opts.Lang = i18n.Default
	}
	return &Server{opts: opts, limiters: map[string]*rate.Limiter{}}
}

// HTTPServer wraps h with the timeouts that keep slow clients from holding
// connections: a slow header or body is cut off, idle connections close.
func HTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: h,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 16 << 10}
}

// maxLimiters bounds the limiter table; when full it starts over, which
// at worst gives each client a fresh burst.
const maxLimiters = 100_000

func (s *Server) allow(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.limiters[key]
	if l == nil {
		if len(s.limiters) >= maxLimiters {
			s.limiters = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(s.opts.Rate, s.opts.Burst)
		s.limiters[key] = l
	}
	return l.Allow()
}

// apiError is the JSON body of every answer that is not 201: Error is a
// stable code, Message says it for people in the request's language.
type apiError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// requestLang is the language a request asks for: the first of de and en
// in Accept-Language (no weights are compared), else the server's.
func (s *Server) requestLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if base == "de" || base == "en" {
			return base
		}
	}
	return s.opts.Lang
}

// textError is an error with a message id, so the server can answer in
// the request's language; Error is English, for logs of other programs.
type textError struct {
	msg   i18n.Msg
	cause error // technical detail shown after the message; may be nil
	kind  error // for errors.Is only; may be nil
}

func (e *textError) Error() string { return e.Text("en") }

// Text renders the error in lang (and its cause, when that can).
func (e *textError) Text(lang string) string {
	if e.cause == nil {
		return e.msg.Text(lang)
	}
	cause := e.cause.Error()
	var t i18n.Texter
	if errors.As(e.cause, &t) {
		cause = t.Text(lang)
	}
	return e.msg.Text(lang) + ": " + cause
}

func (e *textError) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.cause, e.kind} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// errorMsg is the message id ("serve.*") with its values.
func errorMsg(id string, data map[string]any) i18n.Msg {
	return i18n.Msg{ID: id, Data: data}
}

// UploadResult is the JSON body of a 201 (and of a 409) answer.
type UploadResult struct {
	Status   string `json:"status"` // "accepted" or "duplicate"
	DeviceID string `json:"device_id"`
	ReportID string `json:"report_id"`
	SHA256   string `json:"sha256"`
	Message  string `json:"message"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers with code, the stable error code kind and msg in the
// request's language, and logs it in the server's.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, kind string, msg i18n.Texter) {
	s.opts.Log("%s %s %s: %d %s: %s", clientIP(r), r.Method, r.URL.Path, code, kind, msg.Text(s.opts.Lang))
	writeJSON(w, code, apiError{Error: kind, Message: msg.Text(s.requestLang(r))})
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ServeHTTP routes the two endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/v1/health":
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case UploadPath:
		s.upload(w, r)
	default:
		s.fail(w, r, http.StatusNotFound, "not_found", errorMsg("serve.not_found", map[string]any{"Path": UploadPath}))
	}
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, r, http.StatusMethodNotAllowed, "method_not_allowed", errorMsg("serve.method_not_allowed", nil))
		return
	}
	ip := clientIP(r)
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	unit := ""
	if ok {
		unit, ok = s.opts.Tokens.unit(strings.TrimSpace(token))
	}
	if !ok {
		// Wrong tokens count against the address, so guessing is slow.
		if !s.allow("ip:" + ip) {
			w.Header().Set("Retry-After", "1")
			s.fail(w, r, http.StatusTooManyRequests, "rate_limited", errorMsg("serve.rate_limited", nil))
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="kicheck"`)
		s.fail(w, r, http.StatusUnauthorized, "unauthorized", errorMsg("serve.unauthorized", nil))
		return
	}
	if !s.allow("token:" + unit) {
		w.Header().Set("Retry-After", "1")
		s.fail(w, r, http.StatusTooManyRequests, "rate_limited", errorMsg("serve.rate_limited_unit", nil))
		return
	}
	if r.ContentLength > MaxUploadBody {
		s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", errorMsg("serve.body_too_large", map[string]any{"Size": i18n.Int(r.ContentLength), "Max": i18n.Int(MaxUploadBody)}))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBody)
	data, sig, err := readUpload(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || errors.Is(err, errEntryTooLarge) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", uploadErrText(err))
			return
		}
		s.fail(w, r, http.StatusBadRequest, "bad_request", uploadErrText(err))
		return
	}
	res, err := s.opts.Intake.Add(r.Context(), []Item{{Source: "upload:" + unit, Data: data, Sig: sig}})
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "store_failed", errorMsg("serve.store_failed", nil))
		s.opts.Log("%s", errorMsg("serve.log_store", map[string]any{"Detail": err.Error()}).Text(s.opts.Lang))
		return
	}
	fr := res[0].Localize(s.requestLang(r))
	out := UploadResult{DeviceID: fr.DeviceID, ReportID: fr.ReportID, SHA256: fr.SHA256, Message: fr.Message}
	switch fr.Outcome {
	case Accepted:
		out.Status = "accepted"
		writeJSON(w, http.StatusCreated, out)
	case Duplicate:
		s.opts.Log("%s", errorMsg("serve.log_duplicate", map[string]any{"IP": ip, "Unit": unit, "SHA256": fr.SHA256}).Text(s.opts.Lang))
		writeJSON(w, http.StatusConflict, apiError{Error: "duplicate", Message: fr.Message})
	default:
		s.fail(w, r, http.StatusBadRequest, string(fr.Problem), res[0].msg)
	}
}

// envelope is the JSON form of an upload.
type envelope struct {
	Report    string `json:"report"`    // base64 of the exact report bytes
	Signature string `json:"signature"` // the armored signature text
}

// readUpload reads report and signature from a multipart form (fields
// "report" and "signature") or a JSON envelope.
func readUpload(r *http.Request) (data, sig []byte, err error) {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, nil, &textError{msg: errorMsg("serve.no_content_type", nil)}
	}
	switch ct {
	case "application/json":
		var env envelope
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&env); err != nil {
			return nil, nil, &textError{msg: errorMsg("serve.envelope", nil), cause: err}
		}
		if env.Report == "" || env.Signature == "" {
			return nil, nil, &textError{msg: errorMsg("serve.envelope_fields", nil)}
		}
		data, err := base64.StdEncoding.DecodeString(env.Report)
		if err != nil {
			return nil, nil, &textError{msg: errorMsg("serve.envelope_base64", nil), cause: err}
		}
		return data, []byte(env.Signature), nil
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, nil, &textError{msg: errorMsg("serve.multipart", nil), cause: err}
			}
			switch p.FormName() {
			case "report":
				if data, err = readPart(p, report.MaxSize); err != nil {
					return nil, nil, fieldError("report", report.MaxSize, err)
				}
			case "signature":
				if sig, err = readPart(p, MaxSigSize); err != nil {
					return nil, nil, fieldError("signature", MaxSigSize, err)
				}
			}
			p.Close()
		}
		if data == nil || sig == nil {
			return nil, nil, &textError{msg: errorMsg("serve.multipart_fields", nil)}
		}
		return data, sig, nil
	}
	return nil, nil, &textError{msg: errorMsg("serve.content_type", map[string]any{"Type": ct})}
}

// fieldError is a form field that could not be read or is too large.
func fieldError(field string, limit int64, err error) error {
	if errors.Is(err, errEntryTooLarge) {
		return &textError{msg: errorMsg("serve.field_too_large", map[string]any{"Field": field, "Max": i18n.Int(limit)}), kind: errEntryTooLarge}
	}
	return &textError{msg: errorMsg("serve.field", map[string]any{"Field": field}), cause: err}
}

// uploadErrText is an error of readUpload for an answer: in the request's
// language when it has a message id.
func uploadErrText(err error) i18n.Texter {
	var te *textError
	if errors.As(err, &te) {
		return te
	}
	return plainText(err.Error())
}

// plainText is text that is the same in every language (a library's).
type plainText string

func (p plainText) Text(string) string { return string(p) }

func readPart(p io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", errEntryTooLarge, limit)
	}
	return b, nil
}

// Serve runs srv until ctx is cancelled, then shuts down gracefully.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, certFile, keyFile string) error {
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- srv.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}
