// Package loadprofile runs the "Lastprofil-Test": it measures how fast a
// model of a given size really runs on this PC without downloading it. It
// writes a synthetic model (internal/gguf) with the exact shape and size of
// a catalogue model in a chosen quantization, creates it in the local
// Ollama, generates a few short answers to measure decode and prompt speed
// with Ollama's own timings, and removes the model and the file again, also
// when it fails or is cancelled.
package loadprofile
