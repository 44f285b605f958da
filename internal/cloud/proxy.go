package cloud

import (
	"net/http"
	"net/url"
	"strings"
)

// parseWinINetProxy interprets the Windows "Internet Settings" values
// (ProxyServer, ProxyOverride) for a request: ProxyServer is either
// "host:port" for all schemes or "http=host:port;https=host:port";
// ProxyOverride is a ";"-separated list of host patterns with "*"
// wildcards and the special entry "<local>" (host names without a dot).
// It lives here, not in the Windows file, so it is tested on every OS.
func parseWinINetProxy(server, override string, req *http.Request) (*url.URL, error) {
	host := req.URL.Hostname()
	if IsLoopbackHost(host) {
		return nil, nil
	}
	for _, pat := range strings.Split(override, ";") {
		pat = strings.TrimSpace(strings.ToLower(pat))
		switch {
		case pat == "":
		case pat == "<local>":
			if !strings.Contains(host, ".") {
				return nil, nil
			}
		case matchWildcard(pat, strings.ToLower(host)):
			return nil, nil
		}
	}
	chosen := ""
	for _, part := range strings.Split(server, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		scheme, addr, ok := strings.Cut(part, "=")
		if !ok {
			chosen = part // one proxy for all schemes
			break
		}
		if strings.EqualFold(scheme, req.URL.Scheme) {
			chosen = addr
			break
		}
	}
	if chosen == "" {
		return nil, nil
	}
	if !strings.Contains(chosen, "://") {
		chosen = "http://" + chosen
	}
	return url.Parse(chosen)
}

// matchWildcard matches host against a pattern where "*" stands for any
// run of characters ("*.stadt.example", "10.*").
func matchWildcard(pat, host string) bool {
	parts := strings.Split(pat, "*")
	if len(parts) == 1 {
		return pat == host
	}
	if !strings.HasPrefix(host, parts[0]) {
		return false
	}
	rest := host[len(parts[0]):]
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last {
			return strings.HasSuffix(rest, p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return true
}
