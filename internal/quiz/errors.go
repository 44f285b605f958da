package quiz

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSyntax marks problems in an input file (GIFT, YAML): errors.Is(err,
// ErrSyntax) holds for an *Error and for Errors.
var ErrSyntax = errors.New("invalid question file")

// Error is one problem in an input file, with where it is: line and column
// (1-based; 0 when unknown), the field for structured formats, and the
// question it concerns when known.
type Error struct {
	File     string
	Line     int
	Col      int
	Field    string // YAML: questions[3].answers[0].text
	Question string // id or title of the question, if known
	Msg      string // English
	msg      message
}

func newError(file string, line, col int, m message) *Error {
	return &Error{File: file, Line: line, Col: col, Msg: m.String(), msg: m}
}

// Text returns the message (without position) in lang ("de" or "en").
func (e *Error) Text(lang string) string {
	if e.msg.format == "" {
		return e.Msg // from a library (YAML syntax, schema): English only
	}
	return e.msg.in(lang)
}

func (e *Error) Error() string { return e.In("en") }

// In returns the whole error (position, question, field, message) with the
// message in lang.
func (e *Error) In(lang string) string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	}
	if e.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Question != "" {
		if lang == "de" {
			fmt.Fprintf(&b, "Frage %q: ", e.Question)
		} else {
			fmt.Fprintf(&b, "question %q: ", e.Question)
		}
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Text(lang))
	return b.String()
}

func (e *Error) Is(target error) bool { return target == ErrSyntax }

// Errors is every problem found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string { return es.in("en") }

func (es Errors) in(lang string) string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].In(lang)
	}
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.In(lang)
	}
	head := "%d problems:\n  %s"
	if lang == "de" {
		head = "%d Probleme:\n  %s"
	}
	return fmt.Sprintf(head, len(es), strings.Join(lines, "\n  "))
}

// Localized returns es as an error whose text and hint are in lang.
func (es Errors) Localized(lang string) error { return localizedErrors{es: es, lang: lang} }

type localizedErrors struct {
	es   Errors
	lang string
}

func (l localizedErrors) Error() string { return l.es.in(l.lang) }
func (l localizedErrors) Unwrap() error { return l.es }
func (l localizedErrors) Hint() string {
	if l.es.isTooLarge() && l.lang == "de" {
		return "die Fragen auf mehrere kleinere Dateien verteilen (etwa eine je Kategorie) und jede einzeln importieren"
	}
	if l.lang == "de" {
		return "Datei an den genannten Stellen korrigieren (die Formate beschreibt docs/quiz-format.md) oder nur die gültigen Fragen mit --valid-only importieren"
	}
	return l.es.Hint()
}

func (es Errors) Is(target error) bool { return target == ErrSyntax }

// Hint says what to do.
func (es Errors) Hint() string {
	if es.isTooLarge() {
		return "put the questions into several smaller files (one per category, say) and import each"
	}
	return "fix the file at the named lines (docs/quiz-format.md describes the formats), or import only the valid questions with --valid-only"
}

// Hint says what to do.
func (e *Error) Hint() string { return Errors{e}.Hint() }

// err returns es as an error, nil when empty.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
