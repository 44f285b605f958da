//go:build !windows

package cloud

import (
	"net/http"
	"net/url"
)

// systemProxy on Linux and macOS is the environment (HTTPS_PROXY,
// HTTP_PROXY, NO_PROXY), which is how desktop sessions and IT's scripts
// pass it. macOS's network-settings proxy is not read; see docs/cloud.md.
func systemProxy(req *http.Request) (*url.URL, error) { return http.ProxyFromEnvironment(req) }
