package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// warn prints a problem that does not stop a command ("warning: …" and,
// when it has one, "hint: …") in lang, the way report prints an error.
func warn(w io.Writer, lang string, err error) {
	var l i18n.Localizer
	if errors.As(err, &l) {
		msg, hint := l.Localize(lang)
		fmt.Fprintf(w, "warning: %s\n", msg)
		if hint != "" {
			fmt.Fprintf(w, "hint: %s\n", hint)
		}
		return
	}
	fmt.Fprintf(w, "warning: %v\n", err)
	var h hinter
	if errors.As(err, &h) && h.Hint() != "" {
		fmt.Fprintf(w, "hint: %s\n", h.Hint())
	}
}

// usageHint is a usage error (exit code 2) with a hint: message and hint
// ids and their values, rendered in the user's language.
func usageHint(id, hint string, data map[string]any) error {
	return &exitError{code: exitUsage, err: i18n.NewError(id, hint, data, nil)}
}

// signersError says that the allowed_signers file could not be read: an
// error that renders itself (a line of the file is wrong) stays as it is,
// any other (the file is missing) gets a message and a hint.
func signersError(file string, err error) error {
	var t i18n.Texter
	if errors.As(err, &t) {
		return localizedError(err)
	}
	return i18n.NewError("cli.allowed_signers", "cli.allowed_signers.hint", map[string]any{"File": i18n.Escape(file), "Detail": errText{err}}, err)
}

// localized is err's message in lang: rendered by the error when it is an
// i18n.Localizer, else its text (from the operating system or a library)
// as it is, escaped. It is for the {{.Detail}} of a message.
func localized(err error, lang string) string {
	var l i18n.Localizer
	if errors.As(err, &l) {
		msg, _ := l.Localize(lang)
		return msg
	}
	var t i18n.Texter
	if errors.As(err, &t) {
		return t.Text(lang)
	}
	return i18n.Escape(err.Error())
}

// errText is an error as a value of a message ({{.Detail}}): rendered in
// the message's language when the message is (see localized).
type errText struct{ err error }

// Text renders the error in lang.
func (t errText) Text(lang string) string { return localized(t.err, lang) }

// writeFileError says in the user's language that file could not be
// written, with the operating system's reason (without the temporary
// file's path it names) as the detail.
func writeFileError(file string, err error) error {
	detail := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		detail = pe.Err
	}
	return i18n.NewError("cli.quiz.write", "cli.quiz.write_hint", map[string]any{"File": i18n.Escape(file), "Detail": errText{detail}}, err)
}
