package fit

import (
	"errors"
	"fmt"
	"sort"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/bundle"
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
// it, which field and what is wrong (the one bundle error type).
type BundleError = bundle.Error

// formatDoc describes the catalogue's format.
const formatDoc = "docs/fit.md"

// Catalogue folders below the data dir, where a municipality adds or
// replaces entries (same id replaces, a new id adds).
const (
	ModelsDir   = "bundles/models"
	UseCasesDir = "bundles/usecases"
)

var (
	modelKind   = bundle.Kind{Dir: "models", Embedded: bundles.Models}
	useCaseKind = bundle.Kind{Dir: "usecases", Embedded: bundles.UseCases}

	modelSchema   = bundle.NewSchema("models.schema.json")
	useCaseSchema = bundle.NewSchema("usecases.schema.json")
)

// LoadCatalogue reads the packaged catalogue and lays the files in
// dataDir/bundles/{models,usecases} over it. A broken own file is listed in
// Problems and skipped; only a broken packaged file is an error (tests keep
// that from happening). dataDir may be empty.
func LoadCatalogue(dataDir string) (*Catalogue, error) {
	c := &Catalogue{}
	models := map[string]Model{}
	useCases := map[string]UseCase{}
	if err := load(c, modelKind, dataDir, func(b []byte, name string) error {
		m, err := parseModel(b, name)
		if err == nil {
			models[m.ID] = m
		}
		return err
	}); err != nil {
		return nil, err
	}
	if err := load(c, useCaseKind, dataDir, func(b []byte, name string) error {
		u, err := parseUseCase(b, name)
		if err == nil {
			useCases[u.ID] = u
		}
		return err
	}); err != nil {
		return nil, err
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

// load parses the packaged files of kind, then the municipality's. A
// broken packaged file is an error; a broken own file goes to c.Problems.
func load(c *Catalogue, kind bundle.Kind, dataDir string, parse func([]byte, string) error) error {
	packaged, err := kind.Packaged()
	if err != nil {
		return err
	}
	for _, f := range packaged {
		if err := parse(f.Data, f.Name); err != nil {
			return fmt.Errorf("packaged catalogue: %w", err)
		}
	}
	own, problems := kind.Own(dataDir)
	for _, p := range problems {
		c.Problems = append(c.Problems, bundleError(p))
	}
	for _, f := range own {
		if err := parse(f.Data, f.Name); err != nil {
			var be *BundleError
			if !errors.As(err, &be) {
				be = &BundleError{File: f.Name, Msg: err.Error(), Doc: formatDoc}
			}
			c.Problems = append(c.Problems, be)
		}
	}
	return nil
}

func parseModel(b []byte, name string) (Model, error) {
	var m Model
	doc, errs := bundle.Decode(name, b, modelSchema, &m)
	if errs != nil {
		return m, bundleError(errs[0])
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
		return m, bundleError(doc.ErrorAt("shape.global_layer_every", "is needed when sliding_window is set"))
	}
	if s.AttentionHeads%s.KVHeads != 0 {
		return m, bundleError(doc.ErrorAt("shape.kv_heads", fmt.Sprintf("must divide attention_heads (%d)", s.AttentionHeads)))
	}
	seen := map[string]bool{}
	for i, q := range m.Quantizations {
		if seen[q.Name] {
			return m, bundleError(doc.ErrorAt(fmt.Sprintf("quantizations[%d].name", i), fmt.Sprintf("%s is listed twice", q.Name)))
		}
		seen[q.Name] = true
	}
	return m, nil
}

func parseUseCase(b []byte, name string) (UseCase, error) {
	var u UseCase
	doc, errs := bundle.Decode(name, b, useCaseSchema, &u)
	if errs != nil {
		return u, bundleError(errs[0])
	}
	u.Origin = name
	if u.ContextTokens < u.PromptTokens+u.AnswerTokens && u.Kind == "chat" {
		return u, bundleError(doc.ErrorAt("context_tokens", fmt.Sprintf("must hold prompt_tokens + answer_tokens (%d)", u.PromptTokens+u.AnswerTokens)))
	}
	t := u.Thresholds
	if t.DecodeTPS != nil && t.DecodeTPS.Minimum > t.DecodeTPS.Good {
		return u, bundleError(doc.ErrorAt("thresholds.decode_tps.minimum", "must not be above good"))
	}
	for _, p := range []struct {
		f string
		v *AtMost
	}{{"first_token_s", t.FirstTokenS}, {"realtime_factor", t.RealtimeFactor}} {
		if p.v != nil && p.v.Maximum < p.v.Good {
			return u, bundleError(doc.ErrorAt("thresholds."+p.f+".maximum", "must not be below good"))
		}
	}
	return u, nil
}

// bundleError is e in this package's terms. A file's first problem is
// reported (its line is the one to fix first).
func bundleError(e *bundle.Error) *BundleError {
	e.Doc = formatDoc
	return e
}
