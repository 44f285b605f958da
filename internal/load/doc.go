// Package load measures a central AI server under many simultaneous users
// (issue 14): a concurrency sweep, a Poisson request rate and a clerks'
// working day, streamed against Ollama's /api/chat or an OpenAI-compatible
// /v1/chat/completions. It records per request the time to first token,
// the gaps between tokens, the end-to-end time and the server's own token
// count, and per load level the percentiles (with order-statistic
// confidence intervals), throughput, errors by kind and goodput against
// the use-case limits of internal/fit. docs/load.md defines every figure
// next to vLLM's benchmark, GuideLLM and GenAI-Perf.
//
// A run takes a context, reports progress, and keeps what it measured when
// it is cancelled or hits its bounds (marked incomplete). A non-loopback
// endpoint needs the same consent as a cloud run (internal/cloud).
package load
