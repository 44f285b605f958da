package bench

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/bundle"
)

// FormatVersion is the bundle format this code reads (docs/prompts.md).
const FormatVersion = 1

// Bundle is one file of test prompts.
type Bundle struct {
	Format       int      `yaml:"format" json:"format"`
	ID           string   `yaml:"id" json:"id"`
	Version      string   `yaml:"version" json:"version"`
	Title        string   `yaml:"title" json:"title"`
	Description  string   `yaml:"description" json:"description,omitempty"`
	Language     string   `yaml:"language" json:"language"`
	CloudAllowed *bool    `yaml:"cloud_allowed" json:"cloud_allowed"`
	Prompts      []Prompt `yaml:"prompts" json:"prompts"`

	// Filled in at load.
	SHA256 string `yaml:"-" json:"sha256"` // of the file's bytes
	Source string `yaml:"-" json:"source"` // "embedded:prompts/x.yaml" or a path
}

// AllowsCloud reports whether the bundle may be sent to a remote endpoint.
func (b *Bundle) AllowsCloud() bool { return b.CloudAllowed != nil && *b.CloudAllowed }

// Prompt is one test: either fixed messages or a synthetic speed scenario.
type Prompt struct {
	ID        string     `yaml:"id" json:"id"`
	UseCase   string     `yaml:"use_case" json:"use_case"`
	Title     string     `yaml:"title" json:"title,omitempty"`
	Messages  []Message  `yaml:"messages" json:"messages,omitempty"`
	Synthetic *Synthetic `yaml:"synthetic" json:"synthetic,omitempty"`
	Params    Params     `yaml:"params" json:"params"`
	Checks    []Check    `yaml:"checks" json:"checks,omitempty"`
}

// Message is one chat message.
type Message struct {
	Role    string `yaml:"role" json:"role"`
	Content string `yaml:"content" json:"content"`
}

// Synthetic asks for a generated prompt of a given length (docs/prompts.md,
// "Speed scenarios"); the generation length is Params.MaxTokens.
type Synthetic struct {
	PromptTokens int    `yaml:"prompt_tokens" json:"prompt_tokens"`
	Definition   string `yaml:"definition" json:"definition"`   // e.g. "synth-de/1"
	Source       string `yaml:"source" json:"source,omitempty"` // llama-bench, localscore
}

// Params are the sampling parameters sent with the prompt.
type Params struct {
	Temperature *float32 `yaml:"temperature" json:"temperature"`
	MaxTokens   int      `yaml:"max_tokens" json:"max_tokens"`
	Seed        *int     `yaml:"seed" json:"seed"`
}

// Check is one test on an answer; exactly one field is set.
type Check struct {
	Contains         *string       `yaml:"contains" json:"contains,omitempty"`
	NotContains      *string       `yaml:"not_contains" json:"not_contains,omitempty"`
	Regex            *string       `yaml:"regex" json:"regex,omitempty"`
	JSONSchema       any           `yaml:"json_schema" json:"json_schema,omitempty"`
	Length           *LengthBounds `yaml:"length" json:"length,omitempty"`
	LanguageIsGerman *GermanCheck  `yaml:"language_is_german" json:"language_is_german,omitempty"`

	compiled checker
}

// LengthBounds limits the answer's length in characters (runes).
type LengthBounds struct {
	Min int `yaml:"min" json:"min"`
	Max int `yaml:"max" json:"max"`
}

// GermanCheck configures the language heuristic (german.go).
type GermanCheck struct {
	MinRatio float64 `yaml:"min_ratio" json:"min_ratio"`
}

// BundleError is a bundle that cannot be used, with where the problem is
// (the one bundle error type).
type BundleError = bundle.Error

// formatDoc describes the test bundles' format.
const formatDoc = "docs/prompts.md"

// ErrBundleNotFound is returned for an unknown bundle id.
var ErrBundleNotFound = errors.New("test bundle not found")

// ParseBundle reads and validates one bundle file. name is used in errors.
// Every check is compiled here, so a bad regex or JSON schema is refused at
// load with its line, not when an answer arrives.
func ParseBundle(name string, data []byte) (*Bundle, error) {
	var b Bundle
	// No JSON Schema here: validate says the same as
	// docs/schema/prompts.schema.json (schema_test.go) in friendlier words.
	doc, errs := bundle.Decode(name, data, nil, &b)
	if errs != nil {
		e := errs[0]
		return nil, &BundleError{File: e.File, Line: e.Line, Column: e.Column, Path: e.Path, Msg: e.Msg, Doc: formatDoc}
	}
	if field, err := b.validate(); err != nil {
		at := doc.ErrorAt(field, "")
		return nil, &BundleError{File: name, Line: at.Line, Column: at.Column, Path: bundle.SplitField(field), Msg: err.Error(), Doc: formatDoc}
	}
	sum := sha256.Sum256(data)
	b.SHA256 = hex.EncodeToString(sum[:])
	b.Source = name
	return &b, nil
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// validate checks the fields and compiles the checks. It returns the YAML
// path of the offending field.
func (b *Bundle) validate() (string, error) {
	if b.Format != FormatVersion {
		return "format", fmt.Errorf("format %d is not supported, this KI-Check reads format %d", b.Format, FormatVersion)
	}
	if !idPattern.MatchString(b.ID) {
		return "id", fmt.Errorf("id %q: use lowercase letters, digits, '.', '_' or '-'", b.ID)
	}
	if strings.TrimSpace(b.Version) == "" {
		return "version", errors.New("version is missing")
	}
	if strings.TrimSpace(b.Title) == "" {
		return "title", errors.New("title is missing")
	}
	if b.CloudAllowed == nil {
		return "cloud_allowed", errors.New("cloud_allowed is missing: say true or false")
	}
	if len(b.Prompts) == 0 {
		return "prompts", errors.New("no prompts")
	}
	seen := map[string]bool{}
	for i := range b.Prompts {
		p := &b.Prompts[i]
		at := fmt.Sprintf("prompts[%d]", i)
		if !idPattern.MatchString(p.ID) {
			return at + ".id", fmt.Errorf("id %q: use lowercase letters, digits, '.', '_' or '-'", p.ID)
		}
		if seen[p.ID] {
			return at + ".id", fmt.Errorf("id %q is used twice", p.ID)
		}
		seen[p.ID] = true
		if strings.TrimSpace(p.UseCase) == "" {
			return at + ".use_case", errors.New("use_case is missing")
		}
		switch {
		case p.Synthetic != nil && len(p.Messages) > 0:
			return at + ".synthetic", errors.New("a prompt has either messages or synthetic, not both")
		case p.Synthetic != nil:
			if p.Synthetic.PromptTokens < 1 || p.Synthetic.PromptTokens > 131072 {
				return at + ".synthetic.prompt_tokens", fmt.Errorf("prompt_tokens %d: use 1 to 131072", p.Synthetic.PromptTokens)
			}
			if p.Synthetic.Definition != SynthDefinition {
				return at + ".synthetic.definition", fmt.Errorf("definition %q is unknown, this KI-Check knows %q", p.Synthetic.Definition, SynthDefinition)
			}
		case len(p.Messages) == 0:
			return at + ".messages", errors.New("messages are missing")
		}
		for j, m := range p.Messages {
			if m.Role != "system" && m.Role != "user" && m.Role != "assistant" {
				return fmt.Sprintf("%s.messages[%d].role", at, j), fmt.Errorf("role %q: use system, user or assistant", m.Role)
			}
			if strings.TrimSpace(m.Content) == "" {
				return fmt.Sprintf("%s.messages[%d].content", at, j), errors.New("content is empty")
			}
		}
		if p.Params.MaxTokens < 1 || p.Params.MaxTokens > 32768 {
			return at + ".params.max_tokens", fmt.Errorf("max_tokens %d: use 1 to 32768", p.Params.MaxTokens)
		}
		if p.Params.Temperature == nil {
			return at + ".params.temperature", errors.New("temperature is missing (use 0 for comparable runs)")
		}
		if t := *p.Params.Temperature; t < 0 || t > 2 {
			return at + ".params.temperature", fmt.Errorf("temperature %g: use 0 to 2", t)
		}
		if p.Params.Seed == nil {
			return at + ".params.seed", errors.New("seed is missing")
		}
		for j := range p.Checks {
			field, err := p.Checks[j].compile()
			if err != nil {
				return fmt.Sprintf("%s.checks[%d]%s", at, j, field), err
			}
		}
	}
	return "", nil
}

// Catalogue is the set of bundles available: the packaged ones, replaced or
// extended by the municipality's files.
type Catalogue struct {
	Bundles  []*Bundle // sorted by id
	Problems []error   // files that were refused; the others still work
}

// Get returns the bundle with the given id.
func (c *Catalogue) Get(id string) (*Bundle, error) {
	for _, b := range c.Bundles {
		if b.ID == id {
			return b, nil
		}
	}
	ids := make([]string, len(c.Bundles))
	for i, b := range c.Bundles {
		ids[i] = b.ID
	}
	return nil, &bundleNotFound{id: id, known: ids}
}

type bundleNotFound struct {
	id    string
	known []string
}

func (e *bundleNotFound) Error() string { return fmt.Sprintf("%v: %q", ErrBundleNotFound, e.id) }
func (e *bundleNotFound) Unwrap() error { return ErrBundleNotFound }
func (e *bundleNotFound) Hint() string  { return "available bundles: " + strings.Join(e.known, ", ") }

// DefaultBundle is the bundle a run uses when none is named.
const DefaultBundle = "kommune-basis"

var promptsKind = bundle.Kind{Dir: "prompts", Embedded: bundles.Prompts}

// OverrideDir is where a municipality's bundles live in the data dir.
func OverrideDir(dataDir string) string { return promptsKind.OwnDir(dataDir) }

// LoadCatalogue reads the packaged bundles and the files in
// <dataDir>/bundles/prompts/ (dataDir "" skips them). A file there with the
// id of a packaged bundle replaces it. Broken files are listed in Problems.
func LoadCatalogue(dataDir string) (*Catalogue, error) {
	byID := map[string]*Bundle{}
	c := &Catalogue{}
	packaged, err := promptsKind.Packaged()
	if err != nil {
		return nil, err
	}
	own, problems := promptsKind.Own(dataDir)
	for _, p := range problems {
		c.Problems = append(c.Problems, &BundleError{File: p.File, Line: p.Line, Column: p.Column, Path: p.Path, Msg: p.Msg, Doc: formatDoc})
	}
	for _, f := range append(packaged, own...) {
		name := f.Name
		if !f.Own {
			// The name reports and the bench store have always used.
			name = "embedded:" + strings.TrimPrefix(f.Name, "bundles/")
		}
		b, err := ParseBundle(name, f.Data)
		if err != nil {
			// A broken packaged bundle is a build defect; tests catch it.
			c.Problems = append(c.Problems, err)
			continue
		}
		byID[b.ID] = b
	}
	for _, b := range byID {
		c.Bundles = append(c.Bundles, b)
	}
	sort.Slice(c.Bundles, func(i, j int) bool { return c.Bundles[i].ID < c.Bundles[j].ID })
	return c, nil
}
