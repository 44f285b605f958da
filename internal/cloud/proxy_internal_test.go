package cloud

import (
	"net/http"
	"testing"
)

func TestWinINetProxy(t *testing.T) {
	cases := []struct {
		server, override, url, want string
	}{
		{"proxy.stadt.example:8080", "", "https://api.mistral.ai/v1", "http://proxy.stadt.example:8080"},
		{"http=p1:80;https=p2:3128", "", "https://api.mistral.ai/v1", "http://p2:3128"},
		{"http=p1:80", "", "https://api.mistral.ai/v1", ""},
		{"p:8080", "*.stadt.example;<local>", "https://ki.stadt.example/v1", ""},
		{"p:8080", "<local>", "https://intranet/v1", ""},
		{"p:8080", "10.*", "https://10.1.2.3/v1", ""},
		{"p:8080", "", "http://127.0.0.1:11434/v1", ""},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("GET", c.url, nil)
		u, err := parseWinINetProxy(c.server, c.override, req)
		got := ""
		if u != nil {
			got = u.String()
		}
		if err != nil || got != c.want {
			t.Errorf("%q %q %s: got %q (%v), want %q", c.server, c.override, c.url, got, err, c.want)
		}
	}
}

func FuzzWinINetProxy(f *testing.F) {
	f.Add("http=p1:80;https=p2:3128", "*.a.b;<local>", "api.example")
	f.Add("p:8080", "10.*", "10.0.0.1")
	f.Fuzz(func(t *testing.T, server, override, host string) {
		req, err := http.NewRequest("GET", "https://"+host+"/v1", nil)
		if err != nil {
			return
		}
		parseWinINetProxy(server, override, req) // must not panic
		matchWildcard(override, host)
	})
}

func FuzzEndpointValidate(f *testing.F) {
	f.Add("https://api.mistral.ai/v1", "m", "KEY", "http://proxy:8080")
	f.Add("http://[::1]:80", "", "", "")
	f.Fuzz(func(t *testing.T, base, model, env, proxy string) {
		ep := Endpoint{BaseURL: base, Model: model, KeyEnv: env, ProxyURL: proxy}
		if ep.Validate() == nil && ep.Host() == "" {
			t.Fatalf("valid endpoint without host: %+v", ep)
		}
		_ = ep.ChatURL()
		_ = ep.IsLoopback()
	})
}
