package compare

import (
	"context"
	"fmt"
	"math"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/store"
)

// Side is one run's overall figures.
type Side struct {
	RunID    int64           `json:"run_id"`
	Endpoint string          `json:"endpoint"`
	Remote   bool            `json:"remote"`
	Runtime  string          `json:"runtime"`
	Model    string          `json:"model"`
	Bundle   bench.BundleRef `json:"bundle"`
	Complete bool            `json:"complete"`
	Status   string          `json:"status"`
	// Over every measured answer of every prompt.
	TTFTms       bench.Stat     `json:"ttft_ms"`
	DecodeTPS    bench.Stat     `json:"decode_tps"`
	E2Ems        bench.Stat     `json:"e2e_ms"`
	TokensIn     bench.Stat     `json:"tokens_in"`
	TokensOut    bench.Stat     `json:"tokens_out"`
	ChecksPassed int            `json:"checks_passed"`
	ChecksTotal  int            `json:"checks_total"`
	PassRate     *float64       `json:"pass_rate"` // null without checks
	Network      *Network       `json:"network"`   // null where not measured (a local run)
	Consent      *cloud.Consent `json:"consent,omitempty"`
}

// Network is the measured network part of a cloud run's answers.
type Network struct {
	Answers int `json:"answers"`
	// New connections only (a kept-alive connection has none), warm-up
	// answers included.
	ConnectMs bench.Stat `json:"connect_ms"`
	TLSMs     bench.Stat `json:"tls_ms"`
	// HeadersMs: request sent → response headers. For a streamed answer it
	// includes the provider's queue and part of its TTFT.
	HeadersMs bench.Stat `json:"headers_ms"`
	Retries   int        `json:"retries"` // rate-limit (429) retries
}

// PromptFigures are one prompt's medians in one run.
type PromptFigures struct {
	TTFTms    float64  `json:"ttft_ms"`
	DecodeTPS float64  `json:"decode_tps"`
	E2Ems     float64  `json:"e2e_ms"`
	PassRate  *float64 `json:"pass_rate"`
	Answer    string   `json:"answer"` // first measured answer (plain text)
}

// Prompt is one prompt side by side.
type Prompt struct {
	PromptID   string         `json:"prompt_id"`
	Title      string         `json:"title"`
	Local      *PromptFigures `json:"local"` // null when the run lacks the prompt
	Cloud      *PromptFigures `json:"cloud"`
	Similarity *float64       `json:"similarity"` // word-level, 0…1, first answers
	WordDiff   string         `json:"word_diff"`  // [-local only-] {+cloud only+}
}

// Comparison is the local/cloud comparison.
type Comparison struct {
	Local    Side     `json:"local"`
	Cloud    Side     `json:"cloud"`
	Prompts  []Prompt `json:"prompts"`
	Warnings []string `json:"warnings"` // in German from Build, another language through Localize
	// warnings are the message ids behind Warnings.
	warnings []i18n.Msg
}

// Localize returns the comparison with its warnings in lang ("de", "en").
// One read back from JSON has no message ids and is returned as it is.
func (c Comparison) Localize(lang string) Comparison {
	if len(c.warnings) == 0 {
		return c
	}
	c.Warnings = i18n.Texts(c.warnings, lang)
	return c
}

// Load reads both runs from the database and compares them.
func Load(ctx context.Context, db *store.DB, localID, cloudID int64) (Comparison, error) {
	local, err := bench.Load(ctx, db, localID)
	if err != nil {
		return Comparison{}, fmt.Errorf("local run %d: %w", localID, err)
	}
	remote, err := bench.Load(ctx, db, cloudID)
	if err != nil {
		return Comparison{}, fmt.Errorf("cloud run %d: %w", cloudID, err)
	}
	localNet, err := cloudrun.LoadNetwork(ctx, db, localID)
	if err != nil {
		return Comparison{}, err
	}
	cloudNet, err := cloudrun.LoadNetwork(ctx, db, cloudID)
	if err != nil {
		return Comparison{}, err
	}
	c := Build(local, remote, localNet, cloudNet)
	c.Cloud.Consent, err = cloud.ConsentForRun(ctx, db, cloudID)
	if err != nil {
		return Comparison{}, err
	}
	return c, nil
}

// Build compares two loaded runs.
func Build(local, remote *bench.Result, localNet, cloudNet []cloudrun.SampleNetwork) Comparison {
	c := Comparison{Local: side(local, localNet), Cloud: side(remote, cloudNet), Warnings: []string{}}
	warn := func(id string, data map[string]any) {
		c.warnings = append(c.warnings, i18n.Msg{ID: "compare.warning." + id, Data: data})
	}
	if local.Remote {
		warn("local_remote", map[string]any{"Run": local.RunID, "Endpoint": local.Endpoint})
	}
	if !remote.Remote {
		warn("cloud_local", map[string]any{"Run": remote.RunID, "Endpoint": remote.Endpoint})
	}
	if local.Bundle.ID != remote.Bundle.ID {
		warn("bundles_differ", map[string]any{"Local": local.Bundle.ID, "Cloud": remote.Bundle.ID})
	} else if local.Bundle.SHA256 != remote.Bundle.SHA256 {
		warn("bundle_changed", map[string]any{"Bundle": local.Bundle.ID, "Local": local.Bundle.Version, "Cloud": remote.Bundle.Version})
	}
	for _, r := range []*bench.Result{local, remote} {
		if !r.Complete {
			warn("incomplete", map[string]any{"Run": r.RunID, "Status": r.Status})
		}
	}
	cloudByID := map[string]bench.PromptResult{}
	for _, p := range remote.Prompts {
		cloudByID[p.PromptID] = p
	}
	seen := map[string]bool{}
	for _, lp := range local.Prompts {
		seen[lp.PromptID] = true
		cp := Prompt{PromptID: lp.PromptID, Title: lp.Title, Local: figures(lp)}
		if rp, ok := cloudByID[lp.PromptID]; ok {
			cp.Cloud = figures(rp)
		}
		if cp.Local != nil && cp.Cloud != nil {
			s := Similarity(cp.Local.Answer, cp.Cloud.Answer)
			cp.Similarity = &s
			cp.WordDiff = WordDiff(cp.Local.Answer, cp.Cloud.Answer, 400)
		}
		c.Prompts = append(c.Prompts, cp)
	}
	for _, rp := range remote.Prompts {
		if !seen[rp.PromptID] {
			c.Prompts = append(c.Prompts, Prompt{PromptID: rp.PromptID, Title: rp.Title, Cloud: figures(rp)})
		}
	}
	return c.Localize(i18n.Default)
}

func side(r *bench.Result, netw []cloudrun.SampleNetwork) Side {
	s := Side{RunID: r.RunID, Endpoint: r.Endpoint, Remote: r.Remote, Runtime: r.Runtime, Model: r.Model.Name,
		Bundle: r.Bundle, Complete: r.Complete, Status: r.Status}
	var ttft, tps, e2e, tin, tout []float64
	for _, p := range r.Prompts {
		for _, smp := range p.Measured() {
			if smp.TokensIn > 0 {
				tin = append(tin, float64(smp.TokensIn))
			}
			tout = append(tout, float64(smp.TokensOut))
			ttft = append(ttft, smp.TTFTms)
			tps = append(tps, smp.DecodeTPS)
			e2e = append(e2e, smp.E2Ems)
			for _, ch := range smp.Checks {
				s.ChecksTotal++
				if ch.Passed {
					s.ChecksPassed++
				}
			}
		}
	}
	s.TTFTms, s.DecodeTPS, s.E2Ems = bench.Summarise(ttft), bench.Summarise(tps), bench.Summarise(e2e)
	s.TokensIn, s.TokensOut = bench.Summarise(tin), bench.Summarise(tout)
	s.TokensIn, s.TokensOut = bench.Summarise(tin), bench.Summarise(tout)
	if s.ChecksTotal > 0 {
		rate := float64(s.ChecksPassed) / float64(s.ChecksTotal)
		s.PassRate = &rate
	}
	var connect, tlsMs, headers []float64
	n := &Network{}
	for _, x := range netw {
		// Connection set-up and rate limits are properties of the network
		// whichever answer met them, warm-up included; the time to the
		// headers counts for measured answers only, like the other figures.
		n.Retries += x.Retries
		if !x.ReusedConn {
			connect = append(connect, x.ConnectMs)
			tlsMs = append(tlsMs, x.TLSMs)
		}
		if x.Warmup {
			continue
		}
		n.Answers++
		headers = append(headers, x.HeadersMs)
	}
	if n.Answers > 0 {
		n.ConnectMs, n.TLSMs, n.HeadersMs = bench.Summarise(connect), bench.Summarise(tlsMs), bench.Summarise(headers)
		s.Network = n
	}
	return s
}

func figures(p bench.PromptResult) *PromptFigures {
	m := p.Measured()
	if len(m) == 0 {
		return nil
	}
	var ttft, tps, e2e []float64
	passed, total := 0, 0
	for _, s := range m {
		ttft = append(ttft, s.TTFTms)
		tps = append(tps, s.DecodeTPS)
		e2e = append(e2e, s.E2Ems)
		for _, ch := range s.Checks {
			total++
			if ch.Passed {
				passed++
			}
		}
	}
	f := &PromptFigures{TTFTms: bench.Summarise(ttft).Median, DecodeTPS: bench.Summarise(tps).Median, E2Ems: bench.Summarise(e2e).Median, Answer: m[0].Answer}
	if math.IsNaN(f.DecodeTPS) {
		f.DecodeTPS = 0
	}
	if total > 0 {
		r := float64(passed) / float64(total)
		f.PassRate = &r
	}
	return f
}
