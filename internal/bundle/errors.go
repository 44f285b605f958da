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
	// ErrInvalid is every *Error: errors.Is(err, ErrInvalid) tells a
	// refused content file from a file that could not be read at all.
	ErrInvalid        = errors.New("invalid content file")
	ErrEmpty          = errors.New("the file is empty")
	ErrNotOneDocument = errors.New("the file must hold exactly one YAML document")
)

// Error is one problem in a bundle file: which file, where in it, which
// field and what is wrong.
//
// It is the one type for a refused content file of every kind (models,
// use cases, competencies, training, question files in YAML, GIFT and
// Moodle XML, …); the JSON form is {file, line, column, field, question,
// message}, question only in a question file.
type Error struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"` // 1-based; 0 when unknown
	Column int    `json:"column,omitempty"`
	// Path is the field as JSON pointer segments ("quantizations", "0",
	// "size_gb"). It is nil when the problem is not about a field (YAML
	// syntax, an unreadable file) and empty for the top level.
	Path []string `json:"-"`
	// Question names the question (its id, else its title) the problem
	// is in, in a file of questions; "" elsewhere.
	Question string `json:"question,omitempty"`
	// Msg is the problem in English: the schema's or the YAML library's
	// words, or Text in English. Text is set when KI-Check itself says
	// what is wrong (a message id, rendered in the reader's language);
	// Message renders either.
	Msg  string   `json:"message"`
	Text i18n.Msg `json:"-"`
	// Doc is the document that describes the file's format
	// ("docs/fit.md"), named in the hint; "" names docs/.
	Doc string `json:"-"`
	// Tip is the hint, when a kind of file needs another than the
	// default (correct the file at the named line, Doc describes it).
	Tip i18n.Msg `json:"-"`
	// reason is one of the sentinels above, or nil.
	reason error
}

// MarshalJSON writes {file, line, column, field, question, message}, the
// message in English.
func (e *Error) MarshalJSON() ([]byte, error) {
	type plain Error
	return json.Marshal(struct {
		*plain
		Field string `json:"field,omitempty"`
		Msg   string `json:"message"`
	}{(*plain)(e), e.Field(), e.Message("en")})
}

// Message is what is wrong, without where, in lang: Text rendered, or the
// library's words (Msg).
func (e *Error) Message(lang string) string {
	if e.Text.ID != "" {
		return e.Text.Text(lang)
	}
	return e.Msg
}

// Field is Path written the way a person reads it:
// "quantizations[0].size_gb"; "" for the top level or no field.
func (e *Error) Field() string { return FieldName(e.Path) }

// Error is the problem in English, where first:
// "file:line:col: question "q": field: message".
func (e *Error) Error() string { return e.text("en") }

// text writes where, which question and field, and what is wrong in lang.
// File and question come from outside and are escaped.
func (e *Error) text(lang string) string {
	var b strings.Builder
	b.WriteString(i18n.Escape(e.File))
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Question != "" {
		b.WriteString(i18n.T(lang, "bundle.question", map[string]any{"Name": i18n.Escape(e.Question)}) + ": ")
	}
	if f := e.Field(); f != "" {
		b.WriteString(f + ": ")
	}
	b.WriteString(e.Message(lang))
	return b.String()
}

// Unwrap gives ErrEmpty or ErrNotOneDocument for those problems.
func (e *Error) Unwrap() error { return e.reason }

// Is holds for ErrInvalid: every *Error is a refused file.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// Hint tells a person what to do about the file (in English; Localize
// for the user's language).
func (e *Error) Hint() string {
	_, h := e.Localize("en")
	return h
}

// Localize renders the error in lang (i18n.Localizer): where the problem
// is and what is wrong (a library's words stay English inside it), and
// what to do.
func (e *Error) Localize(lang string) (msg, hint string) {
	if e.Tip.ID != "" {
		return e.text(lang), e.Tip.Text(lang)
	}
	doc := e.Doc
	if doc == "" {
		doc = "docs/"
	}
	return e.text(lang), i18n.T(lang, "bundle.hint", map[string]any{"Doc": doc})
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

// Localize renders every problem, one a line, and the first one's hint,
// in lang.
func (es Errors) Localize(lang string) (msg, hint string) {
	if len(es) == 0 {
		return "", ""
	}
	s := make([]string, len(es))
	for i, e := range es {
		s[i], _ = e.Localize(lang)
	}
	_, hint = es[0].Localize(lang)
	return strings.Join(s, "\n"), hint
}

// Unwrap gives every problem, so errors.Is and errors.As look into each
// (errors.Is(es, ErrInvalid) holds for a non-empty Errors).
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
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
