package report

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/signing"
)

// The texts of Verify are message ids in assets/lang ("verify.*"),
// rendered when shown, so `kicheck verify`, the intake and the GUI give
// the same reason in German or English. Details that come from a library
// (the JSON decoder, the schema validator) are translated where this
// package knows their kind and kept as they are otherwise.

// SyntaxError says where a report is not valid JSON. Error is English (for
// logs and wrapped errors); Text renders it for people.
type SyntaxError struct {
	Line, Column int    // 1-based; zero for an empty or truncated file
	Reason       string // the decoder's words, English
	kind         string // "empty", "truncated", "position"
	reason       i18n.Msg
}

func (e *SyntaxError) Error() string { return e.Text("en") }

// Text renders the error in lang.
func (e *SyntaxError) Text(lang string) string {
	if e.kind != "position" {
		return i18n.T(lang, "verify.json."+e.kind)
	}
	reason := e.Reason
	if e.reason.ID != "" && lang != "en" {
		reason = e.reason.Text(lang)
	}
	return i18n.T(lang, "verify.json.position", map[string]any{"Line": e.Line, "Column": e.Column, "Reason": reason})
}

// errAfterEnd is the reason for data after the document.
var errAfterEnd = errors.New("data after the end of the document")

var invalidChar = regexp.MustCompile(`^invalid character ('[^']*'|"[^"]*")`)

// reasonOf names the decoder's reasons this package translates.
func reasonOf(err error) i18n.Msg {
	text := err.Error()
	switch {
	case errors.Is(err, errAfterEnd):
		return i18n.Msg{ID: "verify.json.after_end"}
	case errors.Is(err, jsontext.ErrDuplicateName):
		return i18n.Msg{ID: "verify.json.duplicate"}
	case strings.HasPrefix(text, "invalid UTF-8"):
		return i18n.Msg{ID: "verify.json.utf8"}
	}
	if m := invalidChar.FindStringSubmatch(text); m != nil {
		return i18n.Msg{ID: "verify.json.invalid_char", Data: map[string]any{"Char": m[1]}}
	}
	return i18n.Msg{}
}

// detail is err for a message: rendered in the message's language when it
// can render itself, else its text.
func detail(err error) any {
	var t i18n.Texter
	if errors.As(err, &t) {
		return t
	}
	return err.Error()
}

// unknownKeyData fills "verify.unknown_key" from AllowedSigners.Check's
// error: the file, the device, the key, and a malformed line skipped.
func unknownKeyData(err error, file, device, fingerprint string) map[string]any {
	d := map[string]any{"File": file, "Device": device, "Fingerprint": fingerprint, "Skipped": ""}
	var le *signing.LineError
	if errors.As(err, &le) {
		d["Skipped"] = i18n.Msg{ID: "verify.unknown_key_skipped", Data: map[string]any{"File": le.File, "Line": le.Line, "Detail": le.Err.Error()}}
	}
	return d
}

// schemaDetail is the first leaf cause of a schema violation: where, and
// why.
type schemaDetail struct {
	Pointer string
	Reason  string // the validator's words, English
	reason  i18n.Msg
}

func (d schemaDetail) Text(lang string) string {
	reason := d.Reason
	if d.reason.ID != "" && lang != "en" {
		reason = d.reason.Text(lang)
	}
	return i18n.T(lang, "verify.schema_at", map[string]any{"Pointer": d.Pointer, "Reason": reason})
}

// schemaDetailOf turns a validation error into one line: the first leaf
// cause with its JSON pointer.
func schemaDetailOf(err error) schemaDetail {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return schemaDetail{Pointer: "/", Reason: err.Error()}
	}
	leaf := ve
	for len(leaf.Causes) > 0 {
		leaf = leaf.Causes[0]
	}
	d := schemaDetail{Pointer: "/" + strings.Join(leaf.InstanceLocation, "/")}
	msg := leaf.Error()
	// The library prefixes "at '/x': "; keep only the reason.
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "at ") {
		msg = msg[i+2:]
	}
	d.Reason = msg
	switch k := leaf.ErrorKind.(type) {
	case *kind.Required:
		d.reason = i18n.Msg{ID: "verify.schema.required", Data: map[string]any{"Names": quoteAll(k.Missing)}}
	case *kind.AdditionalProperties:
		d.reason = i18n.Msg{ID: "verify.schema.additional", Data: map[string]any{"Names": quoteAll(k.Properties)}}
	case *kind.Type:
		d.reason = i18n.Msg{ID: "verify.schema.type", Data: map[string]any{"Got": k.Got, "Want": strings.Join(k.Want, ", ")}}
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = jsonText(w)
		}
		d.reason = i18n.Msg{ID: "verify.schema.enum", Data: map[string]any{"Got": jsonText(k.Got), "Want": strings.Join(want, ", ")}}
	}
	return d
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = jsonText(n)
	}
	return strings.Join(q, ", ")
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}

// timestamp is a report's "created" time, rendered as i18n.Time; text
// that is no RFC 3339 time is shown as it is.
type timestamp string

func (t timestamp) Text(lang string) string {
	tm, err := time.Parse(time.RFC3339, string(t))
	if err != nil {
		return string(t)
	}
	return i18n.Time(tm).Text(lang)
}
