// Package gguf writes synthetic GGUF model files: the llama architecture with
// random weights, a small byte-level SentencePiece-style vocabulary and a
// shape chosen by the caller, from a few hundred kilobytes for tests up to
// the size of a real 70B model. A real runtime (Ollama, llama.cpp) loads such
// a file and generates tokens at the speed a real model of that shape and
// quantization would, without downloading one. The output is gibberish by
// design.
//
// Files are written as a stream, tensor row by tensor row, so memory use does
// not grow with the model size, and are deterministic for a given Spec
// (including its seed). The format of what is written is specified in
// docs/gguf.md. Reading GGUF files is left to github.com/gpustack/gguf-parser-go.
package gguf
