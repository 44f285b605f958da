package cloudrun_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/store"
)

// TestRefusalsInClientLanguage: the refusals Run gives before anything is
// sent (invalid endpoint, no consent, no key) come in ClientOptions.Lang,
// German by default. The endpoint is never contacted.
func TestRefusalsInClientLanguage(t *testing.T) {
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), store.FileName), cloudrun.Schemas...)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := testBundle(t, "true")
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: "https://ki.example/v1", Model: "m"}
	consent := cloudrun.PlanFor(ep, b).Grant("test")
	cases := []struct {
		req    cloudrun.Request
		kind   error
		de, en string
	}{
		{cloudrun.Request{Endpoint: cloud.Endpoint{BaseURL: "http://ki.example/v1", Model: "m"}, Bundle: b, Repeat: 1},
			cloud.ErrInvalidField, "Einstellung base_url: unverschlüsselte Verbindung", "Setting base_url: an unencrypted connection"},
		{cloudrun.Request{Endpoint: ep, Key: cloud.NewAPIKey("k"), Bundle: b, Repeat: 1},
			cloud.ErrConsentRequired, "Ohne Ihre Zustimmung werden keine Prüfaufgaben an ki.example gesendet", "Without your consent no test tasks are sent to ki.example"},
		{cloudrun.Request{Endpoint: ep, Bundle: b, Consent: consent, Repeat: 1},
			cloud.ErrNoKey, "Kein API-Schlüssel für ki.example", "No API key for ki.example"},
	}
	for _, c := range cases {
		for lang, want := range map[string]string{"": c.de, "de": c.de, "en": c.en} {
			req := c.req
			req.ClientOptions.Lang = lang
			res, err := cloudrun.Run(t.Context(), db, req)
			var ce *cloud.Error
			if res != nil || !errors.Is(err, c.kind) || !errors.As(err, &ce) || !strings.HasPrefix(ce.Message, want) || ce.Hint() == "" {
				t.Errorf("lang %q: %v, want %q", lang, err, want)
			}
		}
	}
}
