package cloud

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Preset ids.
const (
	PresetOpenAI  = "openai"
	PresetAzure   = "azure"
	PresetMistral = "mistral"
	PresetIONOS   = "ionos"
	PresetSTACKIT = "stackit"
	PresetVLLM    = "vllm"
	PresetCustom  = "custom"
)

// Preset is a provider a municipality may consider, with the URL form its
// OpenAI-compatible API uses.
type Preset struct {
	ID   string
	Name string // shown in the picker
	// BaseURL is the default base URL ("…/v1"); empty where it depends on
	// the customer (Azure resource, own data centre).
	BaseURL string
	// URLHint says what to enter for base URL, in German; URLHintIn gives
	// it in another language.
	URLHint string
	// Model is a typical model name, a suggestion only.
	Model string
	// Azure presets build the URL from resource, deployment and api-version.
	Azure bool
	// EUHosted is true for providers that process in the EU by contract;
	// shown in the consent text, never used to skip consent.
	EUHosted bool
}

// Presets lists the providers in the order the picker shows them. URLs are
// the providers' documented OpenAI-compatible base URLs; check them against
// the contract, providers change them.
var Presets = []Preset{
	{ID: PresetOpenAI, Name: "OpenAI", BaseURL: "https://api.openai.com/v1", Model: "gpt-4o-mini",
		URLHint: "https://api.openai.com/v1"},
	{ID: PresetAzure, Name: "Azure OpenAI", Azure: true, EUHosted: true,
		URLHint: "https://RESSOURCE.openai.azure.com (dazu Deployment-Name und api-version)"},
	{ID: PresetMistral, Name: "Mistral AI", BaseURL: "https://api.mistral.ai/v1", Model: "mistral-small-latest", EUHosted: true,
		URLHint: "https://api.mistral.ai/v1"},
	{ID: PresetIONOS, Name: "IONOS AI Model Hub", BaseURL: "https://openai.inference.de-txl.ionos.com/v1", EUHosted: true,
		Model: "meta-llama/Meta-Llama-3.1-8B-Instruct", URLHint: "https://openai.inference.de-txl.ionos.com/v1"},
	{ID: PresetSTACKIT, Name: "STACKIT AI Model Serving", BaseURL: "https://api.openai-compat.model-serving.eu01.onstackit.cloud/v1", EUHosted: true,
		URLHint: "https://api.openai-compat.model-serving.eu01.onstackit.cloud/v1"},
	{ID: PresetVLLM, Name: "vLLM im kommunalen Rechenzentrum", EUHosted: true,
		URLHint: "https://ki.rechenzentrum.example/v1 (Adresse vom Rechenzentrum)"},
	{ID: PresetCustom, Name: "Eigener Anbieter (OpenAI-kompatibel)",
		URLHint: "https://…/v1"},
}

// DisplayName is the name the picker shows, in lang ("de", "en"): a
// provider's own name stays, a description is translated
// ("cloud.preset.<id>.name" in assets/lang).
func (p Preset) DisplayName(lang string) string { return p.localized(lang, "name", p.Name) }

// URLHintIn is URLHint in lang ("cloud.preset.<id>.url_hint").
func (p Preset) URLHintIn(lang string) string { return p.localized(lang, "url_hint", p.URLHint) }

func (p Preset) localized(lang, what, german string) string {
	id := "cloud.preset." + p.ID + "." + what
	if _, ok := i18n.Catalog(i18n.Default)[id]; !ok {
		return german
	}
	return i18n.T(lang, id)
}

// presetURLHint is a preset's URL hint as a message value, rendered in the
// language of the message it is part of.
type presetURLHint string

func (h presetURLHint) Text(lang string) string { return PresetByID(string(h)).URLHintIn(lang) }

// PresetByID returns the preset with id, or the custom preset.
func PresetByID(id string) Preset {
	for _, p := range Presets {
		if p.ID == id {
			return p
		}
	}
	return Presets[len(Presets)-1]
}

// DefaultAzureAPIVersion is used when the user leaves api-version empty.
const DefaultAzureAPIVersion = "2024-10-21"

// Endpoint is a configured OpenAI-compatible endpoint. It holds no secret:
// the key is found through KeyRef.
type Endpoint struct {
	Preset  string `json:"preset"`
	BaseURL string `json:"base_url"`
	Model   string `json:"model"`
	// Azure only: the deployment name and the api-version query parameter.
	AzureDeployment string `json:"azure_deployment,omitempty"`
	AzureAPIVersion string `json:"azure_api_version,omitempty"`
	// KeyEnv names an environment variable holding the key; empty means
	// the key is in the OS credential store under KeyringUser().
	KeyEnv string `json:"key_env,omitempty"`
	// ProxyURL is an explicit proxy (http://host:port); empty means the
	// system proxy.
	ProxyURL string `json:"proxy_url,omitempty"`
	// CAFile is a PEM file with extra CA certificates (a TLS-inspecting
	// proxy's root), added to the system pool.
	CAFile string `json:"ca_file,omitempty"`
}

// IsAzure reports whether the endpoint uses Azure's URL form.
func (e Endpoint) IsAzure() bool { return PresetByID(e.Preset).Azure }

// Host returns the host name prompts are sent to (for consent texts).
func (e Endpoint) Host() string {
	u, err := url.Parse(strings.TrimSpace(e.BaseURL))
	if err != nil {
		return e.BaseURL
	}
	return u.Hostname()
}

// KeyringUser is the account name the key is stored under in the OS
// credential store: one key per host, so changing the model keeps the key.
func (e Endpoint) KeyringUser() string { return "endpoint:" + strings.ToLower(e.Host()) }

// Validate checks the fields a person entered and names the one to fix.
// The *Error is German; Localize (or Localized) gives another language.
func (e Endpoint) Validate() error {
	raw := strings.TrimSpace(e.BaseURL)
	hint := presetURLHint(e.Preset)
	if raw == "" {
		return fieldError("base_url", "base_url_missing", map[string]any{"URLHint": hint})
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fieldError("base_url", "base_url", map[string]any{"URL": fmt.Sprintf("%q", raw), "URLHint": hint})
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return fieldError("base_url", "http", map[string]any{"Host": u.Hostname()})
	}
	if strings.TrimSpace(e.Model) == "" && !e.IsAzure() {
		return fieldError("model", "model_missing", map[string]any{"Example": PresetByID(e.Preset).Model})
	}
	if e.IsAzure() && strings.TrimSpace(e.AzureDeployment) == "" {
		return fieldError("azure_deployment", "deployment_missing", nil)
	}
	if e.KeyEnv != "" && !validEnvName(e.KeyEnv) {
		return fieldError("key_env", "key_env", map[string]any{"Name": fmt.Sprintf("%q", e.KeyEnv)})
	}
	if e.ProxyURL != "" {
		p, err := url.Parse(e.ProxyURL)
		if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
			return fieldError("proxy_url", "proxy_url", map[string]any{"URL": fmt.Sprintf("%q", e.ProxyURL)})
		}
	}
	return nil
}

func validEnvName(s string) bool {
	for i, r := range s {
		ok := r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return s != ""
}

// RequestBaseURL is the base URL the OpenAI client is given. For Azure it
// is the resource URL; go-openai's Azure config adds
// /openai/deployments/DEPLOYMENT/…?api-version=….
func (e Endpoint) RequestBaseURL() string {
	return strings.TrimRight(strings.TrimSpace(e.BaseURL), "/")
}

// ChatURL is the full chat-completions URL, shown to the user in the
// consent dialog so they see exactly where prompts go.
func (e Endpoint) ChatURL() string {
	base := e.RequestBaseURL()
	if e.IsAzure() {
		v := e.AzureAPIVersion
		if v == "" {
			v = DefaultAzureAPIVersion
		}
		return base + "/openai/deployments/" + url.PathEscape(e.AzureDeployment) + "/chat/completions?api-version=" + url.QueryEscape(v)
	}
	return base + "/chat/completions"
}

// IsLoopback reports whether the endpoint is on this PC (localhost,
// 127.0.0.0/8, ::1): such endpoints need no consent, nothing leaves the PC.
func (e Endpoint) IsLoopback() bool { return IsLoopbackURL(e.BaseURL) }

// IsLoopbackURL reports whether raw points at this PC.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}

// IsLoopbackHost reports whether host is a loopback name or address. Names
// other than "localhost" are not resolved: a name that only happens to
// resolve to 127.0.0.1 today counts as remote, to be safe.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
