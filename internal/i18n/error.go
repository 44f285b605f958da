package i18n

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is an error a person reads: what went wrong and what to do, both
// message ids rendered late in the reader's language (Localize), so the
// CLI and the GUI say the same in German and English. Err is the cause
// (errors.Is/As reach it); its text, from the operating system or a
// library, is for the message's {{.Detail}} when the message wants it.
type Error struct {
	Msg Msg
	Tip Msg // the hint; ID "" when there is none
	Err error
}

// NewError is an Error with message id, hint id (or "") and their values.
func NewError(id, hint string, data map[string]any, cause error) *Error {
	e := &Error{Msg: Msg{ID: id, Data: data}, Err: cause}
	if hint != "" {
		e.Tip = Msg{ID: hint, Data: data}
	}
	return e
}

// WithHint adds a hint (message id and its values) to err, whose own
// message stays: a command knows what the user can do about a capability's
// error. err's message is rendered in the reader's language when err (or
// an error it wraps) is a Localizer, else it is printed as it is (text
// from the operating system or a library).
func WithHint(err error, hint string, data map[string]any) *Error {
	return &Error{Tip: Msg{ID: hint, Data: data}, Err: err}
}

// Error renders the message in English, for logs and wrapped errors; a
// person gets Localize.
func (e *Error) Error() string {
	if e.Msg.ID == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Msg.Text("en")
}

// Unwrap gives the cause.
func (e *Error) Unwrap() error { return e.Err }

// Hint is the hint in English (see Error).
func (e *Error) Hint() string { return e.Tip.text("en") }

// Localize renders message and hint in lang; hint is "" when there is none.
// An Error made by WithHint renders its cause's message (and, when it has
// no hint of its own, the cause's hint).
func (e *Error) Localize(lang string) (msg, hint string) {
	if e.Msg.ID == "" && e.Err != nil {
		var l Localizer
		if errors.As(e.Err, &l) {
			msg, hint = l.Localize(lang)
		} else {
			msg = e.Err.Error()
		}
		if e.Tip.ID != "" {
			hint = e.Tip.text(lang)
		}
		return msg, hint
	}
	return e.Msg.Text(lang), e.Tip.text(lang)
}

func (m Msg) text(lang string) string {
	if m.ID == "" {
		return ""
	}
	return m.Text(lang)
}

// Localizer is an error that renders itself in a language: message and
// hint ("" when none). *Error is one; the CLI and the GUI look for it in an
// error's chain before they fall back to its Error and Hint.
type Localizer interface {
	Localize(lang string) (msg, hint string)
}

// Sentences is an error's message and hint in lang as running text for a
// screen or a page: the hint (written lowercase for the CLI's "hint: …")
// becomes a sentence of its own.
func Sentences(l Localizer, lang string) string {
	msg, hint := l.Localize(lang)
	if hint == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(hint)
	hint = string(unicode.ToUpper(r)) + hint[n:]
	if !strings.HasSuffix(hint, ".") {
		hint += "."
	}
	return msg + " " + hint
}
