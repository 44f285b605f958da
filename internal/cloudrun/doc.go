// Package cloudrun runs a test bundle against a cloud endpoint: the one
// way the app sends prompts off the PC. It joins internal/cloud (endpoint,
// key, proxy, CA, consent) and internal/bench (the runner and its
// storage): it refuses to start without the consent cloud.Authorize
// accepts, records that consent with the run (table cloud_consents), runs
// the bundle through the cloud HTTP client, and stores the network part of
// every answer (DNS, TCP, TLS, time to response headers, rate-limit
// retries) in cloud_network beside bench's samples.
package cloudrun
