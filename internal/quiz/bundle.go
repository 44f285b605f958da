package quiz

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// BundleFormat is the value of a bundle's format field.
const BundleFormat = "kicheck-quiz/1"

// Bundle is a versioned set of questions in the project's YAML format
// (docs/quiz-format.md, docs/schema/quiz.schema.json).
type Bundle struct {
	Format      string `json:"format" yaml:"format"`
	ID          string `json:"id" yaml:"id"`
	Version     string `json:"version" yaml:"version"`
	Title       string `json:"title" yaml:"title"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	Language    string `json:"language,omitempty" yaml:"language,omitempty"`
	License     string `json:"license,omitempty" yaml:"license,omitempty"`
	Framework   string `json:"framework,omitempty" yaml:"framework,omitempty"`
	// LegalAsOf is the "Rechtsstand" (YYYY-MM-DD): when the legal
	// statements in the questions were last checked. Trainers see it when
	// they start a session, so they know when to re-check the content.
	LegalAsOf string `json:"legal_as_of,omitempty" yaml:"legal_as_of,omitempty"`
	// LegalBasis names the legal texts in the version checked on LegalAsOf.
	LegalBasis string     `json:"legal_basis,omitempty" yaml:"legal_basis,omitempty"`
	Questions  []Question `json:"questions" yaml:"questions"`
}

var bundleSchema = bundle.NewSchema("quiz.schema.json")

// LoadBundleFile reads a bundle from a file; see ParseBundle.
func LoadBundleFile(name string) (*Bundle, error) {
	data, err := ReadFile(name, FormatYAML)
	if err != nil {
		return nil, err
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
	files, err := bundle.ReadDir(fsys, dir)
	if err != nil && files == nil {
		return nil, fmt.Errorf("read quiz bundles: %w", err)
	}
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("read quiz bundle: %w", err))
	}
	var out []*Bundle
	for _, f := range files {
		b, perrs := ParseBundle(f.Name, f.Data)
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
func ParseBundle(file string, data []byte) (*Bundle, bundle.Errors) {
	doc, perrs := bundle.Parse(file, decodeText(data))
	if perrs != nil {
		return nil, bundle.Errors{asQuestionError(perrs[0])}
	}
	// The parsed tree is decoded twice (for the schema, then into Bundle)
	// rather than parsing the text again.
	raw, verrs := doc.Value()
	if verrs != nil {
		return nil, bundle.Errors{asQuestionError(verrs[0])}
	}
	if _, ok := raw.(map[string]any); !ok {
		return nil, bundle.Errors{newError(file, 1, 1, msg("quizparse.yaml.not_a_mapping"))}
	}
	badQuestion := map[int]bool{}
	var errs bundle.Errors
	for _, se := range doc.Validate(bundleSchema) {
		e := asQuestionError(se)
		if i, ok := questionIndex(se.Path); ok {
			badQuestion[i] = true
			e.Question = rawQuestionID(raw, i)
		}
		errs = append(errs, e)
	}
	headerBroken := len(errs) > len(badQuestion) && slices.ContainsFunc(errs, func(e *bundle.Error) bool { _, ok := questionIndex(e.Path); return !ok })
	if headerBroken {
		return nil, sortErrors(errs)
	}

	// Lenient: questions the schema refused are still in the file.
	var b Bundle
	if derrs := doc.DecodeLenient(&b); derrs != nil {
		return nil, append(errs, asQuestionError(derrs[0]))
	}
	for _, f := range []*string{&b.ID, &b.Version, &b.Title, &b.Description, &b.Language, &b.License, &b.Framework} {
		*f = strings.TrimSpace(*f)
	}
	for field, v := range map[string]string{"version": b.Version, "title": b.Title} {
		if v == "" {
			return nil, append(errs, at(doc, field, msg("quizparse.yaml.blank")))
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
			problems = append(problems, Problem{Field: "id", Msg: msg("quizparse.yaml.duplicate_id", "ID", esc(q.ID), "N", first+1)})
		} else {
			seen[q.ID] = i
		}
		for _, p := range problems {
			e := at(doc, joinField(field, p.Field), p.Msg)
			e.Question = q.ID
			errs = append(errs, e)
		}
		if len(problems) == 0 {
			valid = append(valid, *q)
		}
	}
	b.Questions = valid
	return &b, sortErrors(errs)
}

// at is the problem m with field, positioned in doc.
func at(doc *bundle.Document, field string, m i18n.Msg) *bundle.Error {
	e := asQuestionError(doc.ErrorAt(field, m.Text("en")))
	e.Text = m
	return e
}

func joinField(base, sub string) string {
	if sub == "" {
		return base
	}
	return base + "." + sub
}

func sortErrors(es bundle.Errors) bundle.Errors {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Column < es[j].Column
	})
	return es
}

// questionIndex is i when path is inside questions[i].
func questionIndex(path []string) (int, bool) {
	if len(path) < 2 || path[0] != "questions" {
		return 0, false
	}
	i, err := strconv.Atoi(path[1])
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

// UnmarshalYAML accepts `text: true` (a YAML boolean) for truefalse answers
// and numbers as answer texts. (The callback form: go-yaml's []byte form
// re-formats the whole document for every answer.)
func (a *Answer) UnmarshalYAML(unmarshal func(any) error) error {
	var raw struct {
		Text           any        `yaml:"text"`
		Format         TextFormat `yaml:"format"`
		Fraction       float64    `yaml:"fraction"`
		Feedback       string     `yaml:"feedback"`
		FeedbackFormat TextFormat `yaml:"feedback_format"`
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
	a.Format, a.FeedbackFormat = raw.Format, raw.FeedbackFormat
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
		if n.FeedbackFormat != "" {
			m = append(m, yaml.MapItem{Key: "feedback_format", Value: string(n.FeedbackFormat)})
		}
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
