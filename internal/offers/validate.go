package offers

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ki-reise/kicheck/docs/schema"
)

// Schema files of the documents this package writes.
const (
	PathsSchema    = "learning-paths.schema.json"
	CoverageSchema = "offers-coverage.schema.json"
)

var schemas sync.Map // name → *jsonschema.Schema

// ValidateJSON checks data against a schema of docs/schema.
func ValidateJSON(schemaFile string, data []byte) error {
	s, ok := schemas.Load(schemaFile)
	if !ok {
		f, err := schema.FS.Open(schemaFile)
		if err != nil {
			return err
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("schema %s: %w", schemaFile, err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(schemaFile, doc); err != nil {
			return err
		}
		cs, err := c.Compile(schemaFile)
		if err != nil {
			return fmt.Errorf("schema %s: %w", schemaFile, err)
		}
		s, _ = schemas.LoadOrStore(schemaFile, cs)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.(*jsonschema.Schema).Validate(inst)
}
