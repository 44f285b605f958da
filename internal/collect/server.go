package collect

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/textfile"
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
	units map[[32]byte]tokenEntry
	// WorldReadable is true when the file could be read by every user of
	// the server (Unix permissions); serve warns about it.
	WorldReadable bool
}

// tokenEntry is one line of the token file.
type tokenEntry struct {
	unit string
	// enroll is the line's enroll= option; enrollSet false means the
	// line has none and the server's default applies.
	enroll    int
	enrollSet bool
}

// MinTokenLength is the shortest token accepted in a token file.
const MinTokenLength = 24

// MaxTokenFile caps the size of a token file (a line per unit; a
// thousand units take 100 KB).
const MaxTokenFile = 1 << 20

// ServerOptions.EnrollLimit values besides a number of devices.
const (
	EnrollUnlimited = -1
	EnrollNone      = -2
)

// DefaultEnrollLimit is how many devices the tokens of one unit may enrol
// when their lines say nothing (serve --enroll-limit).
const DefaultEnrollLimit = 100

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
// "TOKEN [enroll=N|enroll=off] ORG UNIT NAME" (the token, white space, an
// optional limit on the devices enrolled through it, the rest of the line
// is the unit's name); empty lines and lines starting with # are ignored,
// a byte-order mark at the start (Windows Notepad) is removed.
func ParseTokens(name string, b []byte) (*Tokens, error) {
	t := &Tokens{units: map[[32]byte]tokenEntry{}}
	sc := bufio.NewScanner(bytes.NewReader(textfile.StripBOM(b)))
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
		e := tokenEntry{}
		if opt, ok := strings.CutPrefix(unit, "enroll="); ok {
			val, rest := opt, ""
			if j := strings.IndexAny(opt, " \t"); j >= 0 {
				val, rest = opt[:j], opt[j:]
			}
			unit = strings.TrimSpace(rest)
			switch v, err := strconv.Atoi(val); {
			case val == "off":
				e.enroll, e.enrollSet = 0, true
			case err == nil && v >= 0:
				e.enroll, e.enrollSet = v, true
			default:
				return nil, tokenFileError(name, n, "serve.tokens.enroll", map[string]any{"Value": i18n.Escape(val)})
			}
		}
		switch {
		case len(tok) < MinTokenLength:
			return nil, tokenFileError(name, n, "serve.tokens.short", map[string]any{"Min": MinTokenLength})
		case unit == "":
			return nil, tokenFileError(name, n, "serve.tokens.no_unit", nil)
		case strings.ContainsFunc(unit, func(r rune) bool { return i18n.Escape(string(r)) != string(r) }):
			return nil, tokenFileError(name, n, "serve.tokens.control", nil)
		}
		h := sha256.Sum256([]byte(tok))
		if _, dup := t.units[h]; dup {
			return nil, tokenFileError(name, n, "serve.tokens.twice", nil)
		}
		e.unit = unit
		t.units[h] = e
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("token file %s: %w", name, err)
	}
	if len(t.units) == 0 {
		return nil, tokenFileError(name, n, "serve.tokens.none", nil)
	}
	return t, nil
}

// ReadTokens reads a token file: a regular file (a named pipe, a device
// like /dev/zero or a link is refused at once) of at most MaxTokenFile
// bytes. WorldReadable says whether every user of the machine may read it.
func ReadTokens(path string) (*Tokens, error) {
	b, err := textfile.ReadText(path, MaxTokenFile)
	if err != nil {
		return nil, fmt.Errorf("token file: %w", err)
	}
	t, err := ParseTokens(path, b)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil {
		t.WorldReadable = textfile.WorldReadable(fi)
	}
	return t, nil
}

// grant is what token allows, with def as the enrolment limit for lines
// without one.
func (t *Tokens) grant(token string, def int) (*Grant, bool) {
	e, ok := t.units[sha256.Sum256([]byte(token))]
	if !ok {
		return nil, false
	}
	g := &Grant{Unit: e.unit, MaxEnroll: def}
	if e.enrollSet {
		g.MaxEnroll = e.enroll
	}
	return g, true
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
	// Everything in it that came with the request is escaped (control
	// characters), so a line cannot be forged.
	Log func(format string, a ...any)
	// EnrollLimit is how many devices the tokens of one unit may enrol
	// when their line in the token file has no enroll= option: 0 means
	// DefaultEnrollLimit, EnrollNone none, EnrollUnlimited no limit.
	EnrollLimit int
	// Memory is the request bodies the server holds at once, in bytes
	// (each upload counts twice its body: the body and the decoded
	// report); 0 means UploadMemory. An upload waits for room up to
	// AdmitWait, then gets 503 with Retry-After.
	Memory    int64
	AdmitWait time.Duration
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
	memory   *semaphore.Weighted
}

// UploadMemory is the default memory for request bodies in flight: five
// uploads at the size cap, or thousands of real reports.
const UploadMemory = 5 * 2 * MaxUploadBody

// logf writes a log line with everything escaped that could forge a line.
func (s *Server) logf(format string, a ...any) {
	s.opts.Log("%s", i18n.Escape(fmt.Sprintf(format, a...)))
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
	switch opts.EnrollLimit {
	case 0:
		opts.EnrollLimit = DefaultEnrollLimit
	case EnrollNone:
		opts.EnrollLimit = 0 // Grant.MaxEnroll: none
	}
	if opts.Memory <= 0 {
		opts.Memory = UploadMemory
	}
	if opts.AdmitWait <= 0 {
		opts.AdmitWait = 10 * time.Second
	}
	return &Server{opts: opts, limiters: map[string]*rate.Limiter{}, memory: semaphore.NewWeighted(opts.Memory)}
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
	s.logf("%s %s %s: %d %s: %s", clientIP(r), r.Method, r.URL.Path, code, kind, msg.Text(s.opts.Lang))
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
		s.health(w, r)
	case HealthzPath:
		s.healthz(w, r)
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
	var grant *Grant
	if ok {
		grant, ok = s.opts.Tokens.grant(strings.TrimSpace(token), s.opts.EnrollLimit)
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
	unit := grant.Unit
	if !s.allow("token:" + unit) {
		w.Header().Set("Retry-After", "1")
		s.fail(w, r, http.StatusTooManyRequests, "rate_limited", errorMsg("serve.rate_limited_unit", nil))
		return
	}
	if r.ContentLength > MaxUploadBody {
		s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", errorMsg("serve.body_too_large", map[string]any{"Size": i18n.Int(r.ContentLength), "Max": i18n.Int(MaxUploadBody)}))
		return
	}
	// The body is read only when there is memory for it: the request
	// counts twice its declared length (the body, the decoded report), or
	// twice the cap when it declares none. Requests beyond that wait
	// (their bytes stay in the network) and are turned away when the
	// wait is long.
	size := r.ContentLength
	if size < 0 {
		size = MaxUploadBody
	}
	weight := min(max(2*size, 1), s.opts.Memory)
	actx, cancel := context.WithTimeout(r.Context(), s.opts.AdmitWait)
	err := s.memory.Acquire(actx, weight)
	cancel()
	if err != nil {
		if r.Context().Err() != nil {
			s.logf("%s", errorMsg("serve.log_disconnected", map[string]any{"IP": ip, "Unit": unit}).Text(s.opts.Lang))
			return
		}
		w.Header().Set("Retry-After", "5")
		s.fail(w, r, http.StatusServiceUnavailable, "busy", errorMsg("serve.busy", nil))
		return
	}
	defer s.memory.Release(weight)
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBody)
	data, sig, err := readUpload(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig) || errors.Is(err, errEntryTooLarge):
			s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", uploadErrText(err))
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || r.Context().Err() != nil:
			// The client went away in the middle of its body.
			s.logf("%s", errorMsg("serve.log_disconnected", map[string]any{"IP": ip, "Unit": unit}).Text(s.opts.Lang))
			writeJSON(w, http.StatusBadRequest, apiError{Error: "bad_request", Message: uploadErrText(err).Text(s.requestLang(r))})
		default:
			s.fail(w, r, http.StatusBadRequest, "bad_request", uploadErrText(err))
		}
		return
	}
	// A report that arrived whole is stored even if its sender has gone
	// meanwhile; its next try is then answered as a duplicate.
	res, err := s.opts.Intake.Add(context.WithoutCancel(r.Context()), []Item{{Source: "upload:" + unit, Data: data, Sig: sig, Grant: grant}})
	if err != nil {
		kind, id := storeProblem(err)
		s.fail(w, r, http.StatusInternalServerError, kind, errorMsg(id, nil))
		s.logf("%s", errorMsg("serve.log_store", map[string]any{"Detail": err.Error()}).Text(s.opts.Lang))
		return
	}
	if r.Context().Err() != nil {
		s.logf("%s", errorMsg("serve.log_gone", map[string]any{"IP": ip, "Unit": unit, "Outcome": res[0].Outcome.Text(s.opts.Lang)}).Text(s.opts.Lang))
		return
	}
	fr := res[0].Localize(s.requestLang(r))
	out := UploadResult{DeviceID: fr.DeviceID, ReportID: fr.ReportID, SHA256: fr.SHA256, Message: fr.Message}
	switch fr.Outcome {
	case Accepted:
		out.Status = "accepted"
		writeJSON(w, http.StatusCreated, out)
	case Duplicate:
		s.logf("%s", errorMsg("serve.log_duplicate", map[string]any{"IP": ip, "Unit": unit, "SHA256": fr.SHA256}).Text(s.opts.Lang))
		writeJSON(w, http.StatusConflict, apiError{Error: "duplicate", Message: fr.Message})
	case Rejected:
		if fr.Problem == report.ProblemUnknownKey {
			// The log names the allowed_signers file; the answer does
			// not tell the sender where the server keeps it.
			s.logf("%s %s %s: %d %s: %s", ip, r.Method, r.URL.Path, http.StatusBadRequest, fr.Problem, res[0].msg.Text(s.opts.Lang))
			writeJSON(w, http.StatusBadRequest, apiError{Error: string(fr.Problem), Message: errorMsg("serve.unknown_key",
				map[string]any{"Device": fr.DeviceID}).Text(s.requestLang(r))})
			return
		}
		s.fail(w, r, http.StatusBadRequest, string(fr.Problem), res[0].msg)
	}
}

// storeProblem names why storing failed, as the answer's code and message
// id: a full disk or a read-only database are said as such.
func storeProblem(err error) (kind, id string) {
	switch text := err.Error(); {
	case strings.Contains(text, "database or disk is full") || isPgCode(err, "53100", "53000"):
		return "database_full", "serve.database_full"
	case strings.Contains(text, "readonly database") || isPgCode(err, "25006"):
		// PostgreSQL: a read-only transaction, e.g. a standby after a
		// failover that the DSN still points at.
		return "database_readonly", "serve.database_readonly"
	}
	return "store_failed", "serve.store_failed"
}

// health answers GET /api/v1/health: 200 {"status":"ok"} when the
// database answers and the last store worked, else 503 with the problem
// ("database_full", "database_readonly", "store_failed",
// "database_unreachable") and a message.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	lang := s.requestLang(r)
	if err := s.opts.Intake.db.Ping(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, healthAnswer{Status: "error", Problem: "database_unreachable",
			Message: errorMsg("serve.database_unreachable", nil).Text(lang)})
		return
	}
	if err := s.opts.Intake.lastStoreError(); err != nil {
		kind, id := storeProblem(err)
		writeJSON(w, http.StatusServiceUnavailable, healthAnswer{Status: "error", Problem: kind, Message: errorMsg(id, nil).Text(lang)})
		return
	}
	writeJSON(w, http.StatusOK, healthAnswer{Status: "ok"})
}

// HealthzPath is the load balancer's check: 200 while the database
// answers, 503 otherwise.
const HealthzPath = "/healthz"

// healthz answers the load balancer: "ok" when the database answers a
// query within 3 s, 503 "database unreachable" otherwise. Unlike
// /api/v1/health it does not hold the last store's failure against the
// server: another server would fail the same way on a shared database.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.opts.Intake.db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unreachable")
		return
	}
	fmt.Fprintln(w, "ok")
}

// healthAnswer is the body of GET /api/v1/health.
type healthAnswer struct {
	Status  string `json:"status"` // "ok" or "error"
	Problem string `json:"problem,omitempty"`
	Message string `json:"message,omitempty"`
}

// strictEnvelope is how the server reads an envelope: "report" is
// decoded from base64 straight into bytes.
type strictEnvelope struct {
	Report    []byte `json:"report"`
	Signature string `json:"signature"`
}

// readBody reads a request body into a buffer of its declared length.
func readBody(r *http.Request) ([]byte, error) {
	// MaxBytesReader stops the body at its cap with an error.
	return textfile.ReadUpTo(r.Body, min(r.ContentLength, MaxUploadBody), MaxUploadBody)
}

// envelopeError is a decode error of the envelope without the library's
// Go type names.
func envelopeError(err error) error {
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		return fmt.Errorf("at byte %d: %w", se.ByteOffset, se.Err)
	}
	var fe *jsonv2.SemanticError
	if errors.As(err, &fe) {
		if errors.Is(fe.Err, jsonv2.ErrUnknownName) {
			return fmt.Errorf("unknown member %s", fe.JSONPointer)
		}
		return fmt.Errorf("member %s: %v", fe.JSONPointer, fe.Err)
	}
	return err
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
		// The whole body is read into one buffer of its declared size
		// (the server admitted that much), then decoded strictly: the
		// member names exactly "report" and "signature", each once, and
		// nothing after the object.
		body, err := readBody(r)
		if err != nil {
			return nil, nil, &textError{msg: errorMsg("serve.envelope", nil), cause: err}
		}
		var env strictEnvelope
		if err := jsonv2.Unmarshal(body, &env, jsonv2.RejectUnknownMembers(true)); err != nil {
			var fe *jsonv2.SemanticError
			if errors.As(err, &fe) && fe.JSONPointer == "/report" && fe.Err != nil && fe.JSONKind == '"' {
				return nil, nil, &textError{msg: errorMsg("serve.envelope_base64", nil), cause: fe.Err}
			}
			return nil, nil, &textError{msg: errorMsg("serve.envelope", nil), cause: envelopeError(err)}
		}
		if env.Report == nil || env.Signature == "" {
			return nil, nil, &textError{msg: errorMsg("serve.envelope_fields", nil)}
		}
		return env.Report, []byte(env.Signature), nil
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

// Listen binds addr and, with certFile and keyFile, loads the TLS
// certificate and key first, so a missing or broken key is an error here,
// before anyone is told the server is listening. The listener speaks TLS
// then.
func Listen(addr, certFile, keyFile string) (net.Listener, error) {
	var cfg *tls.Config
	if certFile != "" || keyFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("TLS certificate %s and key %s: %w", certFile, keyFile, err)
		}
		cfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
	}
	return ln, nil
}

// Serve runs srv on ln (from Listen) until ctx is cancelled, then shuts
// down gracefully.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}
