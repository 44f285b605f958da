package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/cloud"
)

// cloudSettings is the "Cloud-Anbieter" part of Einstellungen: which
// OpenAI-compatible endpoint to compare against, how to reach it (proxy,
// CA file) and its API key, which goes to the OS credential store and
// never into the database or settings file.
type cloudSettings struct {
	st *state

	preset     *widget.Select
	baseURL    *widget.Entry
	model      *widget.Entry
	deployment *widget.Entry
	apiVersion *widget.Entry
	azureBox   *fyne.Container
	key        *widget.Entry // password entry; emptied after saving
	keyState   *widget.Label
	keyEnv     *widget.Entry
	proxy      *widget.Entry
	caFile     *widget.Entry
	chooseCA   *kcButton
	save       *kcButton
	test       *kcButton
	status     *widget.Label
}

func newCloudSettings(st *state) *cloudSettings { return &cloudSettings{st: st} }

func (c *cloudSettings) buildUI() fyne.CanvasObject {
	names := make([]string, len(cloud.Presets))
	for i, p := range cloud.Presets {
		names[i] = p.DisplayName(c.st.settings.Language)
	}
	c.preset = widget.NewSelect(names, nil)
	c.baseURL = widget.NewEntry()
	c.model = widget.NewEntry()
	c.deployment = widget.NewEntry()
	c.apiVersion = widget.NewEntry()
	c.apiVersion.SetPlaceHolder(cloud.DefaultAzureAPIVersion)
	c.key = widget.NewPasswordEntry()
	c.key.SetPlaceHolder(lang.L("cloud.key_placeholder"))
	c.keyState = wrapped("")
	c.keyEnv = widget.NewEntry()
	c.keyEnv.SetPlaceHolder("KICHECK_API_KEY")
	c.proxy = widget.NewEntry()
	c.proxy.SetPlaceHolder(lang.L("cloud.proxy_placeholder"))
	c.caFile = widget.NewEntry()
	c.caFile.SetPlaceHolder(lang.L("cloud.ca_placeholder"))
	c.chooseCA = newKCButtonWithIcon(lang.L("common.choose_file"), theme.FolderOpenIcon(), c.onChooseCA)
	c.save = newKCButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), c.onSave)
	c.save.Importance = widget.HighImportance
	c.test = newKCButtonWithIcon(lang.L("cloud.test"), theme.MediaPlayIcon(), c.onTest)
	c.status = wrapped("")

	c.azureBox = container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.L("cloud.deployment"), c.deployment), widget.NewFormItem(lang.L("cloud.api_version"), c.apiVersion)))
	c.load()
	c.preset.OnChanged = c.onPreset

	intro := wrapped(lang.L("cloud.intro"))
	heading := widget.NewLabelWithStyle(lang.L("cloud.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	form := widget.NewForm(
		widget.NewFormItem(lang.L("common.provider"), c.preset),
		widget.NewFormItem(lang.L("cloud.base_url"), c.baseURL),
		widget.NewFormItem(lang.L("common.model"), c.model),
	)
	keyForm := widget.NewForm(
		widget.NewFormItem(lang.L("cloud.key"), container.NewVBox(c.key, c.keyState)),
		widget.NewFormItem(lang.L("cloud.key_env"), c.keyEnv),
		widget.NewFormItem(lang.L("cloud.proxy"), c.proxy),
		widget.NewFormItem(lang.L("cloud.ca_file"), container.NewBorder(nil, nil, nil, c.chooseCA, c.caFile)),
	)
	return container.NewVBox(widget.NewSeparator(), heading, intro, form, c.azureBox, keyForm,
		container.NewHBox(c.save, c.test), c.status)
}

// load fills the form from the stored endpoint.
func (c *cloudSettings) load() {
	ep := cloud.Endpoint{Preset: cloud.PresetCustom}
	if c.st.db != nil {
		if stored, ok, err := cloud.LoadEndpoint(context.Background(), c.st.db); err == nil && ok {
			ep = stored
		}
	}
	c.preset.SetSelected(cloud.PresetByID(ep.Preset).DisplayName(c.st.settings.Language))
	c.baseURL.SetText(ep.BaseURL)
	c.model.SetText(ep.Model)
	c.deployment.SetText(ep.AzureDeployment)
	c.apiVersion.SetText(ep.AzureAPIVersion)
	c.keyEnv.SetText(ep.KeyEnv)
	c.proxy.SetText(ep.ProxyURL)
	c.caFile.SetText(ep.CAFile)
	c.showPreset(cloud.PresetByID(ep.Preset))
	c.refreshKeyState(ep)
}

func (c *cloudSettings) selectedPreset() cloud.Preset {
	i := c.preset.SelectedIndex()
	if i < 0 {
		return cloud.PresetByID(cloud.PresetCustom)
	}
	return cloud.Presets[i]
}

// onPreset fills the provider's default address and model where the
// fields are empty or still hold another preset's defaults.
func (c *cloudSettings) onPreset(string) {
	p := c.selectedPreset()
	if c.baseURL.Text == "" || isPresetURL(c.baseURL.Text) {
		c.baseURL.SetText(p.BaseURL)
	}
	if c.model.Text == "" || isPresetModel(c.model.Text) {
		c.model.SetText(p.Model)
	}
	c.showPreset(p)
}

func isPresetURL(u string) bool {
	for _, p := range cloud.Presets {
		if p.BaseURL != "" && p.BaseURL == u {
			return true
		}
	}
	return false
}

func isPresetModel(m string) bool {
	for _, p := range cloud.Presets {
		if p.Model != "" && p.Model == m {
			return true
		}
	}
	return false
}

func (c *cloudSettings) showPreset(p cloud.Preset) {
	c.baseURL.SetPlaceHolder(p.URLHintIn(c.st.settings.Language))
	if p.Azure {
		c.azureBox.Show()
	} else {
		c.azureBox.Hide()
	}
}

// endpoint reads the form.
func (c *cloudSettings) endpoint() cloud.Endpoint {
	return cloud.Endpoint{
		Preset: c.selectedPreset().ID, BaseURL: strings.TrimSpace(c.baseURL.Text), Model: strings.TrimSpace(c.model.Text),
		AzureDeployment: strings.TrimSpace(c.deployment.Text), AzureAPIVersion: strings.TrimSpace(c.apiVersion.Text),
		KeyEnv: strings.TrimSpace(c.keyEnv.Text), ProxyURL: strings.TrimSpace(c.proxy.Text), CAFile: strings.TrimSpace(c.caFile.Text),
	}
}

func (c *cloudSettings) refreshKeyState(ep cloud.Endpoint) {
	switch {
	case ep.KeyEnv != "":
		c.keyState.SetText(lang.L("cloud.key_from_env", map[string]any{"Name": ep.KeyEnv}))
	case ep.Host() != "" && cloud.HasStoredKey(ep):
		c.keyState.SetText(lang.L("cloud.key_stored"))
	default:
		c.keyState.SetText(lang.L("cloud.key_none"))
	}
}

func (c *cloudSettings) onChooseCA() {
	choosePath(c.st.win, nil, c.caFile.SetText)
}

// onSave validates and stores the endpoint; a typed key goes to the OS
// credential store and the entry is emptied.
func (c *cloudSettings) onSave() {
	ep := c.endpoint()
	if err := ep.Validate(); err != nil {
		c.setStatus(describeCloudError(err, c.st.settings.Language), true)
		return
	}
	if ep.CAFile != "" {
		if _, err := cloud.HTTPClient(ep, cloud.ClientOptions{Lang: c.st.settings.Language}); err != nil {
			c.setStatus(describeCloudError(err, c.st.settings.Language), true)
			return
		}
	}
	if c.st.db == nil {
		c.setStatus(describeError(c.st.dbErr), true)
		return
	}
	if err := cloud.SaveEndpoint(context.Background(), c.st.db, ep); err != nil {
		c.setStatus(describeError(err), true)
		return
	}
	if k := cloud.NewAPIKey(c.key.Text); !k.Empty() {
		if err := cloud.SaveKey(ep, k); err != nil {
			c.setStatus(describeCloudError(err, c.st.settings.Language), true)
			return
		}
		c.key.SetText("")
	}
	c.refreshKeyState(ep)
	c.setStatus(lang.L("cloud.saved"), false)
}

// onTest checks address, proxy, certificate and key off the UI goroutine.
// It sends no prompt.
func (c *cloudSettings) onTest() {
	ep := c.endpoint()
	key := cloud.NewAPIKey(c.key.Text)
	c.test.Disable()
	c.setStatus(lang.L("cloud.testing", map[string]any{"Host": ep.Host()}), false)
	msgLang := c.st.settings.Language
	c.st.goBackground(func(ctx context.Context) {
		var err error
		if key.Empty() {
			key, err = cloud.LoadKey(ep, os.Getenv)
		}
		var res cloud.ConnectionResult
		if err == nil {
			ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			res, err = cloud.TestConnection(ctx, ep, key, cloud.ClientOptions{Lang: msgLang})
			cancel()
		}
		fyne.Do(func() {
			c.test.Enable()
			if err != nil {
				c.setStatus(describeCloudError(err, msgLang), true)
				return
			}
			msg := lang.L("cloud.test_ok", map[string]any{"Host": res.Host, "Count": len(res.Models),
				"TLS": fmt.Sprintf("%.0f", res.Network.TLSMs), "Headers": fmt.Sprintf("%.0f", res.Network.HeadersMs)})
			if !res.ModelListed {
				msg += " " + lang.L("cloud.test_model_missing", map[string]any{"Model": ep.ModelName()})
			}
			c.setStatus(msg, false)
		})
	})
}

func (c *cloudSettings) setStatus(text string, isErr bool) {
	showStatus(c.status, text, isErr, nil)
}

// describeCloudError shows a cloud error's message and what to do, in
// the language of the settings.
func describeCloudError(err error, msgLang string) string {
	var h interface{ Hint() string }
	msg := err.Error()
	var ce *cloud.Error
	if errors.As(err, &ce) {
		ce = ce.Localize(msgLang)
		msg = ce.Message
		err = ce
	}
	if errors.As(err, &h) && h.Hint() != "" {
		return msg + "\n" + h.Hint()
	}
	return msg
}
