// Package compare puts a local and a cloud run of the same test bundle
// side by side: time to first token, decode tokens/s and end-to-end
// latency (median and spread), the share of answer checks passed, the
// network part of the cloud's time where it was measured (TCP and TLS
// connect, time to response headers, rate-limit retries), and per prompt
// how much the answers differ (word-level similarity and a short word
// diff). It reads runs stored by internal/bench and internal/cloudrun.
package compare
