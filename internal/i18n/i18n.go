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
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"

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
	catalog, loadErr = readCatalog(assets.Lang)
}

// readCatalog reads every lang/*.json of fsys into lang -> id -> text.
func readCatalog(fsys fs.FS) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	entries, err := fs.ReadDir(fsys, "lang")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := fs.ReadFile(fsys, path.Join("lang", e.Name()))
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("translations %s: %w", e.Name(), err)
		}
		// "de.json" and "de.hotspot.json" both hold German texts: one file
		// per capability keeps parallel work from editing the same file.
		code, _, _ := strings.Cut(strings.TrimSuffix(e.Name(), ".json"), ".")
		if out[code] == nil {
			out[code] = map[string]string{}
		}
		for id, text := range m {
			if _, dup := out[code][id]; dup {
				return nil, fmt.Errorf("translations %s: id %q is also in another %s file", e.Name(), id, code)
			}
			out[code][id] = text
		}
	}
	return out, nil
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
	t, err := parsed(text)
	if err != nil {
		return text
	}
	var sb strings.Builder
	if err := t.Execute(&sb, data[0]); err != nil {
		return text
	}
	return sb.String()
}

// templates keeps each message text parsed once: the fleet page renders
// hundreds of messages, and parsing dominated its time.
var templates sync.Map // text → *template.Template

func parsed(text string) (*template.Template, error) {
	if t, ok := templates.Load(text); ok {
		return t.(*template.Template), nil
	}
	t, err := template.New("").Option("missingkey=zero").Parse(text)
	if err != nil {
		return nil, err
	}
	templates.Store(text, t)
	return t, nil
}

// Texter is a value that renders itself for a language: a number with the
// language's decimal separator, a date, or a nested Msg.
type Texter interface {
	Text(lang string) string
}

// Msg is a message id with its values, rendered only when shown, so the
// same result can be printed in either language. Values that implement
// Texter are rendered in the message's language first.
type Msg struct {
	ID   string
	Data map[string]any
}

// Text renders the message in lang.
func (m Msg) Text(lang string) string {
	if len(m.Data) == 0 {
		return T(lang, m.ID)
	}
	data := make(map[string]any, len(m.Data))
	for k, v := range m.Data {
		if tv, ok := v.(Texter); ok {
			v = tv.Text(lang)
		}
		data[k] = v
	}
	return T(lang, m.ID, data)
}

// Decimal writes v with prec decimals and the language's decimal
// separator: a comma in German, a point in English. NaN is "–".
func Decimal(lang string, v float64, prec int) string {
	if math.IsNaN(v) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0,0" for a tiny negative value
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Grouped is Decimal with thousands separators: 1.234,56 in German,
// 1,234.56 in English.
func Grouped(lang string, v float64, prec int) string {
	s := Decimal("en", v, prec)
	if s == "–" {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	thousands, point := ",", "."
	if lang != "en" {
		thousands, point = ".", ","
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point + frac)
	}
	return b.String()
}

// Int is a whole number that renders itself with the language's thousands
// separator (Grouped), for the values of a Msg: 10.485.760 in German,
// 10,485,760 in English.
type Int int64

// Text renders n in lang.
func (n Int) Text(lang string) string { return Grouped(lang, float64(n), 0) }

// Time is a point in time that renders itself in UTC: 27.11.2026 14:05:00
// UTC in German, 2026-11-27 14:05:00 UTC in English. UTC, because the
// texts that show it go between offices and servers.
type Time time.Time

// Text renders t in lang.
func (t Time) Text(lang string) string {
	if lang == "en" {
		return time.Time(t).UTC().Format("2006-01-02 15:04:05 UTC")
	}
	return time.Time(t).UTC().Format("02.01.2006 15:04:05 UTC")
}

// Texts renders each message in lang.
func Texts(msgs []Msg, lang string) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Text(lang)
	}
	return out
}
