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
	Msg      string
}

func (e *Error) Error() string {
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
		fmt.Fprintf(&b, "question %q: ", e.Question)
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Is(target error) bool { return target == ErrSyntax }

// Errors is every problem found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Error()
	}
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return fmt.Sprintf("%d problems:\n  %s", len(es), strings.Join(lines, "\n  "))
}

func (es Errors) Is(target error) bool { return target == ErrSyntax }

// Hint says what to do.
func (es Errors) Hint() string {
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
