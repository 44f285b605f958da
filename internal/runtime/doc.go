// Package runtime finds the local AI runtimes on this PC (Ollama, llama.cpp
// server, LM Studio, LocalAI, vLLM, Jan, GPT4All) and tells what they offer:
// name, version, models with size, family and quantization where the runtime
// says, and which models are loaded. Candidates are probed in parallel on
// their default loopback ports with short timeouts; a runtime is identified
// by its answers, not by its port. Nothing is sent off the PC unless the user
// entered that address.
//
// It also holds a small client for Ollama's own API (create a model from a
// GGUF file, generate with Ollama's timings, delete), used by the load
// profile test and the test harness.
package runtime
