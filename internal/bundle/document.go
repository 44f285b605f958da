package bundle

import (
	"bytes"
	"errors"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Document is one parsed YAML bundle file. It keeps the syntax tree, so
// problems found at any stage can be pointed at their line.
type Document struct {
	file string
	ast  *ast.File
	body ast.Node

	value    any
	valueErr Errors
	valued   bool
}

// Decode reads a bundle file: data must be one YAML document, match the
// schema (nil: no schema check) and fit v exactly. The returned Document
// positions the problems the caller finds afterwards (Document.ErrorAt).
// The errors are nil when the file is fine.
func Decode(file string, data []byte, schema *Schema, v any) (*Document, Errors) {
	doc, errs := Parse(file, data)
	if errs != nil {
		return nil, errs
	}
	if schema != nil {
		if errs := doc.Validate(schema); errs != nil {
			return nil, errs
		}
	}
	if errs := doc.Decode(v); errs != nil {
		return nil, errs
	}
	return doc, nil
}

// Parse reads data as exactly one YAML document; file names it in errors.
// A byte order mark (UTF-8, or UTF-16 as Notepad writes it) is dropped.
// An empty file is refused (ErrEmpty), as are several documents in one
// file (ErrNotOneDocument): a second document would otherwise be ignored
// without a word.
func Parse(file string, data []byte) (*Document, Errors) {
	data = Text(data) // a byte order mark from Windows Notepad
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Errors{{File: file, Line: 1, Column: 1, Msg: i18n.T("en", "bundle.err.empty"), Text: i18n.Msg{ID: "bundle.err.empty"}, reason: ErrEmpty}}
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Errors{yamlError(file, err)}
	}
	if len(f.Docs) != 1 || f.Docs[0] == nil || f.Docs[0].Body == nil {
		return nil, Errors{{File: file, Line: 1, Column: 1, Msg: i18n.T("en", "bundle.err.not_one_document"), Text: i18n.Msg{ID: "bundle.err.not_one_document"}, reason: ErrNotOneDocument}}
	}
	return &Document{file: file, ast: f, body: f.Docs[0].Body}, nil
}

// File is the name the document was parsed under.
func (d *Document) File() string { return d.file }

// Value is the document as plain values (map[string]any, []any, string,
// numbers, bool, nil), e.g. to look at a part the schema refused.
func (d *Document) Value() (any, Errors) {
	if !d.valued {
		d.valued = true
		if err := yaml.NodeToValue(d.body, &d.value); err != nil {
			d.valueErr = Errors{yamlError(d.file, err)}
		}
	}
	return d.value, d.valueErr
}

// Decode decodes the document into v. A key v has no field for is
// refused, with its line: schemas and Go types are kept in step, and a
// misspelt key must not silently fall back to a default.
func (d *Document) Decode(v any) Errors {
	if err := yaml.NodeToValue(d.body, v, yaml.Strict()); err != nil {
		return Errors{yamlError(d.file, err)}
	}
	return nil
}

// DecodeLenient decodes the document into v and ignores keys v has no
// field for. It is for formats that keep the valid parts of a file
// (a quiz bundle keeps its valid questions), after Validate reported the
// rest.
func (d *Document) DecodeLenient(v any) Errors {
	if err := yaml.NodeToValue(d.body, v); err != nil {
		return Errors{yamlError(d.file, err)}
	}
	return nil
}

// ErrorAt is a problem with the field ("modules[2].id", "" for the top
// level), positioned at the field or, when it is missing, at its nearest
// parent that exists.
func (d *Document) ErrorAt(field, msg string) *Error {
	return d.errorAtPath(SplitField(field), msg)
}

func (d *Document) errorAtPath(path []string, msg string) *Error {
	e := &Error{File: d.file, Path: path, Msg: msg}
	e.Line, e.Column = d.position(path)
	return e
}

// position finds the line and column of the node at path, or of its
// nearest existing parent; 0, 0 when none is found.
func (d *Document) position(path []string) (int, int) {
	for n := len(path); n >= 0; n-- {
		p, err := yaml.PathString(yamlPath(path[:n]))
		if err != nil {
			continue
		}
		node, err := p.FilterFile(d.ast)
		if err != nil || node == nil {
			continue
		}
		if tk := firstToken(node); tk != nil && tk.Position != nil {
			return tk.Position.Line, tk.Position.Column
		}
	}
	return 0, 0
}

// firstToken is where a node starts in the text: for a mapping its first
// key (a mapping's own token is the first ':'), else the node's token.
func firstToken(node ast.Node) *token.Token {
	switch n := node.(type) {
	case *ast.MappingNode:
		if len(n.Values) > 0 && n.Values[0].Key != nil {
			return n.Values[0].Key.GetToken()
		}
	case *ast.MappingValueNode:
		if n.Key != nil {
			return n.Key.GetToken()
		}
	}
	return node.GetToken()
}

func yamlPath(path []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range path {
		if isIndex(s) {
			b.WriteString("[" + s + "]")
			continue
		}
		b.WriteString("." + s)
	}
	return b.String()
}

// yamlError turns a go-yaml error into an Error with its position.
func yamlError(file string, err error) *Error {
	e := &Error{File: file, Msg: err.Error()}
	var ye yaml.Error
	if errors.As(err, &ye) {
		e.Msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
	}
	return e
}
