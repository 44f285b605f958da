// Package settings reads and writes the user's KI-Check settings and
// decides where data lives.
//
// The settings file (settings.json) lives in the OS user config dir
// (%APPDATA%\KI-Check on Windows, ~/.config/KI-Check on Linux,
// ~/Library/Application Support/KI-Check on macOS). The data (database,
// keys, reports) lives in the data dir: by default the same folder, or the
// folder the user chose in Einstellungen. --data-dir on the command line
// overrides both: settings and data are then read from that one folder,
// which keeps test runs and IT's scripted runs apart from the user's own.
package settings

import (
	"github.com/ki-reise/kicheck/internal/atomicfile"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// AppDirName is the folder name under the OS config dir.
const AppDirName = "KI-Check"

// FileName is the settings file's name.
const FileName = "settings.json"

// Languages the app is translated into; the first is the default.
var Languages = []string{"de", "en"}

// Themes the user can choose; "system" follows the OS, "contrast" is the
// high-contrast theme (white on black).
var Themes = []string{"system", "light", "dark", "contrast"}

// TextSizes the user can choose, in percent of the normal text size.
var TextSizes = []int{100, 125, 150, 200}

// Settings are the user's choices.
type Settings struct {
	Language string `json:"language"`
	Theme    string `json:"theme"`
	// TextSize scales all texts of the window, in percent (TextSizes).
	TextSize int `json:"text_size,omitempty"`
	// DataDir is where data lives when the user moved it; empty means the
	// folder the settings file is in.
	DataDir string `json:"data_dir,omitempty"`
	// CollectDB is the central database the Sammelstelle opened last; it
	// is opened again when the screen is shown.
	CollectDB string `json:"collect_db,omitempty"`
	// LandDB is the Land database (municipalities' summaries) the
	// Sammelstelle's Land view opened last.
	LandDB string `json:"land_db,omitempty"`
	// Role is the user's staff role (anwender, fachverantwortlich,
	// fuehrungskraft, it) and Pseudonym their quiz pseudonym: the KI-Test
	// and quiz screens show which training the AI policy's KI-Pass still
	// asks of them (internal/policy).
	Role      string `json:"role,omitempty"`
	Pseudonym string `json:"quiz_pseudonym,omitempty"`
	// Municipality and AGS (Amtlicher Gemeindeschlüssel, 8 digits) name
	// the municipality in its summary for the Land (kicheck fleet
	// --export-aggregate; --kommune and --ags override them).
	Municipality string `json:"municipality,omitempty"`
	AGS          string `json:"ags,omitempty"`
}

// Defaults returns the settings of a fresh installation.
func Defaults() Settings { return Settings{Language: "de", Theme: "system", TextSize: 100} }

// Location says where settings and data are for this process.
type Location struct {
	SettingsFile string
	// Override is true when --data-dir chose the folder.
	Override bool
}

// Locate returns where settings are read from: dataDirFlag if set, else
// the OS config dir.
func Locate(dataDirFlag string) (Location, error) {
	if dataDirFlag != "" {
		abs, err := filepath.Abs(dataDirFlag)
		if err != nil {
			return Location{}, fmt.Errorf("data dir %q: %w", dataDirFlag, err)
		}
		return Location{SettingsFile: filepath.Join(abs, FileName), Override: true}, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return Location{}, fmt.Errorf("find the user config folder: %w", err)
	}
	return Location{SettingsFile: filepath.Join(base, AppDirName, FileName)}, nil
}

// DataDir returns the folder data lives in for these settings.
func (l Location) DataDir(s Settings) string {
	if !l.Override && s.DataDir != "" {
		return s.DataDir
	}
	return filepath.Dir(l.SettingsFile)
}

// Load reads the settings file; a missing file gives the defaults.
func Load(loc Location) (Settings, error) {
	s := Defaults()
	b, err := os.ReadFile(loc.SettingsFile)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("read settings %s: %w", loc.SettingsFile, err)
	}
	// A byte order mark (Windows Notepad) is not JSON; drop it.
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	if err := json.Unmarshal(b, &s); err != nil {
		return Defaults(), fmt.Errorf("settings %s: %w (the defaults are used; fix or delete the file)", loc.SettingsFile, err)
	}
	return s.normalized(), nil
}

func (s Settings) normalized() Settings {
	d := Defaults()
	if !contains(Languages, s.Language) {
		s.Language = d.Language
	}
	if !contains(Themes, s.Theme) {
		s.Theme = d.Theme
	}
	if !contains(TextSizes, s.TextSize) {
		s.TextSize = d.TextSize
	}
	return s
}

// Save writes the settings atomically (temp file + rename).
func Save(loc Location, s Settings) error {
	dir := filepath.Dir(loc.SettingsFile)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	b, err := json.MarshalIndent(s.normalized(), "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(loc.SettingsFile, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

func contains[T comparable](list []T, v T) bool { return slices.Contains(list, v) }
