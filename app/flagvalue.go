package main

import "github.com/ki-reise/kicheck/internal/i18n"

// badValue keeps the first bad flag value a flag callback (fs.Func) found,
// as a localized usage error. The callback returns nil, so the flag
// package prints no English line of its own; the command returns the kept
// error after parseFlags (see costCmd, aiactCmd).
type badValue struct{ err error }

// keep records a usage error with message id and values (the first one
// wins) and returns nil for the flag package.
func (b *badValue) keep(id string, data map[string]any) error {
	if b.err == nil {
		b.err = usage(id, data)
	}
	return nil
}

// flagData is the data of a bad-value message: the flag's name and the
// value as typed (escaped, it comes from outside).
func flagData(flag, value string) map[string]any {
	return map[string]any{"Flag": flag, "Value": i18n.Escape(value)}
}

// keepErr records a capability's error about a flag's value (a Localizer
// renders itself in the reader's language) and returns nil.
func (b *badValue) keepErr(flag string, err error) error {
	if b.err == nil {
		b.err = &exitError{code: exitUsage, err: i18n.NewError("cli.usage.value.detail", "", map[string]any{"Flag": flag, "Detail": errText{err}}, err)}
	}
	return nil
}
