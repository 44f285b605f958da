package fit

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/docs/schema"
)

// Model is one catalogue entry (docs/schema/models.schema.json).
type Model struct {
	ID            string         `yaml:"id" json:"id"`
	Name          string         `yaml:"name" json:"name"`
	Family        string         `yaml:"family" json:"family"`
	Kind          string         `yaml:"kind" json:"kind"` // chat, transcription, embedding
	ParametersB   float64        `yaml:"parameters_b" json:"parameters_b"`
	ContextLength int            `yaml:"context_length" json:"context_length"`
	Licence       string         `yaml:"licence" json:"licence"`
	LicenceURL    string         `yaml:"licence_url" json:"licence_url,omitempty"`
	Ollama        string         `yaml:"ollama" json:"ollama,omitempty"`
	Source        string         `yaml:"source" json:"source,omitempty"`
	Shape         Shape          `yaml:"shape" json:"shape"`
	Quantizations []Quantization `yaml:"quantizations" json:"quantizations"`
	// Origin is where the entry was read: "bundles/models/x.yaml" for the
	// packaged catalogue, a file path for a municipality's own file.
	Origin string `yaml:"-" json:"origin"`
}

// Shape is the architecture as far as memory and speed depend on it.
type Shape struct {
	Layers           int  `yaml:"layers" json:"layers"`
	EncoderLayers    int  `yaml:"encoder_layers" json:"encoder_layers,omitempty"`
	AudioFrames      int  `yaml:"audio_frames" json:"audio_frames,omitempty"`
	HiddenSize       int  `yaml:"hidden_size" json:"hidden_size"`
	AttentionHeads   int  `yaml:"attention_heads" json:"attention_heads"`
	KVHeads          int  `yaml:"kv_heads" json:"kv_heads"`
	HeadDim          int  `yaml:"head_dim" json:"head_dim"`
	FFNSize          int  `yaml:"ffn_size" json:"ffn_size"`
	VocabSize        int  `yaml:"vocab_size" json:"vocab_size"`
	TiedEmbeddings   bool `yaml:"tied_embeddings" json:"tied_embeddings"`
	SlidingWindow    int  `yaml:"sliding_window" json:"sliding_window,omitempty"`
	GlobalLayerEvery int  `yaml:"global_layer_every" json:"global_layer_every,omitempty"`
}

// Quantization is one published file of a model.
type Quantization struct {
	Name       string  `yaml:"name" json:"name"`
	SizeGB     float64 `yaml:"size_gb" json:"size_gb"`
	SizeSource string  `yaml:"size_source" json:"size_source,omitempty"` // published (default) or computed
}

// Bytes is the file size in bytes.
func (q Quantization) Bytes() uint64 { return uint64(q.SizeGB * 1e9) }

// UseCase is a task with the speed it needs (docs/schema/usecases.schema.json).
type UseCase struct {
	ID            string     `yaml:"id" json:"id"`
	Name          string     `yaml:"name" json:"name"`
	NameEN        string     `yaml:"name_en" json:"name_en,omitempty"`
	Kind          string     `yaml:"kind" json:"kind"`
	ContextTokens int        `yaml:"context_tokens" json:"context_tokens"`
	PromptTokens  int        `yaml:"prompt_tokens" json:"prompt_tokens"`
	AnswerTokens  int        `yaml:"answer_tokens" json:"answer_tokens"`
	Thresholds    Thresholds `yaml:"thresholds" json:"thresholds"`
	Candidates    []string   `yaml:"candidates" json:"candidates"`
	Origin        string     `yaml:"-" json:"origin"`
}

// Title is the use case's name in lang (German unless English is asked
// for and given).
func (u UseCase) Title(lang string) string {
	if lang == "en" && u.NameEN != "" {
		return u.NameEN
	}
	return u.Name
}

// Thresholds are the limits between bereit, eingeschränkt and nicht bereit.
// A nil entry is not checked.
type Thresholds struct {
	DecodeTPS      *AtLeast `yaml:"decode_tps" json:"decode_tps,omitempty"`
	FirstTokenS    *AtMost  `yaml:"first_token_s" json:"first_token_s,omitempty"`
	RealtimeFactor *AtMost  `yaml:"realtime_factor" json:"realtime_factor,omitempty"`
}

// AtLeast: a value >= Good is bereit, below Minimum nicht bereit.
type AtLeast struct {
	Good    float64 `yaml:"good" json:"good"`
	Minimum float64 `yaml:"minimum" json:"minimum"`
}

// AtMost: a value <= Good is bereit, above Maximum nicht bereit.
type AtMost struct {
	Good    float64 `yaml:"good" json:"good"`
	Maximum float64 `yaml:"maximum" json:"maximum"`
}

// Catalogue is the packaged models and use cases with a municipality's own
// files laid over them.
type Catalogue struct {
	Models   []Model   `json:"models"`
	UseCases []UseCase `json:"usecases"`
	// Problems lists own files that were refused; the packaged entries
	// (and the other own files) are used instead.
	Problems []*BundleError `json:"problems,omitempty"`
}

// Model returns the model with id, or false.
func (c *Catalogue) Model(id string) (Model, bool) {
	for _, m := range c.Models {
		if m.ID == id {
			return m, true
		}
	}
	return Model{}, false
}

// UseCase returns the use case with id, or false.
func (c *Catalogue) UseCase(id string) (UseCase, bool) {
	for _, u := range c.UseCases {
		if u.ID == id {
			return u, true
		}
	}
	return UseCase{}, false
}

// BundleError is a catalogue file that was refused: which file, where in
// it, which field and what is wrong.
type BundleError struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Field  string `json:"field,omitempty"` // e.g. "quantizations[0].size_gb"
	Msg    string `json:"message"`
}

func (e *BundleError) Error() string {
	var sb strings.Builder
	sb.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&sb, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&sb, ":%d", e.Column)
		}
	}
	if e.Field != "" {
		fmt.Fprintf(&sb, ": field %s", e.Field)
	}
	sb.WriteString(": ")
	sb.WriteString(e.Msg)
	return sb.String()
}

// Hint tells a person what to do about the file.
func (e *BundleError) Hint() string {
	return "correct the file (see docs/fit.md and the JSON Schema in docs/schema/) or remove it; the packaged catalogue is used meanwhile"
}

// Catalogue folders below the data dir, where a municipality adds or
// replaces entries (same id replaces, a new id adds).
const (
	ModelsDir   = "bundles/models"
	UseCasesDir = "bundles/usecases"
)

// LoadCatalogue reads the packaged catalogue and lays the files in
// dataDir/bundles/{models,usecases} over it. A broken own file is listed in
// Problems and skipped; only a broken packaged file is an error (tests keep
// that from happening). dataDir may be empty.
func LoadCatalogue(dataDir string) (*Catalogue, error) {
	c := &Catalogue{}
	models := map[string]Model{}
	useCases := map[string]UseCase{}
	if err := loadEmbedded(bundles.Models, "models", "models.schema.json", func(b []byte, name string) error {
		m, err := parseModel(b, name)
		if err == nil {
			models[m.ID] = m
		}
		return err
	}); err != nil {
		return nil, err
	}
	if err := loadEmbedded(bundles.UseCases, "usecases", "usecases.schema.json", func(b []byte, name string) error {
		u, err := parseUseCase(b, name)
		if err == nil {
			useCases[u.ID] = u
		}
		return err
	}); err != nil {
		return nil, err
	}
	if dataDir != "" {
		c.Problems = append(c.Problems, loadOwn(filepath.Join(dataDir, filepath.FromSlash(ModelsDir)), func(b []byte, name string) error {
			m, err := parseModel(b, name)
			if err == nil {
				models[m.ID] = m
			}
			return err
		})...)
		c.Problems = append(c.Problems, loadOwn(filepath.Join(dataDir, filepath.FromSlash(UseCasesDir)), func(b []byte, name string) error {
			u, err := parseUseCase(b, name)
			if err == nil {
				useCases[u.ID] = u
			}
			return err
		})...)
	}
	for _, m := range models {
		c.Models = append(c.Models, m)
	}
	for _, u := range useCases {
		c.UseCases = append(c.UseCases, u)
	}
	// Smallest model first reads naturally in tables ("what runs here").
	sort.Slice(c.Models, func(i, j int) bool {
		a, b := c.Models[i], c.Models[j]
		if a.Kind != b.Kind {
			return kindOrder(a.Kind) < kindOrder(b.Kind)
		}
		if a.ParametersB != b.ParametersB {
			return a.ParametersB < b.ParametersB
		}
		return a.ID < b.ID
	})
	sort.Slice(c.UseCases, func(i, j int) bool { return c.UseCases[i].ID < c.UseCases[j].ID })
	return c, nil
}

func kindOrder(k string) int {
	switch k {
	case "chat":
		return 0
	case "embedding":
		return 1
	}
	return 2
}

func loadEmbedded(fsys fs.FS, dir, _ string, parse func([]byte, string) error) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return fmt.Errorf("packaged catalogue %s: %w", dir, err)
	}
	for _, e := range entries {
		if !isYAML(e.Name()) {
			continue
		}
		name := path.Join("bundles", dir, e.Name())
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("packaged catalogue %s: %w", name, err)
		}
		if err := parse(b, name); err != nil {
			return fmt.Errorf("packaged catalogue: %w", err)
		}
	}
	return nil
}

// loadOwn reads the municipality's files; a missing folder is normal.
func loadOwn(dir string, parse func([]byte, string) error) []*BundleError {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return []*BundleError{{File: dir, Msg: err.Error()}}
	}
	var problems []*BundleError
	for _, e := range entries {
		if e.IsDir() || !isYAML(e.Name()) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(name)
		if err == nil {
			err = parse(b, name)
		}
		if err != nil {
			var be *BundleError
			if !errors.As(err, &be) {
				be = &BundleError{File: name, Msg: err.Error()}
			}
			problems = append(problems, be)
		}
	}
	return problems
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

func parseModel(b []byte, name string) (Model, error) {
	var m Model
	if err := decodeBundle(b, name, "models.schema.json", &m); err != nil {
		return m, err
	}
	m.Origin = name
	for i := range m.Quantizations {
		if m.Quantizations[i].SizeSource == "" {
			m.Quantizations[i].SizeSource = "published"
		}
	}
	// Rules the schema cannot say.
	s := m.Shape
	if s.SlidingWindow > 0 && s.GlobalLayerEvery == 0 {
		return m, fieldError(b, name, []string{"shape", "global_layer_every"}, "is needed when sliding_window is set")
	}
	if s.AttentionHeads%s.KVHeads != 0 {
		return m, fieldError(b, name, []string{"shape", "kv_heads"}, fmt.Sprintf("must divide attention_heads (%d)", s.AttentionHeads))
	}
	seen := map[string]bool{}
	for i, q := range m.Quantizations {
		if seen[q.Name] {
			return m, fieldError(b, name, []string{"quantizations", strconv.Itoa(i), "name"}, fmt.Sprintf("%s is listed twice", q.Name))
		}
		seen[q.Name] = true
	}
	return m, nil
}

func parseUseCase(b []byte, name string) (UseCase, error) {
	var u UseCase
	if err := decodeBundle(b, name, "usecases.schema.json", &u); err != nil {
		return u, err
	}
	u.Origin = name
	if u.ContextTokens < u.PromptTokens+u.AnswerTokens && u.Kind == "chat" {
		return u, fieldError(b, name, []string{"context_tokens"}, fmt.Sprintf("must hold prompt_tokens + answer_tokens (%d)", u.PromptTokens+u.AnswerTokens))
	}
	t := u.Thresholds
	if t.DecodeTPS != nil && t.DecodeTPS.Minimum > t.DecodeTPS.Good {
		return u, fieldError(b, name, []string{"thresholds", "decode_tps", "minimum"}, "must not be above good")
	}
	for _, p := range []struct {
		f string
		v *AtMost
	}{{"first_token_s", t.FirstTokenS}, {"realtime_factor", t.RealtimeFactor}} {
		if p.v != nil && p.v.Maximum < p.v.Good {
			return u, fieldError(b, name, []string{"thresholds", p.f, "maximum"}, "must not be below good")
		}
	}
	return u, nil
}

// decodeBundle checks b against the JSON Schema, then decodes it into v.
// Every error names file, line, column and field.
func decodeBundle(b []byte, name, schemaName string, v any) error {
	js, err := yaml.YAMLToJSON(b)
	if err != nil {
		return yamlError(name, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return &BundleError{File: name, Msg: err.Error()}
	}
	sch, err := compiledSchema(schemaName)
	if err != nil {
		return err
	}
	if err := sch.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			leaf := firstLeaf(ve)
			loc := leaf.InstanceLocation
			// Point at the unknown key itself, not at its parent.
			if ap, ok := leaf.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) > 0 {
				loc = append(append([]string{}, loc...), ap.Properties[0])
			}
			return fieldError(b, name, loc, leaf.ErrorKind.LocalizedString(message.NewPrinter(language.English)))
		}
		return &BundleError{File: name, Msg: err.Error()}
	}
	if err := yaml.UnmarshalWithOptions(b, v, yaml.Strict()); err != nil {
		return yamlError(name, err)
	}
	return nil
}

// firstLeaf follows the first cause down to a concrete complaint, which
// points at the deepest field (the most useful line to show).
func firstLeaf(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return ve
}

func yamlError(name string, err error) *BundleError {
	be := &BundleError{File: name, Msg: err.Error()}
	var ye yaml.Error
	if errors.As(err, &ye) {
		be.Msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			be.Line, be.Column = tk.Position.Line, tk.Position.Column
		}
	}
	return be
}

// fieldError locates the field at loc (JSON pointer segments) in the YAML
// source; for a missing field it points at the closest existing parent.
func fieldError(b []byte, name string, loc []string, msg string) *BundleError {
	be := &BundleError{File: name, Field: fieldName(loc), Msg: msg}
	if be.Field == "" {
		be.Field = "(top level)"
	}
	file, err := parser.ParseBytes(b, 0)
	if err != nil {
		return be
	}
	for n := len(loc); n >= 0; n-- {
		p, err := yaml.PathString(yamlPath(loc[:n]))
		if err != nil {
			continue
		}
		node, err := p.FilterFile(file)
		if err != nil || node == nil {
			continue
		}
		if tk := node.GetToken(); tk != nil && tk.Position != nil {
			be.Line, be.Column = tk.Position.Line, tk.Position.Column
			return be
		}
	}
	return be
}

func fieldName(loc []string) string {
	var sb strings.Builder
	for _, s := range loc {
		if _, err := strconv.Atoi(s); err == nil {
			fmt.Fprintf(&sb, "[%s]", s)
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(s)
	}
	return sb.String()
}

func yamlPath(loc []string) string {
	var sb strings.Builder
	sb.WriteString("$")
	for _, s := range loc {
		if _, err := strconv.Atoi(s); err == nil {
			fmt.Fprintf(&sb, "[%s]", s)
			continue
		}
		sb.WriteString(".")
		sb.WriteString(s)
	}
	return sb.String()
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*jsonschema.Schema{}
)

func compiledSchema(name string) (*jsonschema.Schema, error) {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[name]; ok {
		return s, nil
	}
	f, err := schema.FS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	s, err := c.Compile(name)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	schemaCache[name] = s
	return s, nil
}
