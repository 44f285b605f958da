package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Sentinels for problems with the file as a whole (errors.Is on an *Error),
// so a caller can say them in its own words or language.
var (
	ErrEmpty          = errors.New("the file is empty")
	ErrNotOneDocument = errors.New("the file must hold exactly one YAML document")
)

// Error is one problem in a bundle file: which file, where in it, which
// field and what is wrong.
//
// It is the one type for a refused content file of every kind (models,
// use cases, competencies, training, …); the JSON form is {file, line,
// column, field, message}.
type Error struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"` // 1-based; 0 when unknown
	Column int    `json:"column,omitempty"`
	// Path is the field as JSON pointer segments ("quantizations", "0",
	// "size_gb"). It is nil when the problem is not about a field (YAML
	// syntax, an unreadable file) and empty for the top level.
	Path []string `json:"-"`
	Msg  string   `json:"message"` // from the schema or YAML library: English
	// Doc is the document that describes the file's format
	// ("docs/fit.md"), named in the hint; "" names docs/.
	Doc string `json:"-"`
	// reason is one of the sentinels above, or nil.
	reason error
}

// MarshalJSON writes {file, line, column, field, message}.
func (e *Error) MarshalJSON() ([]byte, error) {
	type plain Error
	return json.Marshal(struct {
		*plain
		Field string `json:"field,omitempty"`
	}{(*plain)(e), e.Field()})
}

// Field is Path written the way a person reads it:
// "quantizations[0].size_gb"; "" for the top level or no field.
func (e *Error) Field() string { return FieldName(e.Path) }

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if f := e.Field(); f != "" {
		b.WriteString(f + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap gives ErrEmpty or ErrNotOneDocument for those problems.
func (e *Error) Unwrap() error { return e.reason }

// Hint tells a person what to do about the file (in English; Localize
// for the user's language).
func (e *Error) Hint() string {
	_, h := e.Localize("en")
	return h
}

// Localize renders the error in lang (i18n.Localizer): where the problem
// is and the library's words for it, and what to do in lang.
func (e *Error) Localize(lang string) (msg, hint string) {
	doc := e.Doc
	if doc == "" {
		doc = "docs/"
	}
	return e.Error(), i18n.T(lang, "bundle.hint", map[string]any{"Doc": doc})
}

// Errors is every problem found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Hint tells a person what to do about the file.
func (es Errors) Hint() string { _, h := es.Localize("en"); return h }

// Localize renders every problem, one a line, and the hint in lang.
func (es Errors) Localize(lang string) (msg, hint string) {
	if len(es) == 0 {
		return "", ""
	}
	_, hint = es[0].Localize(lang)
	return es.Error(), hint
}

func (es Errors) sort() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Column < es[j].Column
	})
	return es
}

// FieldName writes JSON pointer segments as a field name:
// ["questions","3","answers","0","text"] is "questions[3].answers[0].text".
func FieldName(path []string) string {
	var b strings.Builder
	for _, s := range path {
		if isIndex(s) {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// SplitField is the inverse of FieldName: "prompts[0].checks[1].regex" is
// ["prompts","0","checks","1","regex"]. "" is the top level (an empty,
// non-nil path).
func SplitField(field string) []string {
	path := []string{}
	for _, seg := range strings.Split(strings.ReplaceAll(field, "[", ".["), ".") {
		if seg == "" {
			continue
		}
		path = append(path, strings.TrimSuffix(strings.TrimPrefix(seg, "["), "]"))
	}
	return path
}

func isIndex(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil && s != "" && s[0] != '-' && s[0] != '+'
}
