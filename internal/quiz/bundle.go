package quiz

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	textmessage "golang.org/x/text/message"
)

// BundleFormat is the value of a bundle's format field.
const BundleFormat = "kicheck-quiz/1"

// Bundle is a versioned set of questions in the project's YAML format
// (docs/quiz-format.md, docs/schema/quiz.schema.json).
type Bundle struct {
	Format      string     `json:"format" yaml:"format"`
	ID          string     `json:"id" yaml:"id"`
	Version     string     `json:"version" yaml:"version"`
	Title       string     `json:"title" yaml:"title"`
	Description string     `json:"description,omitempty" yaml:"description,omitempty"`
	Language    string     `json:"language,omitempty" yaml:"language,omitempty"`
	License     string     `json:"license,omitempty" yaml:"license,omitempty"`
	Framework   string     `json:"framework,omitempty" yaml:"framework,omitempty"`
	Questions   []Question `json:"questions" yaml:"questions"`
}

// schemaJSON is a copy of docs/schema/quiz.schema.json (a test keeps them
// equal): docs/ is not a Go package, so it cannot be embedded from there.
//
//go:embed quiz.schema.json
var schemaJSON []byte

var (
	schemaOnce     sync.Once
	compiledSchema *jsonschema.Schema
	schemaErr      error
)

func bundleSchema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			schemaErr = fmt.Errorf("quiz schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("quiz.schema.json", doc); err != nil {
			schemaErr = fmt.Errorf("quiz schema: %w", err)
			return
		}
		compiledSchema, schemaErr = c.Compile("quiz.schema.json")
	})
	return compiledSchema, schemaErr
}

// LoadBundleFile reads a bundle from a file; see ParseBundle.
func LoadBundleFile(name string) (*Bundle, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read quiz bundle: %w", err)
	}
	b, errs := ParseBundle(name, data)
	if len(errs) > 0 {
		return nil, errs
	}
	return b, nil
}

// LoadBundles reads every *.yaml/*.yml file in dir of fsys (for the
// embedded bundles and a municipality's override folder). A broken file is
// left out and reported; the others are returned.
func LoadBundles(fsys fs.FS, dir string) ([]*Bundle, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read quiz bundles: %w", err)
	}
	var out []*Bundle
	var errs []error
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("read quiz bundle: %w", err))
			continue
		}
		b, perrs := ParseBundle(name, data)
		if len(perrs) > 0 {
			errs = append(errs, perrs)
			continue
		}
		out = append(out, b)
	}
	return out, errors.Join(errs...)
}

// ParseBundle reads a YAML bundle. It returns the bundle with the questions
// that are valid and every problem found, each with file, line, column and
// field. The bundle is nil when the file as a whole is unusable (YAML
// syntax, a broken header). A caller that must not accept a partly broken
// file checks len(errs) > 0.
func ParseBundle(file string, data []byte) (*Bundle, Errors) {
	data = decodeText(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Errors{newError(file, 1, 1, msgf("the file is empty"))}
	}
	ast, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Errors{yamlError(file, err)}
	}
	loc := locator{file: file, ast: ast}

	if len(ast.Docs) != 1 || ast.Docs[0].Body == nil {
		return nil, Errors{newError(file, 1, 1, msgf("the file must hold exactly one YAML document"))}
	}
	body := ast.Docs[0].Body
	// The parsed tree is decoded twice (for the schema, then into Bundle)
	// rather than parsing the text again.
	var raw any
	if err := yaml.NodeToValue(body, &raw); err != nil {
		return nil, Errors{yamlError(file, err)}
	}
	if _, ok := raw.(map[string]any); !ok {
		return nil, Errors{newError(file, 1, 1, msgf("the file must be a mapping with format, id, version, title and questions"))}
	}
	badQuestion := map[int]bool{}
	var errs Errors
	for _, se := range schemaErrors(raw) {
		e := loc.at(se.location)
		e.Msg = se.msg
		if i, ok := questionIndex(se.location); ok {
			badQuestion[i] = true
			e.Question = rawQuestionID(raw, i)
		}
		errs = append(errs, e)
	}
	headerBroken := len(errs) > len(badQuestion) && slices.ContainsFunc(errs, func(e *Error) bool { return !strings.HasPrefix(e.Field, "questions[") })
	if headerBroken {
		return nil, sortErrors(errs)
	}

	var b Bundle
	if err := yaml.NodeToValue(body, &b); err != nil {
		return nil, append(errs, yamlError(file, err))
	}
	for _, f := range []*string{&b.ID, &b.Version, &b.Title, &b.Description, &b.Language, &b.License, &b.Framework} {
		*f = strings.TrimSpace(*f)
	}
	for field, v := range map[string]string{"version": b.Version, "title": b.Title} {
		if v == "" {
			e := loc.at(field)
			e.msg = msgf("must not be blank")
			e.Msg = e.msg.String()
			return nil, append(errs, e)
		}
	}
	valid := b.Questions[:0:0]
	seen := map[string]int{}
	for i := range b.Questions {
		q := &b.Questions[i]
		if badQuestion[i] {
			continue
		}
		if q.Format == "" {
			q.Format = Markdown
		}
		q.Normalize()
		field := fmt.Sprintf("questions[%d]", i)
		problems := q.Check()
		if first, dup := seen[q.ID]; dup {
			m := msgf("duplicate id %q (first used by question %d)", q.ID, first+1)
			problems = append(problems, Problem{Field: "id", Msg: m.String(), msg: m})
		} else {
			seen[q.ID] = i
		}
		for _, p := range problems {
			e := loc.at(joinField(field, p.Field))
			e.Question = q.ID
			e.Msg, e.msg = p.Msg, p.msg
			errs = append(errs, e)
		}
		if len(problems) == 0 {
			valid = append(valid, *q)
		}
	}
	b.Questions = valid
	return &b, sortErrors(errs)
}

func joinField(base, sub string) string {
	if sub == "" {
		return base
	}
	return base + "." + sub
}

func sortErrors(es Errors) Errors {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Col < es[j].Col
	})
	return es
}

// yamlError turns a go-yaml error into an Error with its position.
func yamlError(file string, err error) *Error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		e := &Error{File: file, Msg: ye.GetMessage()}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
		}
		return e
	}
	return &Error{File: file, Msg: err.Error()}
}

// schemaError is one failed schema rule at a field ("questions[3].type").
type schemaError struct {
	location string
	msg      string
}

func schemaErrors(raw any) []schemaError {
	sch, err := bundleSchema()
	if err != nil {
		return []schemaError{{msg: err.Error()}}
	}
	// The schema validator wants JSON values (float64, map[string]any).
	j, err := json.Marshal(raw)
	if err != nil {
		return []schemaError{{msg: "cannot read the YAML values: " + err.Error()}}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return []schemaError{{msg: err.Error()}}
	}
	err = sch.Validate(inst)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	p := textmessage.NewPrinter(language.English)
	var out []schemaError
	seen := map[string]bool{}
	var walk func(v *jsonschema.ValidationError)
	walk = func(v *jsonschema.ValidationError) {
		if len(v.Causes) == 0 {
			se := schemaError{location: fieldPath(v.InstanceLocation), msg: v.ErrorKind.LocalizedString(p)}
			if !seen[se.location] { // one message per field is enough
				seen[se.location] = true
				out = append(out, se)
			}
			return
		}
		for _, c := range v.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// fieldPath writes a JSON pointer as questions[3].answers[0].text.
func fieldPath(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func questionIndex(field string) (int, bool) {
	rest, ok := strings.CutPrefix(field, "questions[")
	if !ok {
		return 0, false
	}
	n, _, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	return i, err == nil
}

func rawQuestionID(raw any, i int) string {
	m, _ := raw.(map[string]any)
	qs, _ := m["questions"].([]any)
	if i < 0 || i >= len(qs) {
		return ""
	}
	q, _ := qs[i].(map[string]any)
	id, _ := q["id"].(string)
	return id
}

// locator finds the line and column of a field in the parsed YAML.
type locator struct {
	file string
	ast  *ast.File
}

// at returns an Error positioned at field, or at the nearest parent that
// exists (a missing field is reported where its mapping is).
func (l locator) at(field string) *Error {
	e := &Error{File: l.file, Field: field}
	for f := field; ; {
		if n := l.node(f); n != nil {
			if tk := n.GetToken(); tk != nil && tk.Position != nil {
				e.Line, e.Col = tk.Position.Line, tk.Position.Column
			}
			return e
		}
		if f == "" {
			return e
		}
		f = parentField(f)
	}
}

func (l locator) node(field string) ast.Node {
	p, err := yaml.PathString("$" + yamlPathSuffix(field))
	if err != nil {
		return nil
	}
	n, err := p.FilterFile(l.ast)
	if err != nil {
		return nil
	}
	return n
}

func yamlPathSuffix(field string) string {
	if field == "" {
		return ""
	}
	if strings.HasPrefix(field, "[") {
		return field
	}
	return "." + field
}

func parentField(f string) string {
	i := strings.LastIndexAny(f, ".[")
	if i < 0 {
		return ""
	}
	return f[:i]
}

// UnmarshalYAML accepts `text: true` (a YAML boolean) for truefalse answers
// and numbers as answer texts. (The callback form: go-yaml's []byte form
// re-formats the whole document for every answer.)
func (a *Answer) UnmarshalYAML(unmarshal func(any) error) error {
	var raw struct {
		Text     any     `yaml:"text"`
		Fraction float64 `yaml:"fraction"`
		Feedback string  `yaml:"feedback"`
	}
	if err := unmarshal(&raw); err != nil {
		return err
	}
	switch t := raw.Text.(type) {
	case string:
		a.Text = t
	case nil:
		a.Text = ""
	default:
		a.Text = fmt.Sprint(t)
	}
	a.Fraction, a.Feedback = raw.Fraction, raw.Feedback
	return nil
}

// MarshalYAML writes a numerical answer in the form it was given:
// value/tolerance, min/max or other.
func (n NumericAnswer) MarshalYAML() (any, error) {
	var m yaml.MapSlice
	switch {
	case n.Other:
		m = append(m, yaml.MapItem{Key: "other", Value: true})
	case n.IsRange():
		m = append(m, yaml.MapItem{Key: "min", Value: *n.Min}, yaml.MapItem{Key: "max", Value: *n.Max})
	default:
		m = append(m, yaml.MapItem{Key: "value", Value: n.Value})
		if n.Tolerance != 0 {
			m = append(m, yaml.MapItem{Key: "tolerance", Value: n.Tolerance})
		}
	}
	m = append(m, yaml.MapItem{Key: "fraction", Value: n.Fraction})
	if n.Feedback != "" {
		m = append(m, yaml.MapItem{Key: "feedback", Value: n.Feedback})
	}
	return m, nil
}

// WriteBundle writes b in the YAML bundle format.
func WriteBundle(w io.Writer, b *Bundle) error {
	out := *b
	if out.Format == "" {
		out.Format = BundleFormat
	}
	data, err := yaml.MarshalWithOptions(&out, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return fmt.Errorf("write quiz bundle: %w", err)
	}
	_, err = w.Write(data)
	return err
}
