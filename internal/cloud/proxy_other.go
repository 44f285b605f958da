//go:build !windows

package cloud

import (
	"net/http"
	"net/url"

	"golang.org/x/net/http/httpproxy"
)

// systemProxy on Linux and macOS is the environment (HTTPS_PROXY,
// HTTP_PROXY, NO_PROXY), which is how desktop sessions and IT's scripts
// pass it. macOS's network-settings proxy is not read; see docs/cloud.md.
// The environment is read at each request (httpproxy.FromEnvironment), not
// once per process as http.ProxyFromEnvironment does, so a changed setting
// applies without a restart.
func systemProxy(req *http.Request) (*url.URL, error) {
	return httpproxy.FromEnvironment().ProxyFunc()(req.URL)
}
