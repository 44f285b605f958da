// Package bench runs test-prompt bundles against a local (or, with consent,
// remote) inference runtime and measures it the way benchmark tools do:
// a warm-up, N repetitions, time to first token, prompt and decode tokens
// per second measured on the client, next to the runtime's own figures
// (Ollama's eval durations, llama.cpp's timings, LM Studio's stats).
//
// Bundles are YAML files (bundles/prompts/, docs/prompts.md) with checks on
// the answers; results are stored in SQLite (Schema) so runs on the same PC
// stay comparable over months. The score (docs/score.md) condenses a run to
// one number without hiding the figures it is made of.
//
// Answers are data: they are checked and stored as text, never interpreted
// as markup or executed.
package bench
