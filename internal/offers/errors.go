package offers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/moochub"
)

// UsageError is a wrong request (unknown area, module or offer).
type UsageError struct {
	Msg     i18n.Msg
	HintMsg i18n.Msg // "" = the general hint
	lang    string
}

func (e *UsageError) Error() string { return e.Msg.Text(e.lang) }

// Hint says what to do.
func (e *UsageError) Hint() string {
	if e.HintMsg.ID != "" {
		return e.HintMsg.Text(e.lang)
	}
	return i18n.T(e.lang, "offers.hint.usage")
}

// CSVError is a problem in a CSV list of offers, with line and column.
type CSVError struct {
	File         string
	Line, Column int
	Field        string
	Msg          i18n.Msg
	lang         string
}

func (e *CSVError) Error() string {
	s := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Column > 0 {
		s += fmt.Sprintf(":%d", e.Column)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Msg.Text(e.lang)
}

// Hint says what to do.
func (e *CSVError) Hint() string { return i18n.T(e.lang, "offers.hint.csv") }

// CSVErrors is every problem of one CSV file.
type CSVErrors []*CSVError

func (es CSVErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Hint says what to do.
func (es CSVErrors) Hint() string {
	if len(es) == 0 {
		return ""
	}
	return es[0].Hint()
}

// Localized renders the errors of this package and of moochub in lang.
func Localized(err error, lang string) error {
	var ue *UsageError
	if errors.As(err, &ue) {
		c := *ue
		c.lang = lang
		return &c
	}
	var ces CSVErrors
	if errors.As(err, &ces) {
		out := make(CSVErrors, len(ces))
		for i, e := range ces {
			c := *e
			c.lang = lang
			out[i] = &c
		}
		return out
	}
	return moochub.Localized(err, lang)
}

func msgf(id string, kv ...any) i18n.Msg {
	m := i18n.Msg{ID: id, Data: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Data[kv[i].(string)] = kv[i+1]
	}
	return m
}

func areaList(fw *learning.Framework) string {
	s := make([]string, len(fw.Areas))
	for i, a := range fw.Areas {
		s[i] = a.ID
	}
	return strings.Join(s, ", ")
}
