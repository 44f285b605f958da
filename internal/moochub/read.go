package moochub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ki-reise/kicheck/docs/schema"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// DefaultMaxBytes is the size cap of one page (file or HTTP answer). A
// platform's whole catalogue is a few megabytes; more is refused before it
// is read.
const DefaultMaxBytes = 32 << 20

// SchemaFile is the schema in docs/schema that Parse validates against.
const SchemaFile = "moochub.schema.json"

var (
	schemaOnce sync.Once
	compiled   *jsonschema.Schema
	schemaErr  error
)

// Schema returns the compiled schema of docs/schema/moochub.schema.json.
func Schema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		f, err := schema.FS.Open(SchemaFile)
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if err = c.AddResource(SchemaFile, doc); err != nil {
			schemaErr = err
			return
		}
		compiled, schemaErr = c.Compile(SchemaFile)
	})
	return compiled, schemaErr
}

// ReadError is a catalogue file that cannot be opened: a message in the
// reader's language naming the file, with the operating system's text
// (without the path it repeats) as its detail; errors.Is still reaches
// the cause.
func ReadError(path string, err error) error {
	detail := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		detail = pe.Err
	}
	return i18n.NewError("moochub.read_failed", "moochub.read_failed.hint",
		map[string]any{"File": i18n.Escape(path), "Detail": i18n.Escape(detail.Error())}, err)
}

// ReadFile reads and parses one page from a file, refusing a file over
// maxBytes (≤ 0: DefaultMaxBytes) before reading it.
func ReadFile(path string, maxBytes int64) (*Document, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, ReadError(path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > maxBytes {
		return nil, tooLarge(path, maxBytes)
	}
	data, err := ReadLimited(path, f, maxBytes)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// ReadLimited reads r up to maxBytes; a longer input is refused after
// maxBytes+1 bytes, so memory stays bounded whatever r holds.
func ReadLimited(source string, r io.Reader, maxBytes int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", source, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, tooLarge(source, maxBytes)
	}
	return data, nil
}

func tooLarge(source string, maxBytes int64) error {
	return Errors{{Source: source, Kind: ErrTooLarge, Msg: msg("moochub.err.too_large", "MiB", i18n.Int(maxBytes>>20)),
		HintMsg: msg("moochub.hint.too_large")}}
}

// Parse validates one page and decodes it. The error is Errors: every
// problem with its JSON path, or the one reason the data is not a MOOChub
// v3 page at all.
func Parse(source string, data []byte) (*Document, error) {
	if !json.Valid(data) {
		return nil, syntaxError(source, data)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, syntaxError(source, data)
	}
	if e := shape(source, inst); e != nil {
		return nil, Errors{e}
	}
	sch, err := Schema()
	if err != nil {
		return nil, fmt.Errorf("moochub schema: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, fmt.Errorf("validate %s: %w", source, err)
		}
		return nil, schemaErrors(source, ve)
	}
	var doc Document
	if err := json.Unmarshal(data, &doc); err != nil {
		// The schema admits only what the types can hold; this is a bug.
		return nil, Errors{{Source: source, Kind: ErrInvalid, Msg: msg("moochub.err.decode", "Detail", err.Error())}}
	}
	var errs Errors
	ids := map[string]int{}
	for i, c := range doc.Data {
		if j, dup := ids[c.ID]; dup {
			errs = append(errs, &Error{Source: source, Path: fmt.Sprintf("$.data[%d].id", i), Kind: ErrInvalid,
				Msg: msg("moochub.err.duplicate_id", "ID", Clean(c.ID), "Other", fmt.Sprintf("$.data[%d]", j))})
		}
		ids[c.ID] = i
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &doc, nil
}

// shape tells data that is no MOOChub catalogue, or one of another
// version, from a v3 page with mistakes.
func shape(source string, inst any) *Error {
	top, ok := inst.(map[string]any)
	if !ok {
		return &Error{Source: source, Path: "$", Kind: ErrNotMOOChub, Msg: msg("moochub.err.not_object"), HintMsg: msg("moochub.hint.not_moochub")}
	}
	data, hasData := top["data"]
	_, hasLinks := top["links"]
	if !hasData {
		keys := make([]string, 0, len(top))
		for k := range top {
			keys = append(keys, Clean(k))
		}
		if len(keys) > 8 {
			keys = append(keys[:8], "…")
		}
		return &Error{Source: source, Path: "$", Kind: ErrNotMOOChub, Msg: msg("moochub.err.no_data", "Keys", strings.Join(keys, ", ")), HintMsg: msg("moochub.hint.not_moochub")}
	}
	items, ok := data.([]any)
	if !ok {
		return &Error{Source: source, Path: "$.data", Kind: ErrNotMOOChub, Msg: msg("moochub.err.data_not_list"), HintMsg: msg("moochub.hint.not_moochub")}
	}
	// Earlier versions named the type "courses" and had attributes such
	// as moocProvider or courseCode instead of publisher and
	// learningResourceType.
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		t, _ := m["type"].(string)
		attrs, _ := m["attributes"].(map[string]any)
		_, oldProvider := attrs["moocProvider"]
		_, oldCode := attrs["courseCode"]
		_, lrt := attrs["learningResourceType"]
		if t == "courses" || t == "course" || ((oldProvider || oldCode) && !lrt) {
			return &Error{Source: source, Path: fmt.Sprintf("$.data[%d]", i), Kind: ErrVersion,
				Msg: msg("moochub.err.version", "Type", Clean(t)), HintMsg: msg("moochub.hint.version")}
		}
	}
	if !hasLinks {
		return &Error{Source: source, Path: "$", Kind: ErrInvalid, Msg: msg("moochub.err.no_links"), HintMsg: msg("moochub.hint.invalid")}
	}
	return nil
}

var english = message.NewPrinter(language.English)

func schemaErrors(source string, ve *jsonschema.ValidationError) Errors {
	var out Errors
	seen := map[string]bool{}
	add := func(path []string, m i18n.Msg) {
		p := JSONPath(path)
		if seen[p] || len(out) >= 50 {
			return
		}
		seen[p] = true
		out = append(out, &Error{Source: source, Path: p, Kind: ErrInvalid, Msg: m, HintMsg: msg("moochub.hint.invalid")})
	}
	var walk func(v *jsonschema.ValidationError)
	walk = func(v *jsonschema.ValidationError) {
		if len(v.Causes) > 0 {
			for _, c := range v.Causes {
				walk(c)
			}
			return
		}
		loc := v.InstanceLocation
		if r, ok := v.ErrorKind.(*kind.Required); ok {
			for _, p := range r.Missing {
				add(append(loc[:len(loc):len(loc)], p), msg("moochub.err.missing", "Field", Clean(p)))
			}
			return
		}
		add(loc, msg("moochub.err.schema", "Detail", Clean(v.ErrorKind.LocalizedString(english))))
	}
	walk(ve)
	return out
}

// JSONPath writes a path of keys and indexes as $.data[2].attributes.name.
func JSONPath(path []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if isIdent(p) {
			b.WriteString("." + p)
		} else {
			b.WriteString("[" + strconv.Quote(Clean(p)) + "]")
		}
	}
	return b.String()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '@' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func syntaxError(source string, data []byte) error {
	var v any
	err := json.Unmarshal(data, &v)
	off := int64(len(data))
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 {
		off = se.Offset - 1 // the offset is after the offending byte
	}
	line, col := position(data, off)
	detail := "unexpected end"
	if err != nil {
		detail = err.Error()
	}
	return Errors{{Source: source, Line: line, Column: col, Kind: ErrSyntax, Msg: msg("moochub.err.syntax", "Detail", Clean(detail)), HintMsg: msg("moochub.hint.not_moochub")}}
}

func position(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
