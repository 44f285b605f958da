package cloud

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
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
}

// newError renders message and hint of id in lang.
func newError(lang string, kind error, id string, data map[string]any, cause error) *Error {
	return &Error{Kind: kind, Message: i18n.T(lang, id, data), hint: i18n.T(lang, id+".hint", data), Err: cause, id: id, data: data}
}

// Localize returns the error with message and hint in lang ("de", "en");
// an error without message id is returned as it is.
func (e *Error) Localize(lang string) *Error {
	if e.id == "" {
		return e
	}
	l := *e
	l.Message, l.hint = i18n.T(lang, e.id, e.data), i18n.T(lang, e.id+".hint", e.data)
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

func fieldError(field, msg, hint string) error {
	return &Error{Kind: ErrInvalidField, Field: field, Message: "Einstellung " + field + ": " + msg, hint: hint}
}

// StatusError classifies an HTTP error status from host into an *Error
// with German texts. body is the start of the response body (the
// provider's own message).
func StatusError(host string, status int, body string) error {
	return statusError(i18n.Default, host, status, body)
}

func statusError(lang, host string, status int, body string) error {
	detail := strings.TrimSpace(body)
	if len(detail) > 300 {
		detail = detail[:300] + "…"
	}
	var cause error
	if detail != "" {
		cause = fmt.Errorf("antwort von %s: %s", host, detail)
	}
	data := map[string]any{"Host": host, "Status": status}
	switch {
	case status == 401:
		return newError(lang, ErrUnauthorized, "cloud.error.unauthorized", data, cause)
	case status == 403:
		return newError(lang, ErrForbidden, "cloud.error.forbidden", data, cause)
	case status == 404:
		return newError(lang, ErrModelNotFound, "cloud.error.not_found", data, cause)
	case status == 407:
		return newError(lang, ErrProxy, "cloud.error.proxy_auth", data, cause)
	case status == 429:
		return newError(lang, ErrRateLimited, "cloud.error.rate_limited", data, cause)
	case status >= 500:
		return newError(lang, ErrServer, "cloud.error.server", data, cause)
	}
	return newError(lang, ErrServer, "cloud.error.unexpected", data, cause)
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
