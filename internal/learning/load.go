package learning

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ki-reise/kicheck/bundles"
)

// Copies of docs/schema/*.schema.json (a test keeps them equal): docs/ is
// not a Go package, so it cannot be embedded from there.
var (
	//go:embed competencies.schema.json
	competenciesSchemaJSON []byte
	//go:embed training.schema.json
	trainingSchemaJSON []byte
)

// FileError is one problem in a framework or catalogue file, with where it
// is.
type FileError struct {
	File  string
	Line  int
	Col   int
	Field string
	Msg   string
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Hint says what to do.
func (e *FileError) Hint() string {
	return "fix the file at the named line (docs/competencies.md and docs/training.md describe the formats) or remove it to use the packaged content"
}

// FileErrors is every problem of one file.
type FileErrors []*FileError

func (es FileErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Hint says what to do.
func (es FileErrors) Hint() string { return (&FileError{}).Hint() }

// decode validates data against schema and unmarshals it into v. Every
// problem carries file, line, column and field.
func decode(file string, data []byte, schema []byte, schemaName string, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return FileErrors{{File: file, Line: 1, Col: 1, Msg: "the file is empty"}}
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return FileErrors{yamlError(file, err)}
	}
	var raw any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return FileErrors{yamlError(file, err)}
	}
	if errs := validate(file, f, raw, schema, schemaName); len(errs) > 0 {
		return errs
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		return FileErrors{yamlError(file, err)}
	}
	return nil
}

func yamlError(file string, err error) *FileError {
	var ye yaml.Error
	if errors.As(err, &ye) {
		e := &FileError{File: file, Msg: ye.GetMessage()}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
		}
		return e
	}
	return &FileError{File: file, Msg: err.Error()}
}

var (
	schemaMu       sync.Mutex
	compiledSchema = map[string]*jsonschema.Schema{}
)

// compile compiles a schema once.
func compile(schema []byte, name string) (*jsonschema.Schema, error) {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if sch, ok := compiledSchema[name]; ok {
		return sch, nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		return nil, err
	}
	sch, err := c.Compile(name)
	if err != nil {
		return nil, err
	}
	compiledSchema[name] = sch
	return sch, nil
}

func validate(file string, f *ast.File, raw any, schema []byte, schemaName string) FileErrors {
	sch, err := compile(schema, schemaName)
	if err != nil {
		return FileErrors{{File: file, Msg: "schema: " + err.Error()}}
	}
	j, err := json.Marshal(raw)
	if err != nil {
		return FileErrors{{File: file, Msg: "cannot read the YAML values: " + err.Error()}}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return FileErrors{{File: file, Msg: err.Error()}}
	}
	err = sch.Validate(inst)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	p := message.NewPrinter(language.English)
	var out FileErrors
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			fe := at(file, f, e.InstanceLocation)
			fe.Msg = e.ErrorKind.LocalizedString(p)
			out = append(out, fe)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// at positions an error at the field given as JSON pointer parts, or at
// its nearest existing parent.
func at(file string, f *ast.File, parts []string) *FileError {
	var field strings.Builder
	for _, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			field.WriteString("[" + p + "]")
		} else {
			if field.Len() > 0 {
				field.WriteByte('.')
			}
			field.WriteString(p)
		}
	}
	e := &FileError{File: file, Field: field.String()}
	for n := len(parts); n >= 0; n-- {
		var ps strings.Builder
		ps.WriteString("$")
		for _, p := range parts[:n] {
			if p != "" && strings.Trim(p, "0123456789") == "" {
				ps.WriteString("[" + p + "]")
			} else {
				ps.WriteString("." + p)
			}
		}
		yp, err := yaml.PathString(ps.String())
		if err != nil {
			continue
		}
		node, err := yp.FilterFile(f)
		if err != nil || node == nil {
			continue
		}
		if tk := node.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
			return e
		}
	}
	return e
}

// lineOf finds the position of a field for checks made after decoding.
func lineOf(file string, data []byte, field string) *FileError {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return &FileError{File: file, Field: field}
	}
	var parts []string
	for _, seg := range strings.Split(strings.ReplaceAll(field, "[", ".["), ".") {
		if seg == "" {
			continue
		}
		parts = append(parts, strings.Trim(seg, "[]"))
	}
	e := at(file, f, parts)
	e.Field = field
	return e
}

// Content is the framework and the catalogue in use, and what went wrong
// with a municipality's override (the packaged content is used then).
type Content struct {
	Framework *Framework
	Catalogue *Catalogue
	Warnings  []error
}

// Load reads the packaged framework and catalogue and replaces each by the
// municipality's file in <dataDir>/bundles/competencies/ or
// <dataDir>/bundles/training/ when there is a valid one. dataDir may be "".
func Load(dataDir string) (*Content, error) {
	fw, err := loadFirst[Framework](bundles.Competencies, "competencies", parseFramework)
	if err != nil {
		return nil, fmt.Errorf("packaged competency framework: %w", err)
	}
	cat, err := loadFirst[Catalogue](bundles.Training, "training", func(file string, data []byte) (*Catalogue, error) {
		return parseCatalogue(file, data, fw)
	})
	if err != nil {
		return nil, fmt.Errorf("packaged training catalogue: %w", err)
	}
	c := &Content{Framework: fw, Catalogue: cat}
	if dataDir == "" {
		return c, nil
	}
	if ofw, err := loadOverride(filepath.Join(dataDir, "bundles", "competencies"), parseFramework); err != nil {
		c.Warnings = append(c.Warnings, err)
	} else if ofw != nil {
		c.Framework = ofw
	}
	ocat, err := loadOverride(filepath.Join(dataDir, "bundles", "training"), func(file string, data []byte) (*Catalogue, error) {
		return parseCatalogue(file, data, c.Framework)
	})
	switch {
	case err != nil:
		c.Warnings = append(c.Warnings, err)
	case ocat != nil:
		c.Catalogue = ocat
	default:
		// The packaged catalogue must still fit an overridden framework.
		if c.Framework != fw {
			if errs := cat.check(c.Framework); len(errs) > 0 {
				c.Warnings = append(c.Warnings, fmt.Errorf("packaged training catalogue does not fit the framework %s@%s: %w", c.Framework.ID, c.Framework.Version, errors.Join(errs...)))
			}
		}
	}
	return c, nil
}

func loadFirst[T any](fsys fs.FS, dir string, parse func(string, []byte) (*T, error)) (*T, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if ext := path.Ext(e.Name()); ext != ".yaml" && ext != ".yml" {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		return parse(name, data)
	}
	return nil, fmt.Errorf("no YAML file in %s", dir)
}

// loadOverride returns nil, nil when the folder has no YAML file.
func loadOverride[T any](dir string, parse func(string, []byte) (*T, error)) (*T, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		name := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		return parse(name, data)
	}
	return nil, nil
}
