package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// parse reads a report's bytes once and returns what verification needs:
// the document as generic values for the JSON Schema, and the bytes of
// each member of "sections" as written, for the section hashes. Reading
// it once matters at IT's intake, which verifies thousands of reports a
// second (docs/collect.md).
//
// It is stricter than encoding/json: a member name twice in one object,
// invalid UTF-8 and data after the document are refused, with the line
// and column. sections is nil when the document has no "sections" object
// (the schema then says what is wrong).
func parse(data []byte) (doc any, sections map[string]json.RawMessage, err error) {
	dec := jsontext.NewDecoder(bytes.NewBuffer(data))
	defer func() {
		if err != nil {
			err = syntaxError(data, err)
		}
	}()
	if dec.PeekKind() != '{' {
		// Not an object (or broken): the generic value is enough, the
		// schema refuses it.
		if err := jsonv2.UnmarshalDecode(dec, &doc); err != nil {
			return nil, nil, err
		}
		return doc, nil, atEnd(dec)
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, nil, err
	}
	obj := map[string]any{}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, nil, err
		}
		name := tok.String() // a token is valid only until the next read
		if name != "sections" || dec.PeekKind() != '{' {
			var v any
			if err := jsonv2.UnmarshalDecode(dec, &v); err != nil {
				return nil, nil, err
			}
			obj[name] = v
			continue
		}
		secs, raws, err := readSections(dec)
		if err != nil {
			return nil, nil, err
		}
		obj["sections"], sections = secs, raws
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, nil, err
	}
	return obj, sections, atEnd(dec)
}

// readSections reads the "sections" object: each member as a generic
// value and as its bytes.
func readSections(dec *jsontext.Decoder) (map[string]any, map[string]json.RawMessage, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, nil, err
	}
	values, raws := map[string]any{}, map[string]json.RawMessage{}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, nil, err
		}
		name := tok.String()
		raw, err := dec.ReadValue()
		if err != nil {
			return nil, nil, err
		}
		raw = bytes.Clone(raw) // valid only until the next read
		var v any
		if err := jsonv2.Unmarshal(raw, &v); err != nil {
			return nil, nil, err
		}
		values[name], raws[name] = v, json.RawMessage(raw)
	}
	_, err := dec.ReadToken()
	return values, raws, err
}

// atEnd refuses anything but whitespace after the document.
func atEnd(dec *jsontext.Decoder) error {
	off := dec.InputOffset()
	if _, err := dec.ReadToken(); !errors.Is(err, io.EOF) {
		return &jsontext.SyntacticError{ByteOffset: off, Err: errAfterEnd}
	}
	return nil
}

// syntaxError says where the document is broken, as line and column, in
// the words a person editing the file understands (*SyntaxError).
func syntaxError(data []byte, err error) error {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return &SyntaxError{kind: "empty"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &SyntaxError{kind: "truncated"}
	}
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		return err
	}
	line, col := position(data, se.ByteOffset)
	return &SyntaxError{kind: "position", Line: line, Column: col, Reason: se.Err.Error(), reason: reasonOf(se.Err)}
}
