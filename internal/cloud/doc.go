// Package cloud lets KI-Check send its synthetic test prompts to an
// external, OpenAI-compatible endpoint (a rented cloud model or the
// municipal data centre's vLLM), so the same bundle can be measured locally
// and remotely and compared.
//
// Nothing leaves the PC by default. The package enforces that itself, not
// only the user interface: Authorize refuses a non-loopback endpoint unless
// the caller passes the user's explicit consent for this run and the bundle
// is marked cloud_allowed. Consents are recorded in the database (table
// cloud_consents) with host, time and the prompts sent.
//
// The endpoint's configuration (preset, base URL, model, proxy, CA file)
// is stored in the database; the API key never is. It lives in the OS
// credential store (go-keyring: Windows Credential Manager, macOS Keychain,
// Secret Service on Linux) under the service "KI-Check", or is read from an
// environment variable named in the settings (the way for CI and for IT's
// scripted runs).
//
// HTTPClient builds the client used for every cloud request: the system
// proxy (HTTPS_PROXY/HTTP_PROXY/NO_PROXY; see docs/cloud.md for Windows) or
// an explicit proxy URL, and the system CA pool plus an optional CA file for
// TLS-inspecting proxies. There is deliberately no option to switch TLS
// verification off. Failures are turned into *Error values with messages
// a clerk or IT can act on ("Zugang abgelehnt (401)", rate limit,
// certificate problems): German by default, in ClientOptions.Lang's
// language from the cloud.error.* texts of assets/lang.
package cloud
