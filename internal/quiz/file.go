package quiz

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ki-reise/kicheck/internal/bundle"
)

// File formats a question file can be read from.
const (
	FormatGIFT = "gift"
	FormatXML  = "xml"  // Moodle XML
	FormatYAML = "yaml" // KI-Check bundle
)

// FormatFromName tells a question file's format by its extension (.gift
// and .txt are GIFT, as Moodle exports it); "" if unknown.
func FormatFromName(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".gift", ".txt":
		return FormatGIFT
	case ".xml":
		return FormatXML
	case ".yaml", ".yml":
		return FormatYAML
	}
	return ""
}

// FileExtensions are the extensions FormatFromName knows (for file dialogs).
var FileExtensions = []string{".gift", ".txt", ".xml", ".yaml", ".yml"}

// ReadOptions name the bundle that questions from a GIFT or Moodle XML
// file (which have no bundle header) go into; empty fields get defaults
// (see BundleFromQuestions). For a YAML bundle, a field that is set
// overrides the file's header (importing a changed file as a new version).
type ReadOptions struct {
	Bundle, Version, Title string
}

// ReadQuestions reads a question file's content in the given format (at
// most MaxFileSize(format) bytes; read it with ReadFile or ReadLimited). The
// bundle holds the valid questions (nil when nothing could be read); errs
// lists every problem with line and column.
func ReadQuestions(name, format string, data []byte, opts ReadOptions) (*Bundle, bundle.Errors, error) {
	if len(data) > MaxFileSize(format) {
		return nil, tooLarge(name, format), nil
	}
	switch format {
	case FormatYAML:
		b, errs := ParseBundle(name, data)
		if b != nil {
			for _, o := range []struct {
				dst *string
				v   string
			}{{&b.ID, opts.Bundle}, {&b.Version, opts.Version}, {&b.Title, opts.Title}} {
				if o.v != "" {
					*o.dst = o.v
				}
			}
		}
		return b, errs, nil
	case FormatGIFT:
		qs, errs := ParseGIFT(name, data)
		return BundleFromQuestions(name, opts.Bundle, opts.Version, opts.Title, qs), errs, nil
	case FormatXML:
		// A byte order mark, or UTF-16 as Notepad writes it, becomes UTF-8.
		qs, errs := ParseMoodleXML(name, bytes.NewReader(bundle.Text(data)))
		return BundleFromQuestions(name, opts.Bundle, opts.Version, opts.Title, qs), errs, nil
	}
	return nil, nil, fmt.Errorf("unknown question file format %q: use gift, xml or yaml", format)
}
