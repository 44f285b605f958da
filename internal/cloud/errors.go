package cloud

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Kinds of cloud failures, for errors.Is and for callers that react
// differently (the UI offers to re-enter the key on ErrUnauthorized).
var (
	ErrUnauthorized    = errors.New("zugang abgelehnt")
	ErrForbidden       = errors.New("zugriff verboten")
	ErrRateLimited     = errors.New("anfragelimit erreicht")
	ErrCertificate     = errors.New("zertifikat nicht vertrauenswürdig")
	ErrUnreachable     = errors.New("server nicht erreichbar")
	ErrProxy           = errors.New("proxy-fehler")
	ErrModelNotFound   = errors.New("modell nicht gefunden")
	ErrNoKey           = errors.New("kein api-schlüssel")
	ErrConsentRequired = errors.New("zustimmung fehlt")
	ErrNotCloudAllowed = errors.New("bündel nicht für die cloud freigegeben")
	ErrInvalidField    = errors.New("ungültige eingabe")
	ErrServer          = errors.New("serverfehler")
)

// Error is a cloud failure a person can act on. Message is German by
// default, since the people who read it are German clerks and IT staff
// (ClientOptions.Lang or Localize give another language); Hint says what
// to do. Err keeps the technical cause.
type Error struct {
	Kind    error // one of the Err… values above
	Message string
	Field   string // the setting to fix, for ErrInvalidField
	hint    string
	Err     error
	// id and data name the texts in assets/lang (id for the message,
	// id+".hint" for the hint), so Localize can render them again.
	id   string
	data map[string]any
	// causeID, when set, names the text Err holds (rendered again too).
	causeID string
}

// newError renders message and hint of id in lang.
func newError(lang string, kind error, id string, data map[string]any, cause error) *Error {
	e := &Error{Kind: kind, Err: cause, id: id, data: data}
	e.Message, e.hint = e.render(lang)
	return e
}

// render returns message and hint of e's id in lang. Values that render
// themselves (i18n.Texter, e.g. a preset's URL hint) are rendered in lang
// too; a message without a hint text has an empty hint.
func (e *Error) render(lang string) (msg, hint string) {
	msg = i18n.Msg{ID: e.id, Data: e.data}.Text(lang)
	if _, ok := i18n.Catalog(i18n.Default)[e.id+".hint"]; ok {
		hint = i18n.Msg{ID: e.id + ".hint", Data: e.data}.Text(lang)
	}
	return msg, hint
}

// Localized returns err in lang when it is a *Error (see Error.Localize);
// any other error, and nil, is returned as it is.
func Localized(err error, lang string) error {
	if ce, ok := err.(*Error); ok {
		return ce.Localize(lang)
	}
	return err
}

// Localize returns the error with message and hint in lang ("de", "en");
// an error without message id is returned as it is.
func (e *Error) Localize(lang string) *Error {
	if e.id == "" {
		return e
	}
	l := *e
	l.Message, l.hint = e.render(lang)
	if e.causeID != "" {
		l.Err = errors.New(i18n.T(lang, e.causeID, e.data))
	}
	return &l
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap exposes both the kind and the cause to errors.Is/As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Hint says what the user can do.
func (e *Error) Hint() string { return e.hint }

// fieldError is a setting a person entered wrongly: id names the texts
// "cloud.invalid.<id>" (and its ".hint"), which get the field as {{.Field}}.
func fieldError(field, id string, data map[string]any) error {
	d := map[string]any{"Field": field}
	for k, v := range data {
		d[k] = v
	}
	e := newError(i18n.Default, ErrInvalidField, "cloud.invalid."+id, d, nil)
	e.Field = field
	return e
}

// StatusError classifies an HTTP error status from host into an *Error
// with German texts. body is the start of the response body (the
// provider's own message); it is quoted only as an Excerpt.
func StatusError(host string, status int, body string) error {
	return statusError(i18n.Default, host, status, Excerpt([]byte(body)))
}

// statusError quotes detail, an Excerpt of the body, as it is.
func statusError(lang, host string, status int, detail string) error {
	data := map[string]any{"Host": host, "Status": status, "Detail": detail}
	id, kind := "cloud.error.unexpected", ErrServer
	switch {
	case status == 401:
		id, kind = "cloud.error.unauthorized", ErrUnauthorized
	case status == 403:
		id, kind = "cloud.error.forbidden", ErrForbidden
	case status == 404:
		id, kind = "cloud.error.not_found", ErrModelNotFound
	case status == 407:
		id, kind = "cloud.error.proxy_auth", ErrProxy
	case status == 429:
		id, kind = "cloud.error.rate_limited", ErrRateLimited
	case status >= 500:
		id = "cloud.error.server"
	}
	e := newError(lang, kind, id, data, nil)
	if detail != "" {
		// The provider's own words, introduced in the message's language.
		e.causeID = "cloud.error.response_from"
		e.Err = errors.New(i18n.T(lang, e.causeID, data))
	}
	return e
}

// ClassifyTransport turns a transport failure (DNS, TCP, TLS, proxy) into
// an *Error with German texts; other errors are returned unchanged. caFile
// is named in the certificate message when one is configured.
func ClassifyTransport(host, caFile string, err error) error {
	return classifyTransport(i18n.Default, host, caFile, err)
}

func classifyTransport(lang, host, caFile string, err error) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		return ce // the message says it all; drop the url.Error wrapping
	}
	data := map[string]any{"Host": host, "CAFile": caFile}
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknownCA) || (errors.As(err, &verifyErr) && errors.As(verifyErr.Err, &unknownCA)):
		if caFile != "" {
			return newError(lang, ErrCertificate, "cloud.error.unknown_ca_with_file", data, err)
		}
		return newError(lang, ErrCertificate, "cloud.error.unknown_ca", data, err)
	case errors.As(err, &hostErr):
		return newError(lang, ErrCertificate, "cloud.error.cert_host", data, err)
	case errors.As(err, &invalid):
		return newError(lang, ErrCertificate, "cloud.error.cert_invalid", data, err)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		return newError(lang, ErrProxy, "cloud.error.proxy_unreachable", data, err)
	}
	if strings.Contains(err.Error(), "proxyconnect") {
		return newError(lang, ErrProxy, "cloud.error.proxy_failed", data, err)
	}
	var dnsErr *net.DNSError
	var uerr *url.Error
	if errors.As(err, &dnsErr) || errors.As(err, &opErr) || (errors.As(err, &uerr) && uerr.Timeout()) {
		return newError(lang, ErrUnreachable, "cloud.error.unreachable", data, err)
	}
	return err
}
