package hotspot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Problem is one thing wrong with an input file: where (file, line,
// column with its name) and what, plus what to do, as message ids so the
// CLI and the GUI show it in the user's language.
type Problem struct {
	File   string   `json:"file"`
	Line   int      `json:"line,omitempty"`   // 1-based; 0 = the whole file
	Column int      `json:"column,omitempty"` // 1-based cell number in the row (A = 1); 0 = the whole row
	Name   string   `json:"column_name,omitempty"`
	Msg    i18n.Msg `json:"-"`
	Hint   i18n.Msg `json:"-"`
	// Rendered by Localize for JSON output.
	Text     string `json:"message,omitempty"`
	HintText string `json:"hint,omitempty"`
}

// Where is "file, line 5, column F (minuten_pro_fall)" in lang.
func (p *Problem) Where(lang string) string {
	var sb strings.Builder
	sb.WriteString(Printable(p.File))
	if p.Line > 0 {
		sb.WriteString(", ")
		sb.WriteString(i18n.T(lang, "hotspot.where.line", map[string]any{"Line": p.Line}))
	}
	if p.Column > 0 {
		sb.WriteString(", ")
		sb.WriteString(i18n.T(lang, "hotspot.where.column", map[string]any{"Letter": ColumnLetter(p.Column), "Name": p.Name}))
	}
	return sb.String()
}

// Localize renders the texts in lang (for JSON).
func (p *Problem) Localize(lang string) {
	p.Text = p.Where(lang) + ": " + p.Msg.Text(lang)
	if p.Hint.ID != "" {
		p.HintText = p.Hint.Text(lang)
	}
}

// Error is the English text (the project's error language); the CLI and
// the GUI show Where and Msg in the user's language.
func (p *Problem) Error() string { return p.Where("en") + ": " + p.Msg.Text("en") }

// Problems are all problems found in the files of one import. Nothing is
// stored when there are any.
type Problems []*Problem

func (ps Problems) Error() string {
	if len(ps) == 1 {
		return ps[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems)", ps[0].Error(), len(ps)-1)
}

// Hint is the first problem's hint in English.
func (ps Problems) Hint() string {
	if len(ps) == 0 || ps[0].Hint.ID == "" {
		return ""
	}
	return ps[0].Hint.Text("en")
}

// Localize renders every problem in lang.
func (ps Problems) Localize(lang string) {
	for _, p := range ps {
		p.Localize(lang)
	}
}

// ColumnLetter is the spreadsheet name of the n-th column: 1 = A, 27 = AA.
func ColumnLetter(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

func msg(id string, kv ...any) i18n.Msg {
	m := i18n.Msg{ID: "hotspot." + id}
	if len(kv) > 0 {
		m.Data = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			v := kv[i+1]
			if s, ok := v.(string); ok {
				v = Printable(s) // values from files are shown escaped
			}
			m.Data[kv[i].(string)] = v
		}
	}
	return m
}

// Printable escapes control and other non-graphic characters (\x1b,
// \u202e), so a value from a file cannot steer the terminal or reorder
// the text it is printed in.
func Printable(s string) string {
	for _, r := range s {
		if !unicode.IsGraphic(r) {
			q := strconv.QuoteToGraphic(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}
