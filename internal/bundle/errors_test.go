package bundle

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// TestErrorJSON: the JSON form is {file, line, column, field, message},
// question only for a problem in a question; the message is English, also
// when KI-Check's own message (Text) renders in German for a person.
func TestErrorJSON(t *testing.T) {
	lib := &Error{File: "m.yaml", Line: 5, Column: 15, Path: []string{"parameters_b"}, Msg: "got string, want number"}
	own := &Error{File: "q.yaml", Line: 9, Column: 5, Path: []string{"questions", "0", "answers"}, Question: "a1",
		Msg: "the file is empty", Text: i18n.Msg{ID: "bundle.err.empty"}}
	for _, c := range []struct {
		e    *Error
		want string
	}{
		{lib, `{"file":"m.yaml","line":5,"column":15,"field":"parameters_b","message":"got string, want number"}`},
		{own, `{"file":"q.yaml","line":9,"column":5,"question":"a1","field":"questions[0].answers","message":"the file is empty (no YAML document)"}`},
	} {
		got, err := json.Marshal(c.e)
		if err != nil || string(got) != c.want {
			t.Errorf("JSON %s (%v), want %s", got, err, c.want)
		}
	}
}

// TestErrorLocalize: where, which question and field, then the message in
// the reader's language; the library's words stay English; a kind of
// file's own hint (Tip) replaces the default one.
func TestErrorLocalize(t *testing.T) {
	e := &Error{File: "q\x1b.yaml", Line: 3, Column: 7, Path: []string{"id"}, Question: "a\u202eb",
		Text: i18n.Msg{ID: "bundle.err.not_one_document"}, Tip: i18n.Msg{ID: "bundle.err.empty"}}
	msg, hint := e.Localize("de")
	if want := `q\x1b.yaml:3:7: Frage „a\u202eb“: id: die Datei muss genau ein YAML-Dokument enthalten`; msg != want || hint != "die Datei ist leer (kein YAML-Dokument)" {
		t.Errorf("German %q, hint %q; want %q", msg, hint, want)
	}
	if want := `q\x1b.yaml:3:7: question "a\u202eb": id: the file must hold exactly one YAML document`; e.Error() != want {
		t.Errorf("English %q, want %q", e.Error(), want)
	}
	lib := &Error{File: "m.yaml", Line: 1, Column: 1, Msg: "got string, want number"}
	msg, hint = lib.Localize("de")
	if msg != "m.yaml:1:1: got string, want number" || !strings.Contains(hint, "korrigieren") {
		t.Errorf("library error in German: %q, hint %q", msg, hint)
	}
}

// TestErrorsIs: every problem is ErrInvalid; errors.Is and errors.As look
// into each problem of an Errors, and the whole-file sentinels stay.
func TestErrorsIs(t *testing.T) {
	_, errs := Parse("leer.yaml", nil)
	var err error = errs
	var one *Error
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, ErrEmpty) || errors.Is(err, ErrNotOneDocument) || !errors.As(err, &one) || one.File != "leer.yaml" {
		t.Errorf("errors.Is/As on %v", err)
	}
	if errors.Is(Errors{}, ErrInvalid) || errors.Is(errors.New("x"), ErrInvalid) {
		t.Error("ErrInvalid holds for no problem")
	}
	msg, _ := errs.Localize("de")
	if msg != "leer.yaml:1:1: die Datei ist leer (kein YAML-Dokument)" {
		t.Errorf("German %q", msg)
	}
}
