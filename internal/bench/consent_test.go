package bench

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/ki-reise/kicheck/internal/cloud"
)

// countingTransport counts requests and answers none (fault injection: no
// server is needed, the run must be refused before anything is sent).
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return nil, errors.New("no network in this test")
}

func TestRemoteRunNeedsConsent(t *testing.T) {
	b, err := ParseBundle("c.yaml", []byte(`format: 1
id: c
version: 1.0.0
title: T
language: de
cloud_allowed: true
prompts:
  - id: p1
    use_case: draft
    title: P
    messages: [{role: user, content: "Hallo"}]
    params: {temperature: 0, max_tokens: 4, seed: 1}
    checks: [{length: {min: 1, max: 10}}]
`))
	if err != nil {
		t.Fatal(err)
	}
	tr := &countingTransport{}
	ep := Endpoint{URL: "https://api.example.eu/v1", APIKey: "k", HTTPClient: &http.Client{Transport: tr}}
	opts := Options{Endpoint: ep, Model: ModelInfo{Name: "m"}, Bundle: b, Repeat: 1, Warmup: -1, AllowRemote: true}

	_, err = Run(context.Background(), opts)
	var re *RunError
	if !errors.As(err, &re) || re.Kind != KindRemoteRefused || !errors.Is(err, cloud.ErrConsentRequired) {
		t.Fatalf("AllowRemote without consent: %v", err)
	}
	// A consent for another host does not count either.
	other := consentPlan(Endpoint{URL: "https://api.other.example/v1"}, b).Grant("test")
	opts.Consent = other
	if _, err = Run(context.Background(), opts); !errors.Is(err, cloud.ErrConsentRequired) {
		t.Fatalf("consent for another host: %v", err)
	}
	if tr.n.Load() != 0 {
		t.Fatalf("%d requests were sent without consent", tr.n.Load())
	}
	// With the consent for this host and bundle the runner goes ahead (and
	// fails on the fake transport: something was sent).
	opts.Consent = consentPlan(ep, b).Grant("test")
	if _, err = Run(context.Background(), opts); errors.Is(err, cloud.ErrConsentRequired) || tr.n.Load() == 0 {
		t.Fatalf("with consent: %v, %d requests", err, tr.n.Load())
	}
}
