package learning

import (
	"errors"
	"fmt"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/bundle"
)

// FileError is one problem in a framework or catalogue file, with where it
// is: the one bundle error type.
type FileError = bundle.Error

// FileErrors is every problem of one file.
type FileErrors = bundle.Errors

// formatDoc describes the framework's and the catalogue's format.
const formatDoc = "docs/competencies.md, docs/training.md"

var (
	competenciesKind = bundle.Kind{Dir: "competencies", Embedded: bundles.Competencies}
	trainingKind     = bundle.Kind{Dir: "training", Embedded: bundles.Training}

	competenciesSchema = bundle.NewSchema("competencies.schema.json")
	trainingSchema     = bundle.NewSchema("training.schema.json")
)

// decode validates data against the schema and decodes it into v. Every
// problem carries file, line, column and field. The document positions the
// problems found after decoding.
func decode(file string, data []byte, schema *bundle.Schema, v any) (*bundle.Document, error) {
	doc, errs := bundle.Decode(file, data, schema, v)
	if errs != nil {
		return nil, fileErrors(errs)
	}
	return doc, nil
}

func fileErrors(errs bundle.Errors) FileErrors {
	for _, e := range errs {
		fileError(e)
	}
	return errs
}

func fileError(e *bundle.Error) *FileError {
	e.Doc = formatDoc
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
	fw, err := loadFirst[Framework](competenciesKind, parseFramework)
	if err != nil {
		return nil, fmt.Errorf("packaged competency framework: %w", err)
	}
	cat, err := loadFirst[Catalogue](trainingKind, func(file string, data []byte) (*Catalogue, error) {
		return parseCatalogue(file, data, fw)
	})
	if err != nil {
		return nil, fmt.Errorf("packaged training catalogue: %w", err)
	}
	c := &Content{Framework: fw, Catalogue: cat}
	if dataDir == "" {
		return c, nil
	}
	if ofw, err := loadOverride(competenciesKind, dataDir, parseFramework); err != nil {
		c.Warnings = append(c.Warnings, err)
	} else if ofw != nil {
		c.Framework = ofw
	}
	ocat, err := loadOverride(trainingKind, dataDir, func(file string, data []byte) (*Catalogue, error) {
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

// loadFirst parses the first packaged file of kind.
func loadFirst[T any](kind bundle.Kind, parse func(string, []byte) (*T, error)) (*T, error) {
	files, err := kind.Packaged()
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no YAML file in bundles/%s", kind.Dir)
	}
	return parse(files[0].Name, files[0].Data)
}

// loadOverride parses the first of the municipality's files of kind; nil,
// nil when there is none.
func loadOverride[T any](kind bundle.Kind, dataDir string, parse func(string, []byte) (*T, error)) (*T, error) {
	files, problems := kind.Own(dataDir)
	if len(files) == 0 {
		if len(problems) > 0 {
			return nil, fileErrors(problems)
		}
		return nil, nil
	}
	return parse(files[0].Name, files[0].Data)
}
