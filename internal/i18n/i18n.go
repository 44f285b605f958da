// Package i18n translates message ids for the parts of KI-Check that have
// no GUI: command-line output and texts that domain packages produce for
// people (verdict reasons, summaries).
//
// It reads the same files as the GUI (assets/lang), so a text is translated
// once for both. The GUI itself uses Fyne's lang package over these files.
package i18n

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"sync"
	"text/template"

	"github.com/ki-reise/kicheck/assets"
)

// Default is the language used when none is chosen.
const Default = "de"

var (
	loadOnce sync.Once
	catalog  map[string]map[string]string // lang -> id -> text
	loadErr  error
)

func load() {
	catalog = map[string]map[string]string{}
	entries, err := assets.Lang.ReadDir("lang")
	if err != nil {
		loadErr = err
		return
	}
	for _, e := range entries {
		b, err := assets.Lang.ReadFile(path.Join("lang", e.Name()))
		if err != nil {
			loadErr = err
			return
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			loadErr = fmt.Errorf("translations %s: %w", e.Name(), err)
			return
		}
		catalog[strings.TrimSuffix(e.Name(), ".json")] = m
	}
}

// Catalog returns id -> text for one language (nil if unknown).
func Catalog(lang string) map[string]string {
	loadOnce.Do(load)
	return catalog[lang]
}

// Languages lists the languages that have a translation file.
func Languages() []string {
	loadOnce.Do(load)
	out := make([]string, 0, len(catalog))
	for l := range catalog {
		out = append(out, l)
	}
	return out
}

// LoadError reports a broken embedded translation file (tested in CI).
func LoadError() error {
	loadOnce.Do(load)
	return loadErr
}

// T returns the text for id in lang, filled with data (a map or struct for
// the template fields). An unknown language falls back to German, an
// unknown id to the id itself, so a missing text is visible, not empty.
func T(lang, id string, data ...any) string {
	loadOnce.Do(load)
	text, ok := catalog[lang][id]
	if !ok {
		text, ok = catalog[Default][id]
	}
	if !ok {
		return id
	}
	if len(data) == 0 || !strings.Contains(text, "{{") {
		return text
	}
	t, err := template.New(id).Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var sb strings.Builder
	if err := t.Execute(&sb, data[0]); err != nil {
		return text
	}
	return sb.String()
}
