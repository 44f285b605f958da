package quiz

import (
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// ErrSyntax marks problems in an input file (GIFT, Moodle XML, YAML):
// errors.Is(err, ErrSyntax) holds for a *bundle.Error and a non-empty
// bundle.Errors, the one type for a refused file (it is
// bundle.ErrInvalid).
var ErrSyntax = bundle.ErrInvalid

// formatDoc describes the question file formats; named in the hints.
const formatDoc = "docs/quiz-format.md"

// Hints of a refused question file: fix it (or import the valid part), or
// split a file that is too large.
var (
	hintFix      = i18n.Msg{ID: "quizparse.hint", Data: map[string]any{"Doc": formatDoc}}
	hintTooLarge = i18n.Msg{ID: "quizparse.hint_too_large"}
)

// msg is a message of this package: id and pairs of key and value.
// Strings from the file are escaped by the caller (esc).
func msg(id string, kv ...any) i18n.Msg {
	m := i18n.Msg{ID: id}
	if len(kv) > 0 {
		m.Data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Data[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

// esc is a value from the file for a message: escaped, so that control
// characters and bidi marks print as escapes.
func esc(s string) string { return i18n.Escape(s) }

// number is a value from the file that renders with the language's
// decimal separator and all its digits (0,3333333 is not 0,33).
type number float64

func (n number) Text(lang string) string {
	s := strconv.FormatFloat(float64(n), 'g', -1, 64)
	if lang == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// localTime is a time of the bank for a message: to the minute, in the
// computer's zone, written per language.
type localTime time.Time

func (t localTime) Text(lang string) string { return i18n.DateTime(lang, time.Time(t).Local()) }

// newError is the problem m at line and column (1-based; 0 when unknown)
// of a question file.
func newError(file string, line, col int, m i18n.Msg) *bundle.Error {
	return &bundle.Error{File: file, Line: line, Column: col, Msg: m.Text("en"), Text: m, Doc: formatDoc, Tip: hintFix}
}

// withField sets the field (questions[3].answers[0].text) e is about.
func withField(e *bundle.Error, field string) *bundle.Error {
	e.Path = bundle.SplitField(field)
	return e
}

// asQuestionError gives a problem found by package bundle (YAML syntax,
// schema) the hint of a question file.
func asQuestionError(e *bundle.Error) *bundle.Error {
	e.Doc, e.Tip = formatDoc, hintFix
	return e
}
