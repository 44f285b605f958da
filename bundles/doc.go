// Package bundles embeds KI-Check's packaged content: test prompts, quizzes,
// the competency framework, the training catalogue, the model catalogue and
// the use cases with their thresholds. All of it is in open formats (YAML
// with JSON Schemas published under docs/schema/), so a municipality can
// edit it without changing code.
//
// Each kind of content has its own folder and its own file here that embeds
// it (models.go embeds models/, prompts.go embeds prompts/, …). The packages
// that read a kind of content (internal/fit, internal/bench, internal/cost,
// internal/learning, internal/quiz, internal/quizsession) parse and
// validate it with internal/bundle, which also reads a municipality's own
// files from <datadir>/bundles/<kind>/; this package only carries the bytes.
package bundles
