package cloud_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/cloud"
)

// TestErrorsInEnglish: with ClientOptions.Lang "en" the errors a person
// reads come in English, from real loopback servers (HTTP 401 and 429,
// TLS with an unknown CA) and a proxy that is not there; without Lang they
// stay German, and Localize turns a German error into English.
func TestErrorsInEnglish(t *testing.T) {
	status := 401
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
	}))
	defer srv.Close()
	get := func(ep cloud.Endpoint, url string, lang string) *cloud.Error {
		t.Helper()
		hc, err := cloud.HTTPClient(ep, cloud.ClientOptions{Lang: lang, Retry: cloud.RetryPolicy{MaxAttempts: 1}})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("GET %s: no error", url)
		}
		var ce *cloud.Error
		if !errors.As(err, &ce) {
			t.Fatalf("GET %s: %v is no *cloud.Error", url, err)
		}
		return ce
	}
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: srv.URL + "/v1", Model: "m"}

	de := get(ep, srv.URL+"/v1/models", "")
	if de.Message != "Zugang abgelehnt (401)" || !strings.Contains(de.Hint(), "API-Schlüssel") {
		t.Errorf("German default: %q / %q", de.Message, de.Hint())
	}
	en := get(ep, srv.URL+"/v1/models", "en")
	if en.Message != "Access denied (401)" || !strings.Contains(en.Hint(), "The API key for "+ep.Host()+" is wrong") || !errors.Is(en, cloud.ErrUnauthorized) {
		t.Errorf("English 401: %q / %q", en.Message, en.Hint())
	}
	if l := de.Localize("en"); l.Message != en.Message || l.Hint() != en.Hint() || de.Message != "Zugang abgelehnt (401)" {
		t.Errorf("Localize(en): %q / %q (original now %q)", l.Message, l.Hint(), de.Message)
	}

	status = 429
	if en := get(ep, srv.URL+"/v1/models", "en"); en.Message != "The provider's rate limit was reached (429)" || !strings.Contains(en.Hint(), "Wait a few minutes") {
		t.Errorf("English 429: %q / %q", en.Message, en.Hint())
	}

	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler()) // its CA is in no pool
	defer tlsSrv.Close()
	tep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: tlsSrv.URL + "/v1", Model: "m"}
	if en := get(tep, tlsSrv.URL+"/v1/models", "en"); en.Message != "TLS certificate not trusted: unknown certificate authority (CA)" ||
		!strings.Contains(en.Hint(), "choose your IT's CA file") || !errors.Is(en, cloud.ErrCertificate) {
		t.Errorf("English unknown CA: %q / %q", en.Message, en.Hint())
	}

	// A proxy on a port where nothing listens (the listener is closed
	// again); loopback targets bypass the proxy, so the target is remote
	// and never reached.
	gone := httptest.NewServer(http.NotFoundHandler())
	proxyURL := gone.URL
	gone.Close()
	pep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: "https://api.example.invalid/v1", Model: "m", ProxyURL: proxyURL}
	if en := get(pep, "https://api.example.invalid/v1/models", "en"); en.Message != "Proxy not reachable" || !errors.Is(en, cloud.ErrProxy) {
		t.Errorf("English proxy error: %q / %q", en.Message, en.Hint())
	}

	// A bad CA file is refused in English before any connection.
	_, err := cloud.HTTPClient(cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: srv.URL, Model: "m", CAFile: "/nonexistent/ca.pem"}, cloud.ClientOptions{Lang: "en"})
	var ce *cloud.Error
	if !errors.As(err, &ce) || ce.Message != "CA file /nonexistent/ca.pem cannot be read" || ce.Field != "ca_file" {
		t.Errorf("English CA file error: %v", err)
	}
}

// TestValidationInBothLanguages: every check of Validate, the key and
// consent refusals and the consent text, German by default and English
// through Localize / Localized, with the field still named.
func TestValidationInBothLanguages(t *testing.T) {
	cases := []struct {
		ep       cloud.Endpoint
		field    string
		de, en   string // start of the message
		deH, enH string // part of the hint
	}{
		{cloud.Endpoint{Preset: cloud.PresetAzure}, "base_url", "Einstellung base_url: die Adresse (Basis-URL) fehlt", "Setting base_url: the address (base URL) is missing",
			"(dazu Deployment-Name und api-version)", "(plus deployment name and api-version)"},
		{cloud.Endpoint{Preset: cloud.PresetVLLM, BaseURL: "ki.example"}, "base_url", `Einstellung base_url: "ki.example" ist keine gültige Adresse`, `Setting base_url: "ki.example" is not a valid address`,
			"Beispiel: https://ki.rechenzentrum.example/v1 (Adresse vom Rechenzentrum)", "Example: https://ki.rechenzentrum.example/v1 (address from the data centre)"},
		{cloud.Endpoint{BaseURL: "http://ki.example/v1", Model: "m"}, "base_url", "Einstellung base_url: unverschlüsselte Verbindung (http) zu ki.example ist nicht erlaubt",
			"Setting base_url: an unencrypted connection (http) to ki.example is not allowed", "verwenden Sie https://", "use https://"},
		{cloud.Endpoint{Preset: cloud.PresetMistral, BaseURL: "https://api.mistral.ai/v1"}, "model", "Einstellung model: der Modellname fehlt", "Setting model: the model name is missing",
			"z. B. mistral-small-latest", "e.g. mistral-small-latest"},
		{cloud.Endpoint{Preset: cloud.PresetAzure, BaseURL: "https://r.openai.azure.com"}, "azure_deployment", "Einstellung azure_deployment: der Deployment-Name fehlt",
			"Setting azure_deployment: the deployment name is missing", "„Bereitstellungen“", "“Deployments”"},
		{cloud.Endpoint{BaseURL: "https://ki.example/v1", Model: "m", KeyEnv: "1KEY"}, "key_env", `Einstellung key_env: "1KEY" ist kein gültiger Name`,
			`Setting key_env: "1KEY" is not a valid environment variable name`, "nur Buchstaben", "letters, digits and _ only"},
		{cloud.Endpoint{BaseURL: "https://ki.example/v1", Model: "m", ProxyURL: "proxy:8080"}, "proxy_url", `Einstellung proxy_url: "proxy:8080" ist keine gültige Proxy-Adresse`,
			`Setting proxy_url: "proxy:8080" is not a valid proxy address`, "Beispiel: http://proxy", "Example: http://proxy"},
	}
	for _, c := range cases {
		err := c.ep.Validate()
		var de *cloud.Error
		if !errors.As(err, &de) || de.Field != c.field || !errors.Is(err, cloud.ErrInvalidField) {
			t.Errorf("%+v: %v", c.ep, err)
			continue
		}
		en := de.Localize("en")
		if !strings.HasPrefix(de.Message, c.de) || !strings.Contains(de.Hint(), c.deH) {
			t.Errorf("German: %q / %q, want %q / %q", de.Message, de.Hint(), c.de, c.deH)
		}
		if !strings.HasPrefix(en.Message, c.en) || !strings.Contains(en.Hint(), c.enH) || en.Field != c.field || !errors.Is(en, cloud.ErrInvalidField) {
			t.Errorf("English: %q / %q, want %q / %q", en.Message, en.Hint(), c.en, c.enH)
		}
		if l := cloud.Localized(err, "en"); l.Error() != en.Error() {
			t.Errorf("Localized = %q", l.Error())
		}
		assertEnglish(t, en.Message+"\n"+en.Hint())
	}
	if err := cloud.Localized(errors.New("other"), "en"); err.Error() != "other" || cloud.Localized(nil, "en") != nil {
		t.Errorf("Localized changed a foreign error: %v", err)
	}

	// Key, consent and the consent text.
	_, err := cloud.LoadKey(cloud.Endpoint{BaseURL: "https://ki.example/v1", KeyEnv: "KICHECK_EMPTY_FOR_TEST"}, func(string) string { return "" })
	if de, en := err.Error(), cloud.Localized(err, "en").Error(); de != "Die Umgebungsvariable KICHECK_EMPTY_FOR_TEST ist leer oder nicht gesetzt" ||
		en != "The environment variable KICHECK_EMPTY_FOR_TEST is empty or not set" {
		t.Errorf("empty key variable: %q / %q", de, en)
	}
	if err := cloud.Localized(cloud.ErrCLIConsentMissing("ki.example"), "en"); !strings.HasPrefix(err.Error(), "Refused: ki.example is not on this PC") ||
		!strings.Contains(err.(interface{ Hint() string }).Hint(), "start the command again with --allow-cloud") {
		t.Errorf("CLI consent: %v", err)
	}
	plan := cloud.Plan{Endpoint: cloud.Endpoint{BaseURL: "https://ki.example/v1", Model: "m"}, BundleID: "b", BundleVersion: "1", CloudAllowed: false,
		Prompts: []cloud.PromptInfo{{ID: "p1", UseCase: "draft"}}}
	if err := cloud.Localized(cloud.Authorize(plan, nil), "en"); err == nil || err.Error() != `The test bundle "b" may not be sent to an external service (ki.example)` {
		t.Errorf("not cloud_allowed: %v", err)
	}
	plan.CloudAllowed = true
	if err := cloud.Localized(cloud.Authorize(plan, nil), "en"); err == nil || err.Error() != "Without your consent no test tasks are sent to ki.example" {
		t.Errorf("no consent: %v", err)
	}
	de, en := plan.ConsentText(), plan.ConsentTextIn("en")
	if !strings.Contains(de, "die folgenden 1 Prüfaufgaben an ki.example") || !strings.Contains(de, "Prüfpaket: b (Version 1)") ||
		!strings.Contains(en, "the following 1 test tasks to ki.example") || !strings.Contains(en, "Test bundle: b (version 1)") ||
		!strings.Contains(en, "  • p1 – draft") || !strings.Contains(en, "only invented (synthetic) data") {
		t.Errorf("consent text:\n%s\n---\n%s", de, en)
	}
	assertEnglish(t, en)

	ev := cloud.RetryEvent{Host: "ki.example", Status: 429, Attempt: 1, Of: 4, Wait: 1500 * time.Millisecond}
	if ev.String() != "Anfragelimit bei ki.example (429), neuer Versuch 2 von 4 in 1.5s" || ev.Text("en") != "Rate limit at ki.example (429), new attempt 2 of 4 in 1.5s" {
		t.Errorf("retry: %q / %q", ev.String(), ev.Text("en"))
	}
	vllm := cloud.PresetByID(cloud.PresetVLLM)
	if vllm.DisplayName("de") != vllm.Name || vllm.DisplayName("en") != "vLLM in the municipal data centre" || cloud.PresetByID(cloud.PresetMistral).DisplayName("en") != "Mistral AI" {
		t.Errorf("preset names: %q / %q", vllm.DisplayName("de"), vllm.DisplayName("en"))
	}
}

// TestStatusErrorCauseInEnglish: the provider's own words are introduced
// in the message's language, also after Localize.
func TestStatusErrorCauseInEnglish(t *testing.T) {
	de := cloud.StatusError("ki.example", 401, `{"error":"invalid key"}`)
	var ce *cloud.Error
	if !errors.As(de, &ce) || de.Error() != `Zugang abgelehnt (401): antwort von ki.example: invalid key` {
		t.Fatalf("German: %v", de)
	}
	if en := ce.Localize("en").Error(); en != `Access denied (401): response from ki.example: invalid key` {
		t.Errorf("English: %q", en)
	}
}

// assertEnglish fails when text holds umlauts or common German words: a
// German text left behind in the English output.
func assertEnglish(t *testing.T, text string) {
	t.Helper()
	for _, german := range []string{"ä", "ö", "ü", "ß", "Ä", "Ö", "Ü", " der ", " die ", " und ", " nicht ", "Sie ", "Einstellung", "Prüf", "Zustimmung", "Schlüssel"} {
		if strings.Contains(text, german) {
			t.Errorf("English text contains German %q:\n%s", german, text)
		}
	}
}
