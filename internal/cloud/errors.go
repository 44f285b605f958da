package cloud

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
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

// Error is a cloud failure a person can act on. Message is German, since
// the people who read it are German clerks and IT staff; Hint says what to
// do. Err keeps the technical cause.
type Error struct {
	Kind    error // one of the Err… values above
	Message string
	Field   string // the setting to fix, for ErrInvalidField
	hint    string
	Err     error
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

// StatusError classifies an HTTP error status from host into an *Error.
// body is the start of the response body (the provider's own message).
func StatusError(host string, status int, body string) error {
	detail := strings.TrimSpace(body)
	if len(detail) > 300 {
		detail = detail[:300] + "…"
	}
	var cause error
	if detail != "" {
		cause = fmt.Errorf("antwort von %s: %s", host, detail)
	}
	switch {
	case status == 401:
		return &Error{Kind: ErrUnauthorized, Message: "Zugang abgelehnt (401)", Err: cause,
			hint: "Der API-Schlüssel für " + host + " ist falsch oder abgelaufen. Tragen Sie unter Einstellungen → Cloud-Anbieter den gültigen Schlüssel ein."}
	case status == 403:
		return &Error{Kind: ErrForbidden, Message: "Zugriff verweigert (403)", Err: cause,
			hint: "Der Schlüssel ist gültig, darf dieses Modell aber nicht nutzen, oder ein Proxy sperrt " + host + ". Fragen Sie Ihre IT oder den Anbieter."}
	case status == 404:
		return &Error{Kind: ErrModelNotFound, Message: "Modell oder Adresse nicht gefunden (404)", Err: cause,
			hint: "Prüfen Sie Basis-URL und Modellname (bei Azure den Deployment-Namen) unter Einstellungen → Cloud-Anbieter."}
	case status == 407:
		return &Error{Kind: ErrProxy, Message: "Der Proxy verlangt eine Anmeldung (407)", Err: cause,
			hint: "Tragen Sie die Proxy-Adresse mit Zugangsdaten ein (http://benutzer:passwort@proxy:port) oder fragen Sie Ihre IT."}
	case status == 429:
		return &Error{Kind: ErrRateLimited, Message: "Anfragelimit des Anbieters erreicht (429)", Err: cause,
			hint: "Der Anbieter hat zu viele Anfragen abgewiesen, auch nach mehreren Versuchen. Warten Sie einige Minuten oder prüfen Sie das Kontingent Ihres Vertrags."}
	case status >= 500:
		return &Error{Kind: ErrServer, Message: fmt.Sprintf("Fehler beim Anbieter (%d)", status), Err: cause,
			hint: "Der Dienst von " + host + " hat einen Fehler gemeldet. Versuchen Sie es später noch einmal."}
	}
	return &Error{Kind: ErrServer, Message: fmt.Sprintf("Unerwartete Antwort (%d)", status), Err: cause,
		hint: "Prüfen Sie die Einstellungen unter Einstellungen → Cloud-Anbieter."}
}

// ClassifyTransport turns a transport failure (DNS, TCP, TLS, proxy) into
// an *Error; other errors are returned unchanged. caFile is named in the
// certificate message when one is configured.
func ClassifyTransport(host, caFile string, err error) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		return ce // the German message says it all; drop the url.Error wrapping
	}
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknownCA) || (errors.As(err, &verifyErr) && errors.As(verifyErr.Err, &unknownCA)):
		hint := "Das Zertifikat von " + host + " wurde von einer unbekannten Zertifizierungsstelle (CA) ausgestellt. " +
			"Prüft ein Proxy Ihrer Verwaltung TLS-Verbindungen, wählen Sie unter Einstellungen → Cloud-Anbieter die CA-Datei Ihrer IT aus."
		if caFile != "" {
			hint = "Das Zertifikat von " + host + " stammt von einer CA, die weder im System noch in der gewählten CA-Datei " + caFile +
				" steht. Fragen Sie Ihre IT nach der richtigen CA-Datei (PEM)."
		}
		return &Error{Kind: ErrCertificate, Message: "TLS-Zertifikat nicht vertrauenswürdig: unbekannte Zertifizierungsstelle (CA)", Err: err, hint: hint}
	case errors.As(err, &hostErr):
		return &Error{Kind: ErrCertificate, Message: "TLS-Zertifikat passt nicht zur Adresse " + host, Err: err,
			hint: "Die Adresse in den Einstellungen stimmt nicht mit dem Zertifikat des Servers überein. Prüfen Sie die Basis-URL."}
	case errors.As(err, &invalid):
		return &Error{Kind: ErrCertificate, Message: "TLS-Zertifikat ungültig (abgelaufen oder nicht zulässig)", Err: err,
			hint: "Prüfen Sie Datum und Uhrzeit dieses PCs; sonst melden Sie das Zertifikat von " + host + " Ihrer IT."}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		return &Error{Kind: ErrProxy, Message: "Proxy nicht erreichbar", Err: err,
			hint: "Prüfen Sie die Proxy-Adresse unter Einstellungen → Cloud-Anbieter oder die Proxy-Einstellungen des Systems."}
	}
	if strings.Contains(err.Error(), "proxyconnect") {
		return &Error{Kind: ErrProxy, Message: "Proxy-Verbindung fehlgeschlagen", Err: err,
			hint: "Prüfen Sie die Proxy-Adresse unter Einstellungen → Cloud-Anbieter oder fragen Sie Ihre IT."}
	}
	var dnsErr *net.DNSError
	var uerr *url.Error
	if errors.As(err, &dnsErr) || errors.As(err, &opErr) || (errors.As(err, &uerr) && uerr.Timeout()) {
		return &Error{Kind: ErrUnreachable, Message: "Server " + host + " nicht erreichbar", Err: err,
			hint: "Prüfen Sie die Internetverbindung, die Adresse und ob ein Proxy nötig ist (Einstellungen → Cloud-Anbieter)."}
	}
	return err
}
