package runtime

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// identify decides from the answers at one address which runtime it is.
// The order matters: specific answers first (Ollama's /api/version, the
// llama.cpp server's /props, LM Studio's /api/v0, LocalAI's /readyz), then
// the owner named in /v1/models, then the port's usual owner.
func identify(c candidate, a map[string]answer) (*Runtime, i18n.Msg) {
	if why, dead := unreachable(a); dead {
		return nil, why
	}
	rt := &Runtime{URL: c.url, UserEntered: c.userEntered, IdentifiedBy: "answers", Models: []Model{}}
	openAI := openAIModels(a["/v1/models"])
	switch {
	case identifyOllama(rt, a):
	case identifyLlamaCpp(rt, a, openAI):
	case identifyLMStudio(rt, a):
	case identifyLocalAI(rt, a, openAI):
	case identifyByOwner(rt, a, openAI):
	case openAI != nil:
		kind := KindOpenAI
		switch c.portKind {
		case KindJan, KindGPT4All, KindLMStudio:
			kind, rt.IdentifiedBy = c.portKind, "port"
		}
		rt.Kind = kind
		rt.Models = modelsFromOpenAI(openAI)
	default:
		st := a["/v1/models"].status
		return nil, i18n.Msg{ID: "runtime.why.unknown", Data: map[string]any{"Status": st}}
	}
	rt.Name = kindNames[rt.Kind]
	if openAI != nil && rt.OpenAIURL == "" {
		rt.OpenAIURL = c.url + "/v1"
	}
	return rt, i18n.Msg{}
}

// unreachable reports whether no request got any HTTP answer, and why.
func unreachable(a map[string]answer) (i18n.Msg, bool) {
	var first error
	for _, ans := range a {
		if ans.err == nil {
			return i18n.Msg{}, false
		}
		if first == nil {
			first = ans.err
		}
	}
	var ne net.Error
	switch {
	// Windows reports WSAECONNREFUSED, which is not syscall.ECONNREFUSED there.
	case errors.Is(first, syscall.ECONNREFUSED), strings.Contains(first.Error(), "refused"):
		return i18n.Msg{ID: "runtime.why.refused"}, true
	case errors.As(first, &ne) && ne.Timeout(), errors.Is(first, os.ErrDeadlineExceeded):
		return i18n.Msg{ID: "runtime.why.timeout"}, true
	}
	return i18n.Msg{ID: "runtime.why.unreachable", Data: map[string]any{"Detail": i18n.Escape(first.Error())}}, true
}

func boolp(b bool) *bool { return &b }

// ollamaDetails is the "details" object of Ollama's model lists.
type ollamaDetails struct {
	Format            string `json:"format"`
	Family            string `json:"family"`
	ParameterSize     string `json:"parameter_size"`
	QuantizationLevel string `json:"quantization_level"`
}

type ollamaModel struct {
	Name     string        `json:"name"`
	Model    string        `json:"model"`
	Size     int64         `json:"size"`
	Digest   string        `json:"digest"`
	Details  ollamaDetails `json:"details"`
	SizeVRAM int64         `json:"size_vram"`
}

func identifyOllama(rt *Runtime, a map[string]answer) bool {
	var v struct {
		Version *string `json:"version"`
	}
	var tags struct {
		Models []ollamaModel `json:"models"`
	}
	if !a["/api/version"].json(&v) || v.Version == nil || !a["/api/tags"].json(&tags) {
		return false
	}
	rt.Kind, rt.Version = KindOllama, *v.Version
	var ps struct {
		Models []ollamaModel `json:"models"`
	}
	psKnown := a["/api/ps"].json(&ps)
	loaded := map[string]int64{}
	for _, m := range ps.Models {
		loaded[m.Name] = m.Size
	}
	for _, m := range tags.Models {
		id := m.Name
		if id == "" {
			id = m.Model
		}
		mm := Model{ID: id, SizeBytes: m.Size, Family: m.Details.Family, ParameterSize: m.Details.ParameterSize,
			Quantization: m.Details.QuantizationLevel, Format: m.Details.Format, Digest: m.Digest}
		if psKnown {
			size, ok := loaded[id]
			mm.Loaded, mm.MemoryBytes = boolp(ok), size
		}
		rt.Models = append(rt.Models, mm)
	}
	return true
}

func identifyLlamaCpp(rt *Runtime, a map[string]answer, openAI []openAIModel) bool {
	var props struct {
		DefaultGenerationSettings map[string]any `json:"default_generation_settings"`
		TotalSlots                *int           `json:"total_slots"`
		ModelPath                 string         `json:"model_path"`
		BuildInfo                 string         `json:"build_info"`
	}
	if !a["/props"].json(&props) || (props.DefaultGenerationSettings == nil && props.TotalSlots == nil) {
		return false
	}
	rt.Kind, rt.Version = KindLlamaCpp, props.BuildInfo
	var ctx int
	if n, ok := props.DefaultGenerationSettings["n_ctx"].(float64); ok {
		ctx = int(n)
	}
	var health struct {
		Status string `json:"status"`
	}
	// The server holds exactly the model it was started with; /health says
	// whether it has finished loading it.
	ready := a["/health"].json(&health) && health.Status == "ok"
	for _, m := range openAI {
		mm := Model{ID: m.ID, Format: "gguf", SizeBytes: m.Meta.Size, ContextLength: ctx, Loaded: boolp(ready)}
		if mm.ContextLength == 0 {
			mm.ContextLength = m.Meta.NCtxTrain
		}
		if m.Meta.NParams > 0 {
			mm.ParameterSize = formatParams(m.Meta.NParams)
		}
		rt.Models = append(rt.Models, mm)
	}
	if len(rt.Models) == 0 && props.ModelPath != "" {
		rt.Models = append(rt.Models, Model{ID: props.ModelPath, Format: "gguf", ContextLength: ctx, Loaded: boolp(ready)})
	}
	return true
}

func identifyLMStudio(rt *Runtime, a map[string]answer) bool {
	var list struct {
		Data []struct {
			ID                string `json:"id"`
			Type              string `json:"type"`
			Publisher         string `json:"publisher"`
			Arch              string `json:"arch"`
			CompatibilityType string `json:"compatibility_type"`
			Quantization      string `json:"quantization"`
			State             string `json:"state"`
			MaxContextLength  int    `json:"max_context_length"`
		} `json:"data"`
	}
	if !a["/api/v0/models"].json(&list) || list.Data == nil {
		return false
	}
	rt.Kind = KindLMStudio
	for _, m := range list.Data {
		mm := Model{ID: m.ID, Family: m.Arch, Quantization: m.Quantization, Format: m.CompatibilityType, ContextLength: m.MaxContextLength}
		switch m.State {
		case "loaded":
			mm.Loaded = boolp(true)
		case "not-loaded":
			mm.Loaded = boolp(false)
		}
		rt.Models = append(rt.Models, mm)
	}
	return true
}

func identifyLocalAI(rt *Runtime, a map[string]answer, openAI []openAIModel) bool {
	var v struct {
		Version string `json:"version"`
	}
	if !a["/readyz"].ok() || !a["/version"].json(&v) || v.Version == "" {
		return false
	}
	rt.Kind, rt.Version = KindLocalAI, v.Version
	rt.Models = modelsFromOpenAI(openAI)
	return true
}

// identifyByOwner uses the owned_by field some servers fill with their name.
func identifyByOwner(rt *Runtime, a map[string]answer, openAI []openAIModel) bool {
	for _, m := range openAI {
		switch strings.ToLower(m.OwnedBy) {
		case "vllm":
			rt.Kind = KindVLLM
			var v struct {
				Version string `json:"version"`
			}
			if a["/version"].json(&v) {
				rt.Version = v.Version
			}
		case "humanity": // GPT4All's server
			rt.Kind = KindGPT4All
		default:
			continue
		}
		rt.Models = modelsFromOpenAI(openAI)
		return true
	}
	return false
}

type openAIModel struct {
	ID          string `json:"id"`
	OwnedBy     string `json:"owned_by"`
	MaxModelLen int    `json:"max_model_len"` // vLLM
	Meta        struct {
		NParams   int64 `json:"n_params"`
		Size      int64 `json:"size"`
		NCtxTrain int   `json:"n_ctx_train"`
	} `json:"meta"` // llama.cpp server
}

// openAIModels returns the /v1/models list, or nil when the answer is not one.
func openAIModels(a answer) []openAIModel {
	var list struct {
		Data []openAIModel `json:"data"`
	}
	if !a.json(&list) || list.Data == nil {
		return nil
	}
	return list.Data
}

func modelsFromOpenAI(list []openAIModel) []Model {
	out := []Model{}
	for _, m := range list {
		if m.ID == "" {
			continue
		}
		out = append(out, Model{ID: m.ID, ContextLength: m.MaxModelLen})
	}
	return out
}

// formatParams writes a parameter count the way Ollama does ("8.0B").
func formatParams(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1fB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.0fM", float64(n)/1e6)
	}
	return fmt.Sprintf("%d", n)
}
