// Package fit answers "can this PC run that model, and how fast?" without
// downloading the model: it reads the model catalogue and the use cases
// (bundles/models, bundles/usecases), computes the memory a model needs at
// the context a use case needs (weights + KV cache + runtime overhead),
// decides where it fits (one GPU's free VRAM, RAM, or nowhere), predicts
// decode and prompt speed from the capacity probe's measurements, and
// gives a verdict per use case: bereit, eingeschränkt or nicht bereit, with
// a plain-German reason. Every number carries its basis, the measurement
// and formula it comes from. The formulas are documented in docs/fit.md.
package fit
