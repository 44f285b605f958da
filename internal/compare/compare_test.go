package compare

import (
	"math"
	"testing"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/cost"
)

func sample(prompt, rep int, ttft, e2e, tps float64, in, out int, answer string, passed ...bool) bench.Sample {
	s := bench.Sample{PromptIndex: prompt, Rep: rep, TTFTms: ttft, E2Ems: e2e, DecodeTPS: tps, TokensIn: in, TokensOut: out, Answer: answer}
	for _, p := range passed {
		s.Checks = append(s.Checks, bench.CheckResult{Passed: p})
	}
	return s
}

// Two hand-made runs: the figures below are checked by hand.
func runs() (*bench.Result, *bench.Result) {
	local := &bench.Result{RunID: 1, Endpoint: "http://127.0.0.1:11434", Complete: true, Status: "done",
		Bundle: bench.BundleRef{ID: "b", Version: "1", SHA256: "x"},
		Prompts: []bench.PromptResult{
			{PromptID: "a", Samples: []bench.Sample{
				sample(0, 0, 999, 999, 1, 1, 1, "warm", true), // warm-up, not counted
				sample(0, 1, 200, 2000, 10, 100, 20, "Zuständig ist das Ordnungsamt.", true, false),
				sample(0, 2, 300, 3000, 12, 100, 30, "x", true, true)}},
		}}
	local.Prompts[0].Samples[0].Warmup = true
	remote := &bench.Result{RunID: 2, Endpoint: "https://api.example/v1", Remote: true, Complete: true, Status: "done",
		Bundle: bench.BundleRef{ID: "b", Version: "1", SHA256: "x"},
		Prompts: []bench.PromptResult{
			{PromptID: "a", Samples: []bench.Sample{
				sample(0, 1, 500, 1000, 50, 110, 25, "Zuständig ist das Bauamt.", true, true),
				sample(0, 2, 700, 1400, 60, 110, 25, "y", false, true)}},
		}}
	return local, remote
}

func TestBuildByHand(t *testing.T) {
	local, remote := runs()
	netw := []cloudrun.SampleNetwork{
		{PromptIndex: 0, Rep: 1, NetworkTiming: cloud.NetworkTiming{ConnectMs: 20, TLSMs: 40, HeadersMs: 450, Retries: 1}},
		{PromptIndex: 0, Rep: 2, NetworkTiming: cloud.NetworkTiming{HeadersMs: 650, ReusedConn: true}},
	}
	c := Build(local, remote, nil, netw)
	// local TTFT: 200, 300 → median 250; e2e 2000, 3000 → median 2500
	if c.Local.TTFTms.Median != 250 || c.Local.E2Ems.Median != 2500 || c.Local.TTFTms.N != 2 {
		t.Fatalf("local = %+v", c.Local)
	}
	// local checks: true,false,true,true → 3 of 4; cloud: true,true,false,true → 3 of 4
	if c.Local.ChecksPassed != 3 || c.Local.ChecksTotal != 4 || *c.Cloud.PassRate != 0.75 {
		t.Fatalf("checks: local %d/%d, cloud %v", c.Local.ChecksPassed, c.Local.ChecksTotal, *c.Cloud.PassRate)
	}
	// network: one new connection (20 ms TCP, 40 ms TLS); headers 450, 650 → median 550; 1 retry
	n := c.Cloud.Network
	if n == nil || n.ConnectMs.N != 1 || n.TLSMs.Median != 40 || n.HeadersMs.Median != 550 || n.Retries != 1 || c.Local.Network != nil {
		t.Fatalf("network = %+v", n)
	}
	// the first answers differ in one word: similarity 0.75
	p := c.Prompts[0]
	if p.Similarity == nil || *p.Similarity != 0.75 || p.WordDiff != "zuständig ist das [-ordnungsamt-] {+bauamt+}" {
		t.Fatalf("prompt = %+v", p)
	}
	if len(c.Warnings) != 0 {
		t.Fatalf("warnings = %v", c.Warnings)
	}
	// swapped runs: both warnings
	if w := Build(remote, local, nil, nil).Warnings; len(w) != 2 {
		t.Fatalf("swapped warnings = %v", w)
	}

	var params cost.Params
	set := ApplyToCost(c, &params)
	// tokens in: mean(100, 100) = 100; out: mean(20, 30) = 25; local seconds: mean(2000, 3000)/1000 = 2.5;
	// latencies: local median 2.5 s, cloud median (1000+1400)/2/1000 = 1.2 s
	if params.Usage.TokensInPerRequest != 100 || params.Usage.TokensOutPerRequest != 25 || params.Local.SecondsPerRequest != 2.5 ||
		params.Criteria.LocalLatencyS != 2.5 || math.Abs(params.Criteria.CloudLatencyS-1.2) > 1e-9 || len(set) != 5 {
		t.Fatalf("cost params = %+v (%v)", params, set)
	}
}

func TestBundleUsageByHand(t *testing.T) {
	b, err := bench.ParseBundle("u.yaml", []byte(`format: 1
id: u
version: 1.0.0
title: U
language: de
cloud_allowed: true
prompts:
  - id: a
    use_case: draft
    title: A
    messages: [{role: system, content: "12345678"}, {role: user, content: "äöüß1234"}]
    params: {temperature: 0, max_tokens: 100, seed: 1}
    checks: [{length: {min: 1, max: 10}}]
  - id: b
    use_case: draft
    title: B
    messages: [{role: user, content: "1234"}]
    params: {temperature: 0, max_tokens: 300, seed: 1}
    checks: [{length: {min: 1, max: 10}}]
`))
	if err != nil {
		t.Fatal(err)
	}
	// a: 8 + 8 characters (runes, not bytes) = 16 / 4 = 4 tokens; b: 4 / 4 = 1 → mean 2,5
	// out: mean(100, 300) = 200
	in, out := BundleUsage(b)
	if in != 2.5 || out != 200 {
		t.Fatalf("usage = %v in, %v out; want 2.5, 200", in, out)
	}
	p := cost.Params{}
	p.Usage.TokensOutPerRequest = 50 // set by the user: kept
	if set := ApplyBundle(b, &p); len(set) != 1 || p.Usage.TokensInPerRequest != 2.5 || p.Usage.TokensOutPerRequest != 50 {
		t.Fatalf("apply = %v, %+v", set, p.Usage)
	}
}
