package cloud

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
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
		return newError(i18n.Default, ErrNotCloudAllowed, "cloud.error.not_cloud_allowed", map[string]any{"Bundle": fmt.Sprintf("%q", p.BundleID), "Host": host}, nil)
	}
	if c == nil {
		return newError(i18n.Default, ErrConsentRequired, "cloud.error.consent_missing", map[string]any{"Host": host}, nil)
	}
	if !strings.EqualFold(c.Host, host) || c.BundleID != p.BundleID {
		return newError(i18n.Default, ErrConsentRequired, "cloud.error.consent_other", map[string]any{"ConsentHost": c.Host,
			"ConsentBundle": fmt.Sprintf("%q", c.BundleID), "Host": host, "Bundle": fmt.Sprintf("%q", p.BundleID)}, nil)
	}
	for _, pr := range p.Prompts {
		if !slices.Contains(c.PromptIDs, pr.ID) {
			return newError(i18n.Default, ErrConsentRequired, "cloud.error.consent_prompt", map[string]any{"Prompt": fmt.Sprintf("%q", pr.ID)}, nil)
		}
	}
	return nil
}

// ConsentText is the dialog's (and the CLI's) statement of what will be
// sent, in German: host, full address, bundle, every prompt, the fact that
// the prompts hold only synthetic data, and that consent is for this run.
func (p Plan) ConsentText() string { return p.ConsentTextIn(i18n.Default) }

// ConsentTextIn is ConsentText in lang ("de", "en").
func (p Plan) ConsentTextIn(lang string) string {
	t := func(id string, data ...any) string { return i18n.T(lang, "cloud.consent."+id, data...) }
	var b strings.Builder
	b.WriteString(t("intro", map[string]any{"Count": len(p.Prompts), "Host": p.Endpoint.Host()}) + "\n")
	b.WriteString(t("address", map[string]any{"URL": p.Endpoint.ChatURL()}) + "\n")
	if p.Endpoint.IsAzure() {
		fmt.Fprintf(&b, "Deployment: %s\n", p.Endpoint.AzureDeployment)
	} else {
		b.WriteString(t("model", map[string]any{"Model": p.Endpoint.Model}) + "\n")
	}
	if p.BundleVersion != "" {
		b.WriteString(t("bundle_version", map[string]any{"Bundle": p.BundleID, "Version": p.BundleVersion}))
	} else {
		b.WriteString(t("bundle", map[string]any{"Bundle": p.BundleID}))
	}
	b.WriteString("\n\n")
	for _, pr := range p.Prompts {
		if pr.UseCase != "" {
			fmt.Fprintf(&b, "  • %s – %s\n", pr.ID, pr.UseCase)
		} else {
			fmt.Fprintf(&b, "  • %s\n", pr.ID)
		}
	}
	b.WriteString("\n" + t("synthetic"))
	return b.String()
}

// ErrCLIConsentMissing is the command line's refusal: the endpoint is off
// this PC and --allow-cloud was not given.
func ErrCLIConsentMissing(host string) error {
	return newError(i18n.Default, ErrConsentRequired, "cloud.error.cli_consent_missing", map[string]any{"Host": host}, nil)
}
