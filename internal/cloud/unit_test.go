package cloud_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"net/http"
	"net/http/httptest"
	"os"

	"github.com/zalando/go-keyring"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/store"
)

func remotePlan() cloud.Plan {
	return cloud.Plan{
		Endpoint:     cloud.Endpoint{Preset: cloud.PresetMistral, BaseURL: "https://api.mistral.ai/v1", Model: "mistral-small-latest"},
		BundleID:     "kommunal-basis",
		CloudAllowed: true,
		Prompts:      []cloud.PromptInfo{{ID: "bescheid-zusammenfassen", UseCase: "Zusammenfassung"}, {ID: "email-klassifizieren"}},
	}
}

func TestAuthorize(t *testing.T) {
	plan := remotePlan()
	local := plan
	local.Endpoint.BaseURL = "http://127.0.0.1:11434/v1"
	local.CloudAllowed = false
	notAllowed := plan
	notAllowed.CloudAllowed = false
	otherHost := plan.Grant("cli")
	otherHost.Host = "api.openai.com"
	partial := plan.Grant("gui")
	partial.PromptIDs = partial.PromptIDs[:1]

	cases := []struct {
		name    string
		plan    cloud.Plan
		consent *cloud.Consent
		want    error
	}{
		{"loopback needs no consent", local, nil, nil},
		{"remote without consent", plan, nil, cloud.ErrConsentRequired},
		{"remote with consent", plan, plan.Grant("cli"), nil},
		{"bundle not cloud_allowed, even with consent", notAllowed, notAllowed.Grant("cli"), cloud.ErrNotCloudAllowed},
		{"consent for another host", plan, otherHost, cloud.ErrConsentRequired},
		{"consent missing a prompt", plan, partial, cloud.ErrConsentRequired},
	}
	for _, c := range cases {
		err := cloud.Authorize(c.plan, c.consent)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
		var h interface{ Hint() string }
		if err != nil && (!errors.As(err, &h) || h.Hint() == "") {
			t.Errorf("%s: error has no hint", c.name)
		}
	}
}

func TestConsentTextListsEveryPromptAndHost(t *testing.T) {
	text := remotePlan().ConsentText()
	for _, want := range []string{"api.mistral.ai", "https://api.mistral.ai/v1/chat/completions", "bescheid-zusammenfassen", "email-klassifizieren",
		"erfundene (synthetische) Daten", "nur für diesen Lauf"} {
		if !strings.Contains(text, want) {
			t.Errorf("consent text lacks %q:\n%s", want, text)
		}
	}
}

func TestLoopbackDetection(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://localhost:11434/v1": true, "http://127.0.0.1:8080": true, "http://[::1]:1234/v1": true, "http://127.8.9.10/": true,
		"https://api.openai.com/v1": false, "https://10.0.0.5/v1": false, "https://localhost.evil.example/v1": false, "::::": false,
	} {
		if got := cloud.IsLoopbackURL(raw); got != want {
			t.Errorf("IsLoopbackURL(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestValidateNamesTheField(t *testing.T) {
	cases := map[string]struct {
		ep    cloud.Endpoint
		field string
	}{
		"empty url":        {cloud.Endpoint{Model: "m"}, "base_url"},
		"no scheme":        {cloud.Endpoint{BaseURL: "api.example/v1", Model: "m"}, "base_url"},
		"remote http":      {cloud.Endpoint{BaseURL: "http://api.example/v1", Model: "m"}, "base_url"},
		"no model":         {cloud.Endpoint{BaseURL: "https://api.example/v1"}, "model"},
		"azure deployment": {cloud.Endpoint{Preset: cloud.PresetAzure, BaseURL: "https://r.openai.azure.com"}, "azure_deployment"},
		"bad env name":     {cloud.Endpoint{BaseURL: "https://api.example/v1", Model: "m", KeyEnv: "MY-KEY"}, "key_env"},
		"bad proxy":        {cloud.Endpoint{BaseURL: "https://api.example/v1", Model: "m", ProxyURL: "proxy:8080"}, "proxy_url"},
	}
	for name, c := range cases {
		var ce *cloud.Error
		if err := c.ep.Validate(); !errors.As(err, &ce) || ce.Field != c.field || ce.Hint() == "" {
			t.Errorf("%s: err = %v, want field %s with a hint", name, err, c.field)
		}
	}
	ok := cloud.Endpoint{BaseURL: "http://localhost:11434/v1", Model: "m"}
	if err := ok.Validate(); err != nil {
		t.Errorf("loopback http: %v", err)
	}
}

func TestAzureURLForm(t *testing.T) {
	ep := cloud.Endpoint{Preset: cloud.PresetAzure, BaseURL: "https://halle.openai.azure.com/", AzureDeployment: "gpt4o mini"}
	want := "https://halle.openai.azure.com/openai/deployments/gpt4o%20mini/chat/completions?api-version=" + cloud.DefaultAzureAPIVersion
	if got := ep.ChatURL(); got != want {
		t.Fatalf("ChatURL = %q, want %q", got, want)
	}
	if ep.ModelName() != "gpt4o mini" {
		t.Fatalf("ModelName = %q, want the deployment", ep.ModelName())
	}
	cfg := cloud.OpenAIConfig(ep, cloud.NewAPIKey("k"), nil)
	if cfg.APIVersion != cloud.DefaultAzureAPIVersion || cfg.BaseURL != "https://halle.openai.azure.com" {
		t.Fatalf("azure config = %+v", cfg)
	}
}

func TestAPIKeyNeverPrints(t *testing.T) {
	k := cloud.NewAPIKey("  sk-geheim-123\n")
	if k.Reveal() != "sk-geheim-123" {
		t.Fatalf("Reveal = %q", k.Reveal())
	}
	out := fmt.Sprintf("%v %s %q %+v %#v", k, k, k, struct{ K cloud.APIKey }{k}, k)
	b, _ := json.Marshal(struct{ K cloud.APIKey }{k})
	if strings.Contains(out+string(b), "geheim-123") {
		t.Fatalf("key leaked: %s %s", out, b)
	}
}

// The storage part of the credential store is tested with go-keyring's
// in-memory mock (no Secret Service on CI); scripts/secret-service.sh runs
// TestRealSecretService against a real one.
func TestKeyStorageWithMock(t *testing.T) {
	if os.Getenv("KICHECK_SECRET_SERVICE") == "1" {
		t.Skip("a real Secret Service runs: TestRealSecretService covers storage, the mock would replace it for the whole process")
	}
	keyring.MockInit()
	ep := cloud.Endpoint{BaseURL: "https://api.mistral.ai/v1", Model: "m"}
	if _, err := cloud.LoadKey(ep, nil); !errors.Is(err, cloud.ErrNoKey) {
		t.Fatalf("no key yet: %v", err)
	}
	if err := cloud.SaveKey(ep, cloud.NewAPIKey("sk-mock")); err != nil {
		t.Fatal(err)
	}
	k, err := cloud.LoadKey(ep, nil)
	if err != nil || k.Reveal() != "sk-mock" {
		t.Fatalf("load = %v, %v", k, err)
	}
	other := ep
	other.Model = "anderes-modell"
	if k, _ := cloud.LoadKey(other, nil); k.Reveal() != "sk-mock" {
		t.Fatal("the key belongs to the host, not the model")
	}
	if err := cloud.SaveKey(ep, cloud.APIKey{}); err != nil {
		t.Fatal(err)
	}
	if cloud.HasStoredKey(ep) {
		t.Fatal("empty key should delete")
	}
}

func TestKeyFromEnvironment(t *testing.T) {
	ep := cloud.Endpoint{BaseURL: "https://api.mistral.ai/v1", Model: "m", KeyEnv: "KICHECK_TEST_KEY"}
	env := map[string]string{"KICHECK_TEST_KEY": "sk-env\n"}
	k, err := cloud.LoadKey(ep, func(n string) string { return env[n] })
	if err != nil || k.Reveal() != "sk-env" {
		t.Fatalf("env key = %v, %v", k, err)
	}
	_, err = cloud.LoadKey(ep, func(string) string { return "" })
	var ce *cloud.Error
	if !errors.As(err, &ce) || !strings.Contains(ce.Message, "KICHECK_TEST_KEY") {
		t.Fatalf("unset env: %v", err)
	}
}

func TestEndpointAndConsentStorage(t *testing.T) {
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName), cloud.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, ok, err := cloud.LoadEndpoint(ctx, db); ok || err != nil {
		t.Fatalf("fresh db: ok=%v err=%v", ok, err)
	}
	ep := cloud.Endpoint{Preset: cloud.PresetIONOS, BaseURL: "https://openai.inference.de-txl.ionos.com/v1", Model: "llama", ProxyURL: "http://proxy:8080", CAFile: "/etc/ca.pem"}
	if err := cloud.SaveEndpoint(ctx, db, ep); err != nil {
		t.Fatal(err)
	}
	ep.Model = "llama-2"
	if err := cloud.SaveEndpoint(ctx, db, ep); err != nil {
		t.Fatal(err)
	}
	got, ok, err := cloud.LoadEndpoint(ctx, db)
	if err != nil || !ok || got != ep {
		t.Fatalf("loaded %+v, %v, %v; want %+v", got, ok, err, ep)
	}
	runID, _ := db.StartRun(ctx, "bench")
	plan := remotePlan()
	c := plan.Grant("cli")
	if _, err := cloud.RecordConsent(ctx, db, runID, c); err != nil {
		t.Fatal(err)
	}
	back, err := cloud.ConsentForRun(ctx, db, runID)
	if err != nil || back == nil || back.Host != "api.mistral.ai" || len(back.PromptIDs) != 2 || back.Via != "cli" || !back.GivenAt.Equal(c.GivenAt) {
		t.Fatalf("consent back = %+v, %v", back, err)
	}
	if none, _ := cloud.ConsentForRun(ctx, db, runID+1); none != nil {
		t.Fatal("consent for an unknown run")
	}
}

func TestAzureRewriteOfPlainOpenAIPath(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r; w.Write([]byte("{}")) }))
	defer srv.Close()
	ep := cloud.Endpoint{Preset: cloud.PresetAzure, BaseURL: srv.URL, AzureDeployment: "gpt-4o-mini", AzureAPIVersion: "2024-06-01"}
	hc, err := cloud.HTTPClient(ep, cloud.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/v1/chat/completions", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer sk-azure")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got.URL.Path != "/openai/deployments/gpt-4o-mini/chat/completions" || got.URL.Query().Get("api-version") != "2024-06-01" ||
		got.Header.Get("api-key") != "sk-azure" || got.Header.Get("Authorization") != "" {
		t.Fatalf("azure request = %s %v", got.URL, got.Header)
	}
}
