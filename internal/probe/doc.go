// Package probe measures what a PC can give an AI model, in pure Go and in
// seconds: the memory read bandwidth with all cores (which bounds how fast
// a model answers, because every answer token reads all weights once), a
// quantized matrix-vector product shaped like LLM decoding and a
// matrix-matrix product shaped like prompt processing. It also estimates
// the compute throughput that llama.cpp's SIMD kernels reach from cores,
// clock and instruction-set width (docs/probe.md says why an estimate and
// not the pure-Go figure).
//
// Every figure is the median of several repetitions with its spread. A run
// can be cancelled through its context; the result then keeps what was
// measured and says Complete: false.
package probe
