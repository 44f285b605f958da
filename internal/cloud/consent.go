package cloud

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// PromptInfo names one test prompt in the consent text.
type PromptInfo struct {
	ID      string `json:"id"`
	UseCase string `json:"use_case,omitempty"`
}

// Plan is what a run would send: which prompts of which bundle to which
// endpoint.
type Plan struct {
	Endpoint      Endpoint
	BundleID      string
	BundleVersion string
	CloudAllowed  bool // the bundle's cloud_allowed flag
	Prompts       []PromptInfo
}

// Consent is the user's confirmation for one run, given in the dialog or
// with --allow-cloud.
type Consent struct {
	Host      string    `json:"host"`
	URL       string    `json:"url"`
	BundleID  string    `json:"bundle_id"`
	PromptIDs []string  `json:"prompt_ids"`
	GivenAt   time.Time `json:"given_at"`
	Via       string    `json:"via"` // "gui" or "cli"
}

// NeedsConsent reports whether the plan sends anything off this PC.
func (p Plan) NeedsConsent() bool { return !p.Endpoint.IsLoopback() }

// Grant records the user's consent to exactly this plan, now.
func (p Plan) Grant(via string) *Consent {
	ids := make([]string, len(p.Prompts))
	for i, pr := range p.Prompts {
		ids[i] = pr.ID
	}
	return &Consent{Host: p.Endpoint.Host(), URL: p.Endpoint.ChatURL(), BundleID: p.BundleID, PromptIDs: ids,
		GivenAt: time.Now().UTC(), Via: via}
}

// Authorize is the gate every run passes before a prompt leaves the PC.
// A loopback endpoint needs nothing. Any other endpoint needs a bundle
// marked cloud_allowed and a consent that names this host, this bundle and
// every prompt of the plan.
func Authorize(p Plan, c *Consent) error {
	if !p.NeedsConsent() {
		return nil
	}
	host := p.Endpoint.Host()
	if !p.CloudAllowed {
		return &Error{Kind: ErrNotCloudAllowed,
			Message: fmt.Sprintf("Das Prüfpaket %q darf nicht an einen externen Dienst (%s) gesendet werden", p.BundleID, host),
			hint:    "Nur Prüfpakete mit cloud_allowed: true enthalten ausschließlich erfundene Daten und dürfen in die Cloud. Wählen Sie ein solches Paket."}
	}
	if c == nil {
		return &Error{Kind: ErrConsentRequired,
			Message: fmt.Sprintf("Ohne Ihre Zustimmung werden keine Prüfaufgaben an %s gesendet", host),
			hint:    "Bestätigen Sie den Versand im Dialog, oder geben Sie auf der Kommandozeile --allow-cloud an."}
	}
	if !strings.EqualFold(c.Host, host) || c.BundleID != p.BundleID {
		return &Error{Kind: ErrConsentRequired,
			Message: fmt.Sprintf("Die Zustimmung gilt für %s (Paket %q), nicht für %s (Paket %q)", c.Host, c.BundleID, host, p.BundleID),
			hint:    "Bestätigen Sie den Versand für diesen Lauf erneut."}
	}
	for _, pr := range p.Prompts {
		if !slices.Contains(c.PromptIDs, pr.ID) {
			return &Error{Kind: ErrConsentRequired,
				Message: fmt.Sprintf("Die Prüfaufgabe %q war nicht Teil der Zustimmung", pr.ID),
				hint:    "Bestätigen Sie den Versand für diesen Lauf erneut."}
		}
	}
	return nil
}

// ConsentText is the dialog's (and the CLI's) statement of what will be
// sent, in German: host, full address, bundle, every prompt, the fact that
// the prompts hold only synthetic data, and that consent is for this run.
func (p Plan) ConsentText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "KI-Check sendet für diesen einen Testlauf die folgenden %d Prüfaufgaben an %s:\n", len(p.Prompts), p.Endpoint.Host())
	fmt.Fprintf(&b, "Adresse: %s\n", p.Endpoint.ChatURL())
	if p.Endpoint.IsAzure() {
		fmt.Fprintf(&b, "Deployment: %s\n", p.Endpoint.AzureDeployment)
	} else {
		fmt.Fprintf(&b, "Modell: %s\n", p.Endpoint.Model)
	}
	fmt.Fprintf(&b, "Prüfpaket: %s", p.BundleID)
	if p.BundleVersion != "" {
		fmt.Fprintf(&b, " (Version %s)", p.BundleVersion)
	}
	b.WriteString("\n\n")
	for _, pr := range p.Prompts {
		if pr.UseCase != "" {
			fmt.Fprintf(&b, "  • %s – %s\n", pr.ID, pr.UseCase)
		} else {
			fmt.Fprintf(&b, "  • %s\n", pr.ID)
		}
	}
	b.WriteString("\nDie Aufgaben enthalten nur erfundene (synthetische) Daten, keine echten personenbezogenen Daten. " +
		"Ihr API-Schlüssel wird nur an diese Adresse gesendet. Die Zustimmung gilt nur für diesen Lauf und wird mit Zeitpunkt und Adresse gespeichert.")
	return b.String()
}

// ErrCLIConsentMissing is the command line's refusal: the endpoint is off
// this PC and --allow-cloud was not given.
func ErrCLIConsentMissing(host string) error {
	return &Error{Kind: ErrConsentRequired,
		Message: "Abgelehnt: " + host + " liegt nicht auf diesem PC und --allow-cloud fehlt; es wurde nichts gesendet",
		hint:    "Prüfen Sie die oben aufgeführten Prüfaufgaben. Wenn Sie dem Versand für diesen Lauf zustimmen, starten Sie den Befehl erneut mit --allow-cloud."}
}
