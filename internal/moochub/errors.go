package moochub

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Kinds of failure, for errors.Is.
var (
	ErrSyntax       = errors.New("not valid JSON")
	ErrNotMOOChub   = errors.New("not a MOOChub catalogue")
	ErrVersion      = errors.New("another MOOChub version")
	ErrInvalid      = errors.New("does not follow the MOOChub v3 format")
	ErrTooLarge     = errors.New("too large")
	ErrPageLoop     = errors.New("links.next loops")
	ErrTooManyPages = errors.New("more pages than allowed")
	ErrNetwork      = errors.New("the address did not answer")
)

// Error is one problem of a feed: where (source, JSON path or line and
// column) and what, as message ids rendered late.
type Error struct {
	Source string
	// Path is the JSON path of the value ("$.data[2].attributes.name"),
	// "" when the problem concerns the whole source.
	Path         string
	Line, Column int
	Kind         error
	Msg          i18n.Msg
	HintMsg      i18n.Msg
	lang         string
}

func (e *Error) Error() string { return e.Text(e.lang) }

// Text renders the problem in lang.
func (e *Error) Text(lang string) string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(": " + e.Path)
	}
	b.WriteString(": " + e.Msg.Text(lang))
	return b.String()
}

// Hint says what to do.
func (e *Error) Hint() string {
	if e.HintMsg.ID == "" {
		return i18n.T(e.lang, "moochub.hint.invalid")
	}
	return e.HintMsg.Text(e.lang)
}

// Is matches the kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Errors is every problem of one source.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Hint is the first problem's hint.
func (es Errors) Hint() string {
	if len(es) == 0 {
		return ""
	}
	return es[0].Hint()
}

// Is matches any problem's kind.
func (es Errors) Is(target error) bool {
	for _, e := range es {
		if e.Kind == target {
			return true
		}
	}
	return false
}

// Localized returns err with its MOOChub problems rendered in lang; other
// errors are returned as they are.
func Localized(err error, lang string) error {
	var es Errors
	if errors.As(err, &es) {
		out := make(Errors, len(es))
		for i, e := range es {
			c := *e
			c.lang = lang
			out[i] = &c
		}
		return out
	}
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.lang = lang
		return &c
	}
	return err
}

func msg(id string, kv ...any) i18n.Msg {
	m := i18n.Msg{ID: id}
	if len(kv) > 0 {
		m.Data = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m.Data[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}
