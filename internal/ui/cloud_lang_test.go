package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/cloud"
)

// germanLeft returns the first umlaut or common German word found in an
// English text, or "".
func germanLeft(text string) string {
	for _, w := range []string{"ä", "ö", "ü", "ß", "Ä", "Ö", "Ü", " der ", " die ", " und ", " nicht ", "Sie ", "Einstellung", "Prüf", "Zustimmung", "Schlüssel", "Empfehlung", "Lauf "} {
		if strings.Contains(text, w) {
			return w
		}
	}
	return ""
}

// TestCloudScreensInEnglish: with English chosen in Einstellungen, the
// Cloud-Anbieter section's validation messages, the provider picker, and
// on the Lokal oder Cloud screen the missing-key message, the consent
// dialog and the cost comparison are English. Nothing is sent: the
// endpoint is never contacted (the dialog is cancelled).
func TestCloudScreensInEnglish(t *testing.T) {
	useKeyringMock(t)
	st := newTestState(t)
	last := len(st.shell.screens) - 1
	st.shell.nav.Select(last)
	st.shell.screens[last].(*settingsScreen).language.SetSelected("English")
	if st.settings.Language != "en" {
		t.Fatalf("language = %q", st.settings.Language)
	}

	cs := settingsOf(t, st).cloud
	cs.preset.SetSelected("vLLM in the municipal data centre")
	if cs.selectedPreset().ID != cloud.PresetVLLM || !strings.Contains(cs.baseURL.PlaceHolder, "address from the data centre") {
		t.Fatalf("preset picker: %q, placeholder %q", cs.preset.Selected, cs.baseURL.PlaceHolder)
	}
	for _, c := range []struct{ url, model, want string }{
		{"", "m", "Setting base_url: the address (base URL) is missing"},
		{"http://ki.example/v1", "m", "Setting base_url: an unencrypted connection (http) to ki.example is not allowed\nuse https://"},
		{"https://ki.example/v1", "", "Setting model: the model name is missing"},
	} {
		cs.baseURL.SetText(c.url)
		cs.model.SetText(c.model)
		test.Tap(cs.save)
		if !strings.HasPrefix(cs.status.Text, c.want) || germanLeft(cs.status.Text) != "" {
			t.Errorf("status = %q, want %q", cs.status.Text, c.want)
		}
	}
	cs.model.SetText("m")
	cs.proxy.SetText("proxy:3128")
	test.Tap(cs.save)
	if !strings.HasPrefix(cs.status.Text, `Setting proxy_url: "proxy:3128" is not a valid proxy address`) {
		t.Errorf("status = %q", cs.status.Text)
	}
	cs.proxy.SetText("")
	cs.caFile.SetText(filepath.Join(t.TempDir(), "missing.pem"))
	test.Tap(cs.save)
	if !strings.HasPrefix(cs.status.Text, "CA file ") || germanLeft(cs.status.Text) != "" {
		t.Errorf("status = %q", cs.status.Text)
	}
	cs.caFile.SetText("")
	test.Tap(cs.save) // valid now, no key typed
	if _, ok, _ := cloud.LoadEndpoint(context.Background(), st.db); !ok {
		t.Fatalf("not saved: %q", cs.status.Text)
	}

	// Lokal oder Cloud: no key stored yet.
	os.MkdirAll(filepath.Join(st.dataDir, "bundles", "prompts"), 0o700)
	os.WriteFile(filepath.Join(st.dataDir, "bundles", "prompts", "gui-cloud.yaml"), []byte(guiCloudBundle), 0o600)
	scr := cloudScreenOf(t, st)
	scr.reload()
	test.Tap(scr.runBtn)
	if !strings.HasPrefix(scr.runStatus.Text, "No API key is stored for ki.example") || germanLeft(scr.runStatus.Text) != "" {
		t.Fatalf("run status = %q", scr.runStatus.Text)
	}
	ep, _, _ := cloud.LoadEndpoint(context.Background(), st.db)
	if err := cloud.SaveKey(ep, cloud.NewAPIKey("sk-gui-en")); err != nil {
		t.Fatal(err)
	}
	test.Tap(scr.runBtn)
	if scr.consent == nil {
		t.Fatal("no consent dialog")
	}
	// The prompt lines quote the (German) bundle's titles; the rest is ours.
	text := scr.consent.text.Text
	var ours []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "  • ") {
			ours = append(ours, line)
		}
	}
	if !strings.Contains(text, "KI-Check sends the following 2 test tasks to ki.example") || !strings.Contains(text, "  • gruss – ") ||
		!strings.Contains(text, "only invented (synthetic) data") || germanLeft(strings.Join(ours, "\n")) != "" {
		t.Errorf("consent text:\n%s", text)
	}
	test.Tap(scr.consent.cancel)
	if scr.runStatus.Text != "Cancelled: nothing was sent." {
		t.Errorf("run status = %q", scr.runStatus.Text)
	}

	scr.onCost()
	out := scr.costOut.Text
	for _, want := range []string{"Cost comparison:", "requests a month", "per month", "Recommendation: ", "€", "Data protection:"} {
		if !strings.Contains(out, want) {
			t.Errorf("cost text lacks %q:\n%s", want, out)
		}
	}
	if w := germanLeft(out); w != "" {
		t.Errorf("cost text contains German %q:\n%s", w, out)
	}
	if scr.priceDate.PlaceHolder != "YYYY-MM-DD" {
		t.Errorf("date placeholder %q", scr.priceDate.PlaceHolder)
	}
}
