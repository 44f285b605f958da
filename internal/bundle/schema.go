package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ki-reise/kicheck/docs/schema"
)

// Schema is one of the published JSON Schemas in docs/schema/, compiled
// on first use. Validating against the very file the documentation links
// to means a schema-aware editor and KI-Check give the same answer.
type Schema struct {
	name string

	once     sync.Once
	compiled *jsonschema.Schema
	err      error
}

// NewSchema names a schema file in docs/schema/ ("models.schema.json").
// It is read and compiled on first use; tests of each loader catch a
// wrong name.
func NewSchema(name string) *Schema { return &Schema{name: name} }

// Name is the schema's file name.
func (s *Schema) Name() string { return s.name }

func (s *Schema) compile() (*jsonschema.Schema, error) {
	s.once.Do(func() {
		f, err := schema.FS.Open(s.name)
		if err != nil {
			s.err = fmt.Errorf("schema %s: %w", s.name, err)
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			s.err = fmt.Errorf("schema %s: %w", s.name, err)
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource(s.name, doc); err != nil {
			s.err = fmt.Errorf("schema %s: %w", s.name, err)
			return
		}
		if s.compiled, err = c.Compile(s.name); err != nil {
			s.err = fmt.Errorf("schema %s: %w", s.name, err)
		}
	})
	return s.compiled, s.err
}

// english prints the validator's messages (the project's error language).
var english = message.NewPrinter(language.English)

// Validate checks the document against the schema. It returns one error
// per field (the first rule it breaks), positioned at the field, in file
// order; an unknown key is pointed at itself, not at its parent.
func (d *Document) Validate(s *Schema) Errors {
	sch, err := s.compile()
	if err != nil {
		return Errors{{File: d.file, Msg: err.Error()}}
	}
	value, errs := d.Value()
	if errs != nil {
		return errs
	}
	// The validator wants JSON values (json.Number, map[string]any).
	j, err := json.Marshal(value)
	if err != nil {
		return Errors{{File: d.file, Path: []string{}, Msg: "a value cannot be read as JSON: " + err.Error()}}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return Errors{{File: d.file, Msg: err.Error()}}
	}
	err = sch.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return Errors{{File: d.file, Msg: err.Error()}}
	}
	var out Errors
	seen := map[string]bool{}
	add := func(path []string, msg string) {
		key := fmt.Sprint(len(path)) + "\x00" + strings.Join(path, "\x00")
		if seen[key] { // one message per field is enough
			return
		}
		seen[key] = true
		out = append(out, d.errorAtPath(path, msg))
	}
	var walk func(v *jsonschema.ValidationError)
	walk = func(v *jsonschema.ValidationError) {
		if len(v.Causes) > 0 {
			for _, c := range v.Causes {
				walk(c)
			}
			return
		}
		loc := append([]string{}, v.InstanceLocation...)
		if ap, ok := v.ErrorKind.(*kind.AdditionalProperties); ok {
			for _, p := range ap.Properties {
				add(append(loc[:len(loc):len(loc)], p), fmt.Sprintf("unknown field %q (not allowed here)", p))
			}
			return
		}
		add(loc, v.ErrorKind.LocalizedString(english))
	}
	walk(ve)
	return out.sort()
}
