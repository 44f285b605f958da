package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/settings"
)

// settingsScreen (Einstellungen): language, theme and data folder. Changes
// are saved at once; the data folder takes effect at the next start.
type settingsScreen struct {
	st        *state
	onRebuild func()

	language *widget.Select
	themeSel *widget.Select
	textSize *widget.Select
	dataDir  *widget.Label
	status   *widget.Label
	choose   *kcButton
	reset    *kcButton
	cloud    *cloudSettings // Cloud-Anbieter (cloudsettings.go)
	policy   *policyEditor  // KI-Richtlinie (policy_editor.go)
}

func newSettingsScreen(st *state, onRebuild func()) *settingsScreen {
	return &settingsScreen{st: st, onRebuild: onRebuild}
}

func (s *settingsScreen) title() string       { return lang.L("nav.settings") }
func (s *settingsScreen) icon() fyne.Resource { return theme.SettingsIcon() }

// Display names of the choices, in the order of settings.Languages/Themes.
var languageNames = map[string]string{"de": "Deutsch", "en": "English"}

func (s *settingsScreen) themeNames() []string {
	return []string{lang.L("settings.theme_system"), lang.L("settings.theme_light"), lang.L("settings.theme_dark"), lang.L("settings.theme_contrast")}
}

// textSizeNames are the text sizes as "100 %" (German) or "100%".
func (s *settingsScreen) textSizeNames() []string {
	out := make([]string, len(settings.TextSizes))
	for i, p := range settings.TextSizes {
		out[i] = lang.L("common.percent", map[string]any{"N": p})
	}
	return out
}

func (s *settingsScreen) buildUI() fyne.CanvasObject {
	names := make([]string, len(settings.Languages))
	for i, l := range settings.Languages {
		names[i] = languageNames[l]
	}
	s.language = widget.NewSelect(names, nil)
	s.language.SetSelected(languageNames[s.st.settings.Language])
	s.language.OnChanged = s.onLanguage

	s.themeSel = widget.NewSelect(s.themeNames(), nil)
	s.themeSel.SetSelectedIndex(indexOf(settings.Themes, s.st.settings.Theme))
	s.themeSel.OnChanged = s.onTheme
	s.textSize = widget.NewSelect(s.textSizeNames(), nil)
	s.textSize.SetSelectedIndex(max(indexOf(settings.TextSizes, s.st.settings.TextSize), 0))
	s.textSize.OnChanged = s.onTextSize

	s.dataDir = widget.NewLabel(s.st.loc.DataDir(s.st.settings))
	s.dataDir.Wrapping = fyne.TextWrapBreak
	s.choose = newKCButtonWithIcon(lang.L("settings.data_choose"), theme.FolderOpenIcon(), s.onChooseFolder)
	s.reset = newKCButton(lang.L("settings.data_reset"), s.onResetFolder)
	dataNote := wrapped(lang.L("settings.data_note"))
	if s.st.loc.Override {
		s.choose.Disable()
		s.reset.Disable()
		dataNote.SetText(lang.L("settings.data_override"))
	}
	s.status = wrapped("")

	form := widget.NewForm(
		widget.NewFormItem(lang.L("common.language"), s.language),
		widget.NewFormItem(lang.L("settings.theme"), s.themeSel),
		widget.NewFormItem(lang.L("settings.text_size"), s.textSize),
		widget.NewFormItem(lang.L("settings.data_dir"), container.NewVBox(s.dataDir, container.NewHBox(s.choose, s.reset), dataNote)),
	)
	heading := headingLabel(lang.L("nav.settings"))
	s.cloud = newCloudSettings(s.st)
	s.policy = newPolicyEditor(s.st)
	return container.NewVScroll(container.NewVBox(heading, form, s.status, s.cloud.buildUI(), s.policy.buildUI()))
}

func (s *settingsScreen) onLanguage(name string) {
	for code, n := range languageNames {
		if n == name && code != s.st.settings.Language {
			s.st.settings.Language = code
			if !s.save() {
				return
			}
			applyLanguage(code)
			s.onRebuild()
			return
		}
	}
}

func (s *settingsScreen) onTheme(string) {
	i := s.themeSel.SelectedIndex()
	if i < 0 {
		return
	}
	s.st.settings.Theme = settings.Themes[i]
	applyTheme(s.st.app, s.st.settings.Theme, s.st.settings.TextSize)
	if s.save() {
		s.status.SetText(lang.L("settings.saved"))
	}
}

func (s *settingsScreen) onTextSize(string) {
	i := s.textSize.SelectedIndex()
	if i < 0 {
		return
	}
	s.st.settings.TextSize = settings.TextSizes[i]
	applyTheme(s.st.app, s.st.settings.Theme, s.st.settings.TextSize)
	if s.save() {
		s.status.SetText(lang.L("settings.saved"))
	}
}

func (s *settingsScreen) onChooseFolder() {
	chooseFolder(s.st.win, "", s.setDataDir)
}

func (s *settingsScreen) onResetFolder() { s.setDataDir("") }

func (s *settingsScreen) setDataDir(dir string) {
	s.st.settings.DataDir = dir
	if !s.save() {
		return
	}
	s.dataDir.SetText(s.st.loc.DataDir(s.st.settings))
	s.status.SetText(lang.L("settings.data_restart"))
}

// save writes the settings and reports failure in the screen.
func (s *settingsScreen) save() bool {
	if err := settings.Save(s.st.loc, s.st.settings); err != nil {
		s.status.SetText(lang.L("settings.save_failed", map[string]any{"Detail": err.Error()}))
		s.status.Importance = widget.DangerImportance
		s.status.Refresh()
		return false
	}
	return true
}

func indexOf[T comparable](list []T, v T) int { return slices.Index(list, v) }
