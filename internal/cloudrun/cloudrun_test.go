package cloudrun_test

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloud/cloudtest"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/store"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.RunShared(m)) }

const (
	model = "tiny-cloudrun"
	key   = "sk-cloudrun-5e4d3c2b1a"
)

var createOnce sync.Once

func backend(t *testing.T) string {
	srv := ollamatest.Shared(t)
	createOnce.Do(func() { srv.CreateSynthetic(t, model, ollamatest.TinyShape, gguf.QuantQ8_0) })
	return srv.OpenAIURL()
}

func testBundle(t *testing.T, cloudAllowed string) *bench.Bundle {
	t.Helper()
	b, err := bench.ParseBundle("cloud-test.yaml", []byte(cloudtest.PromptBundle("cloud-test", "Zwei kurze Aufgaben (Test)", cloudAllowed == "true", 12)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// world is the stand-in cloud: real Ollama behind the TLS proxy, reached
// under a non-loopback name through the CONNECT proxy.
type world struct {
	ca    *cloudtest.CA
	tls   *cloudtest.TLSProxy
	proxy *cloudtest.ConnectProxy
	ep    cloud.Endpoint
	db    *store.DB
	dir   string
}

func newWorld(t *testing.T) *world {
	w := &world{ca: cloudtest.NewCA(t, "Test CA"), proxy: cloudtest.StartConnectProxy(t), dir: t.TempDir()}
	w.tls = cloudtest.StartTLSProxy(t, w.ca, backend(t), key)
	w.ep = cloud.Endpoint{Preset: cloud.PresetVLLM, BaseURL: w.tls.CloudURL, Model: model, CAFile: w.ca.CertFile, ProxyURL: w.proxy.URL}
	db, err := store.Open(t.Context(), filepath.Join(w.dir, store.FileName), cloudrun.Schemas...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w.db = db
	return w
}

func fast() cloud.ClientOptions {
	return cloud.ClientOptions{Retry: cloud.RetryPolicy{MaxAttempts: 4, BaseDelay: 5 * time.Millisecond}}
}

func TestNothingLeavesWithoutConsent(t *testing.T) {
	w := newWorld(t)
	b := testBundle(t, "true")
	_, err := cloudrun.Run(t.Context(), w.db, cloudrun.Request{Endpoint: w.ep, Key: cloud.NewAPIKey(key), Bundle: b, Repeat: 1, ClientOptions: fast()})
	if !errors.Is(err, cloud.ErrConsentRequired) {
		t.Fatalf("err = %v, want consent required", err)
	}
	// A bundle not marked cloud_allowed is refused even with consent.
	nb := testBundle(t, "false")
	consent := cloudrun.PlanFor(w.ep, nb).Grant("test")
	_, err = cloudrun.Run(t.Context(), w.db, cloudrun.Request{Endpoint: w.ep, Key: cloud.NewAPIKey(key), Bundle: nb, Consent: consent, Repeat: 1, ClientOptions: fast()})
	if !errors.Is(err, cloud.ErrNotCloudAllowed) {
		t.Fatalf("err = %v, want not cloud_allowed", err)
	}
	if w.proxy.Connects.Load() != 0 || len(w.tls.AuthHeaders()) != 0 {
		t.Fatal("a connection was made although the run was refused")
	}
}

func TestCloudRunRecordsConsentAndNetwork(t *testing.T) {
	w := newWorld(t)
	b := testBundle(t, "true")
	w.tls.Inject429(1) // fault injection: the first request gets a rate limit
	var retries []cloud.RetryEvent
	consent := cloudrun.PlanFor(w.ep, b).Grant("test")
	res, err := cloudrun.Run(t.Context(), w.db, cloudrun.Request{Endpoint: w.ep, Key: cloud.NewAPIKey(key), Bundle: b, Consent: consent,
		Repeat: 2, Warmup: -1, ClientOptions: fast(), OnRetry: func(ev cloud.RetryEvent) { retries = append(retries, ev) }})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if !res.Complete || !res.Remote || len(res.Prompts) != 2 || len(res.Prompts[0].Measured()) != 2 {
		t.Fatalf("result: complete=%v remote=%v prompts=%d", res.Complete, res.Remote, len(res.Prompts))
	}
	if len(retries) != 1 || w.tls.Injected429.Load() != 1 {
		t.Fatalf("retries reported = %v", retries)
	}
	got, err := cloud.ConsentForRun(t.Context(), w.db, res.RunID)
	if err != nil || got == nil || got.Host != cloudtest.CloudHost || got.BundleID != "cloud-test" || len(got.PromptIDs) != 2 || got.Via != "test" {
		t.Fatalf("consent of run %d = %+v, %v", res.RunID, got, err)
	}
	netw, err := cloudrun.LoadNetwork(t.Context(), w.db, res.RunID)
	if err != nil || len(netw) != 4 {
		t.Fatalf("network rows = %d (%v), want 4", len(netw), err)
	}
	if netw[0].TLSMs <= 0 || netw[0].ConnectMs <= 0 || netw[0].HeadersMs <= 0 || netw[0].Retries != 1 {
		t.Fatalf("first answer's network timing = %+v; want connect, TLS, headers and 1 retry", netw[0])
	}
	// The same run is readable by bench.
	back, err := bench.Load(t.Context(), w.db, res.RunID)
	if err != nil || back.Model.Name != model {
		t.Fatalf("bench.Load: %v", err)
	}
	cloudtest.AssertKeyNowhere(t, w.dir, key)
}

func TestWrongKeyEndsRunWithGermanMessage(t *testing.T) {
	w := newWorld(t)
	b := testBundle(t, "true")
	consent := cloudrun.PlanFor(w.ep, b).Grant("test")
	res, err := cloudrun.Run(t.Context(), w.db, cloudrun.Request{Endpoint: w.ep, Key: cloud.NewAPIKey("sk-falsch"), Bundle: b, Consent: consent, Repeat: 1, ClientOptions: fast()})
	var ce *cloud.Error
	if !errors.As(err, &ce) || ce.Message != "Zugang abgelehnt (401)" {
		t.Fatalf("err = %v, want Zugang abgelehnt (401)", err)
	}
	if res == nil || res.Complete || res.Status != store.StatusFailed {
		t.Fatalf("result = %+v, want a stored failed run", res)
	}
}
