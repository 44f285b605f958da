//go:build windows

package cloud

import (
	"net/http"
	"net/url"
	"os"

	"golang.org/x/net/http/httpproxy"
	"golang.org/x/sys/windows/registry"
)

// systemProxy on Windows: the environment first (IT's scripts set
// HTTPS_PROXY), else the user's Internet Settings as set in the Windows
// proxy dialog or by group policy (ProxyEnable, ProxyServer,
// ProxyOverride). Automatic configuration scripts (PAC, WPAD) are not
// evaluated: enter the proxy explicitly in that case (docs/cloud.md).
func systemProxy(req *http.Request) (*url.URL, error) {
	if os.Getenv("HTTPS_PROXY") != "" || os.Getenv("https_proxy") != "" ||
		os.Getenv("HTTP_PROXY") != "" || os.Getenv("http_proxy") != "" {
		return httpproxy.FromEnvironment().ProxyFunc()(req.URL)
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Internet Settings`, registry.QUERY_VALUE)
	if err != nil {
		return nil, nil
	}
	defer k.Close()
	enabled, _, err := k.GetIntegerValue("ProxyEnable")
	if err != nil || enabled == 0 {
		return nil, nil
	}
	server, _, err := k.GetStringValue("ProxyServer")
	if err != nil || server == "" {
		return nil, nil
	}
	override, _, _ := k.GetStringValue("ProxyOverride")
	return parseWinINetProxy(server, override, req)
}
