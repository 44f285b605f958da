package cloud_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloud/cloudtest"
)

const testKey = "sk-test-9f8e7d6c5b4a"

func fastRetry() cloud.ClientOptions {
	return cloud.ClientOptions{Retry: cloud.RetryPolicy{MaxAttempts: 4, BaseDelay: 10 * time.Millisecond}}
}

func TestConnectionThroughTLSWithCustomCA(t *testing.T) {
	be := backend(t)
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, be, testKey)
	ep := cloud.Endpoint{Preset: cloud.PresetVLLM, BaseURL: p.URL, Model: tinyModel, CAFile: ca.CertFile}

	res, err := cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey(testKey), fastRetry())
	if err != nil {
		t.Fatalf("test connection: %v", err)
	}
	if !res.ModelListed {
		t.Fatalf("model %q not among %v", tinyModel, res.Models)
	}
	if res.Network.TLSMs <= 0 || res.Network.HeadersMs <= 0 {
		t.Fatalf("network timing not measured: %+v", res.Network)
	}
	if got := p.AuthHeaders(); len(got) != 1 || got[0] != "Bearer "+testKey {
		t.Fatalf("proxy saw Authorization %q, want the bearer token once", got)
	}
}

func TestStreamedChatThroughTLSProxy(t *testing.T) {
	be := backend(t)
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, be, testKey)
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: p.URL, Model: tinyModel, CAFile: ca.CertFile}
	hc, err := cloud.HTTPClient(ep, fastRetry())
	if err != nil {
		t.Fatal(err)
	}
	client := openai.NewClientWithConfig(cloud.OpenAIConfig(ep, cloud.NewAPIKey(testKey), hc))
	ctx, tr := cloud.WithTrace(t.Context())
	stream, err := client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
		Model: ep.ModelName(), MaxTokens: 8, Stream: true,
		Messages:      []openai.ChatCompletionMessage{{Role: "user", Content: "Hallo"}},
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
	})
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	defer stream.Close()
	chunks, outTokens := 0, 0
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("recv: %v", err)
		}
		chunks++
		if r.Usage != nil {
			outTokens = r.Usage.CompletionTokens
		}
	}
	if chunks < 2 || outTokens == 0 {
		t.Fatalf("got %d chunks, %d completion tokens; want a streamed answer with usage", chunks, outTokens)
	}
	if tr.Timing().ConnectMs <= 0 {
		t.Fatalf("connect time not measured: %+v", tr.Timing())
	}
}

func TestMissingCAGivesCertificateMessage(t *testing.T) {
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, deadBackend, testKey)
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: p.URL, Model: "m"}
	_, err := cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey(testKey), fastRetry())
	var ce *cloud.Error
	if !errors.As(err, &ce) || !errors.Is(err, cloud.ErrCertificate) {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	if !strings.Contains(ce.Message, "unbekannte Zertifizierungsstelle (CA)") || !strings.Contains(ce.Hint(), "CA-Datei") {
		t.Fatalf("message %q / hint %q do not name the CA problem", ce.Message, ce.Hint())
	}

	// With the wrong CA file the hint names that file.
	other := cloudtest.NewCA(t, "Andere CA")
	ep.CAFile = other.CertFile
	_, err = cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey(testKey), fastRetry())
	if !errors.As(err, &ce) || !strings.Contains(ce.Hint(), other.CertFile) {
		t.Fatalf("wrong CA file: err %v, hint %q; want the file named", err, ce.Hint())
	}
	if p.Requests.Load() != 0 || len(p.AuthHeaders()) != 0 {
		t.Fatal("a request (and the key) reached the server over an unverified connection")
	}
}

func TestBadCAFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"leer.pem": "", "kein-pem.cer": "\x30\x82\x01\x0a binary"} {
		path := dir + "/" + name
		if err := writeFile(path, content); err != nil {
			t.Fatal(err)
		}
		_, err := cloud.HTTPClient(cloud.Endpoint{BaseURL: "https://x.example/v1", CAFile: path}, cloud.ClientOptions{})
		var ce *cloud.Error
		if !errors.As(err, &ce) || ce.Field != "ca_file" || !strings.Contains(ce.Message, path) {
			t.Fatalf("%s: err = %v, want a ca_file error naming the file", name, err)
		}
	}
	_, err := cloud.HTTPClient(cloud.Endpoint{BaseURL: "https://x.example/v1", CAFile: dir + "/fehlt.pem"}, cloud.ClientOptions{})
	if !errors.Is(err, cloud.ErrInvalidField) {
		t.Fatalf("missing CA file: %v", err)
	}
}

func TestWrongKeyIsAccessDenied(t *testing.T) {
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, deadBackend, testKey)
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: p.URL, Model: "m", CAFile: ca.CertFile}
	_, err := cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey("sk-falsch"), fastRetry())
	var ce *cloud.Error
	if !errors.As(err, &ce) || ce.Message != "Zugang abgelehnt (401)" || !errors.Is(err, cloud.ErrUnauthorized) {
		t.Fatalf("err = %v, want Zugang abgelehnt (401)", err)
	}
	if !strings.Contains(ce.Hint(), "API-Schlüssel") {
		t.Fatalf("hint %q does not say what to do", ce.Hint())
	}
	if p.Rejected401.Load() != 1 {
		t.Fatalf("401 answered %d times, want exactly 1 (no retry on a wrong key)", p.Rejected401.Load())
	}
}

func TestRateLimitIsRetriedWithBackoffAndReported(t *testing.T) {
	be := backend(t)
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, be, testKey)
	p.Inject429(2) // fault injection by the test proxy, not a real provider
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: p.URL, Model: tinyModel, CAFile: ca.CertFile}
	var events []cloud.RetryEvent
	opts := fastRetry()
	opts.OnRetry = func(ev cloud.RetryEvent) { events = append(events, ev) }
	res, err := cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey(testKey), opts)
	if err != nil {
		t.Fatalf("after two 429s the third attempt should pass: %v", err)
	}
	if len(events) != 2 || events[0].Wait != 10*time.Millisecond || events[1].Wait != 20*time.Millisecond {
		t.Fatalf("retry events = %+v, want 2 with waits 10ms, 20ms (doubling)", events)
	}
	if res.Network.Retries != 2 || !strings.Contains(events[0].String(), "Anfragelimit") {
		t.Fatalf("retries not reported: %+v / %q", res.Network, events[0])
	}
	if p.Injected429.Load() != 2 || p.Requests.Load() != 1 {
		t.Fatalf("proxy: %d injected, %d forwarded", p.Injected429.Load(), p.Requests.Load())
	}
}

func TestRateLimitGivesUpWithMessage(t *testing.T) {
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, deadBackend, testKey)
	p.Inject429(100) // fault injection
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: p.URL, Model: "m", CAFile: ca.CertFile}
	opts := cloud.ClientOptions{Retry: cloud.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}}
	_, err := cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey(testKey), opts)
	var ce *cloud.Error
	if !errors.As(err, &ce) || !errors.Is(err, cloud.ErrRateLimited) || !strings.Contains(ce.Message, "(429)") {
		t.Fatalf("err = %v, want the rate-limit message", err)
	}
	if p.Injected429.Load() != 3 {
		t.Fatalf("attempts = %d, want 3", p.Injected429.Load())
	}
}

func TestRetryWaitIsCancellable(t *testing.T) {
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, deadBackend, testKey)
	p.Inject429(100) // fault injection
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: p.URL, Model: "m", CAFile: ca.CertFile}
	ctx, cancel := context.WithCancel(t.Context())
	opts := cloud.ClientOptions{Retry: cloud.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour},
		OnRetry: func(cloud.RetryEvent) { cancel() }}
	done := make(chan error, 1)
	go func() { _, err := cloud.TestConnection(ctx, ep, cloud.NewAPIKey(testKey), opts); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancelling did not end the one-hour backoff wait")
	}
}

func TestExplicitConnectProxy(t *testing.T) {
	be := backend(t)
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, be, testKey)
	proxy := cloudtest.StartConnectProxy(t)
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: p.CloudURL, Model: tinyModel, CAFile: ca.CertFile, ProxyURL: proxy.URL}
	if ep.IsLoopback() {
		t.Fatal("the cloud host must count as remote")
	}
	res, err := cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey(testKey), fastRetry())
	if err != nil {
		t.Fatalf("through proxy: %v", err)
	}
	if !res.ModelListed || proxy.Connects.Load() != 1 || !strings.HasPrefix(proxy.Targets()[0], cloudtest.CloudHost+":") {
		t.Fatalf("listed %v, proxy tunnels %v", res.Models, proxy.Targets())
	}
}

func TestSystemProxyFromEnvironment(t *testing.T) {
	be := backend(t)
	ca := cloudtest.NewCA(t, "Stadt Test CA")
	p := cloudtest.StartTLSProxy(t, ca, be, testKey)
	proxy := cloudtest.StartConnectProxy(t)
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: p.CloudURL, Model: tinyModel, CAFile: ca.CertFile}
	if _, err := cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey(testKey), fastRetry()); err != nil {
		t.Fatalf("through HTTPS_PROXY: %v", err)
	}
	if proxy.Connects.Load() != 1 {
		t.Fatalf("system proxy not used: %d tunnels", proxy.Connects.Load())
	}
}

func TestUnreachableProxyIsNamed(t *testing.T) {
	ep := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: "https://" + cloudtest.CloudHost + "/v1", Model: "m", ProxyURL: "http://127.0.0.1:9"}
	_, err := cloud.TestConnection(t.Context(), ep, cloud.NewAPIKey(testKey), fastRetry())
	if !errors.Is(err, cloud.ErrProxy) {
		t.Fatalf("err = %v, want a proxy error", err)
	}
}
