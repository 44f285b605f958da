package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"errors"
	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/probe"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/runtime"
)

// steps returns the check's steps in order. A capability joins the check
// by adding its step here once its package is in the build.
func steps(opts Options) []step {
	out := []step{
		{name: "inventory", weight: 1, run: runInventory},
		{name: "probe", weight: 6, run: runProbe},
		{name: "fit", weight: 0.5, run: runFit},
		{name: "inference", weight: 12, run: runInference},
	}
	// The cost comparison only with the municipality's own parameters:
	// the built-in figures say nothing about this PC's municipality.
	if _, err := os.Stat(filepath.Join(opts.DataDir, "bundles", "cost", cost.DefaultFile)); err == nil {
		out = append(out, step{name: "cost", weight: 0.1, run: runCost})
	}
	// Quiz results only when the trainer chose sessions to include.
	if len(opts.QuizSessions) > 0 {
		out = append(out, step{name: "quiz", weight: 0.2, run: runQuiz})
	}
	return out
}

func runInventory(ctx context.Context, c *runState, progress func(float64, string)) error {
	progress(0, "")
	inv := hardware.Collect(ctx, hardware.Options{DataDir: c.opts.DataDir, Progress: func(p hardware.Progress) {
		progress(float64(p.Done)/float64(max(p.Total, 1)), p.Section)
	}})
	c.inventory = &inv
	if c.opts.Policy.IncludeHostname {
		host := inv.System.Value.Hostname
		if host == "" {
			host = hardware.Host(ctx).Hostname
		}
		c.report.Device.Hostname = host
	}
	// The inventory never carries the PC's name or the user's folder:
	// whether the name appears is decided once, in device.hostname.
	c.report.Sections.Inventory = report.ScrubInventory(inv)
	if !inv.Complete {
		return ctx.Err()
	}
	return nil
}

// runQuiz adds the item analysis of the chosen quiz sessions: aggregates
// over all participants, never an individual's answers.
func runQuiz(ctx context.Context, c *runState, progress func(float64, string)) error {
	if c.opts.DB == nil {
		return errors.New("quiz results need the database")
	}
	q := &report.Quiz{}
	for i, id := range c.opts.QuizSessions {
		progress(float64(i)/float64(len(c.opts.QuizSessions)), id)
		s, err := quizsession.Get(ctx, c.opts.DB, id)
		if err != nil {
			return err
		}
		stats, err := quizsession.Stats(ctx, c.opts.DB, id)
		if err != nil {
			return err
		}
		q.Sessions = append(q.Sessions, report.QuizSession{SessionID: s.ID, Title: s.Title,
			BundleID: s.BundleID, BundleVersion: s.BundleVersion, Stats: stats})
	}
	c.report.Sections.Quiz = q
	return nil
}

func runProbe(ctx context.Context, c *runState, progress func(float64, string)) error {
	res, err := probe.Run(ctx, c.opts.Probe, func(step string, done float64) { progress(done, step) })
	c.probe = &res
	c.report.Sections.Probe = &res
	if c.opts.DB != nil {
		// Stored like `kicheck probe`'s, so that later verdicts of this PC
		// combine it (docs/probe.md, "Combining probes"); a storage error
		// does not fail the measurement.
		_, _ = probe.Save(ctx, c.opts.DB, res, err)
	}
	return err
}

// runFit judges every use case of the catalogue on this machine; its
// assessments become the report's verdicts.
func runFit(ctx context.Context, c *runState, progress func(float64, string)) error {
	progress(0, "")
	cat, err := fit.LoadCatalogue(c.opts.DataDir)
	if err != nil {
		return err
	}
	var inv hardware.Inventory
	if c.inventory != nil {
		inv = *c.inventory
	}
	var pr probe.Result
	if c.probe != nil {
		pr = *c.probe
	}
	c.catalogue = cat
	// Earlier probes and local measurements of this PC steady and
	// calibrate the verdicts; without them the probe alone counts.
	pf := ThisPC(ctx, c.opts.DB, cat, inv, pr, nil, c.opts.Lang)
	fitSection, verdicts := report.NewFitOf(pf.Machine, cat, pf.Assessments, c.opts.Lang)
	c.report.Sections.Fit = fitSection
	c.report.Summary.Verdicts = append(c.report.Summary.Verdicts, verdicts...)
	for _, b := range []struct {
		kind string
		fsys fs.FS
		own  string
	}{{"models", bundles.Models, fit.ModelsDir}, {"usecases", bundles.UseCases, fit.UseCasesDir}} {
		ref, err := bundleRef(b.kind, b.fsys, filepath.Join(c.opts.DataDir, filepath.FromSlash(b.own)))
		if err != nil {
			return err
		}
		c.report.Bundles = append(c.report.Bundles, ref)
	}
	progress(1, "")
	return nil
}

// bundleRef names an embedded bundle; when the municipality has own files
// for it in the data dir, the hash covers those too and the source says so.
func bundleRef(kind string, embedded fs.FS, ownDir string) (report.Bundle, error) {
	h, err := report.BundleHash(embedded, kind)
	if err != nil {
		return report.Bundle{}, err
	}
	ref := report.Bundle{Kind: kind, ID: "kicheck-" + kind, Version: buildinfo.Get().Version, SHA256: h, Source: "embedded"}
	if entries, err := os.ReadDir(ownDir); err == nil && len(entries) > 0 {
		own, err := report.BundleHash(os.DirFS(ownDir), ".")
		if err != nil {
			return report.Bundle{}, err
		}
		sum := sha256.Sum256([]byte(h + own))
		ref.SHA256, ref.Source = hex.EncodeToString(sum[:]), "override"
	}
	return ref, nil
}

// runInference runs the test bundle(s) against a local AI runtime, if one
// with a model is found: the model the fit recommends where it is
// installed, else the smallest one installed. Measured speeds go into the
// verdicts of that model.
func runInference(ctx context.Context, c *runState, progress func(float64, string)) error {
	progress(0, "")
	found, err := runtime.Discover(ctx, runtime.Options{Endpoints: c.opts.RuntimeEndpoints, Timeout: 2 * time.Second})
	if err != nil {
		return err
	}
	var rt runtime.Runtime
	for _, r := range found.Runtimes {
		if len(r.Models) > 0 && runtime.IsLoopback(r.URL) {
			rt = r
			break
		}
	}
	if rt.URL == "" {
		return skip("no local AI runtime with a model found")
	}
	model, catalogueID := chooseModel(rt, c)
	cat, err := bench.LoadCatalogue(c.opts.DataDir)
	if err != nil {
		return err
	}
	// Two repetitions per prompt: enough for a median with the check's
	// time bound; the KI-Test screen measures more thoroughly.
	repeat := c.opts.InferenceRepeat
	if repeat <= 0 {
		repeat = 2
	}
	ids := c.opts.Policy.Bundles
	if len(ids) == 0 {
		ids = []string{bench.DefaultBundle}
	}
	sec := &report.Inference{Runtime: rt.Name, RuntimeVersion: rt.Version}
	c.report.Sections.Inference = sec
	for i, id := range ids {
		b, err := cat.Get(id)
		if err != nil {
			return err
		}
		ep, info, err := bench.FromRuntime(rt, model)
		if err != nil {
			return err
		}
		opts := bench.Options{Endpoint: ep, Model: info, Bundle: b, Repeat: repeat,
			OnProgress: func(p bench.Progress) {
				progress((float64(i)+p.Fraction())/float64(len(ids)), p.PromptID)
			}}
		var res *bench.Result
		var runErr error
		if c.opts.DB != nil {
			res, runErr = bench.Execute(ctx, c.opts.DB, opts)
		} else {
			res, runErr = bench.Run(ctx, opts)
		}
		if res != nil {
			run := report.InferenceRun{Summary: bench.Summarize(res)}
			for _, p := range res.Prompts {
				run.Prompts = append(run.Prompts, bench.SummarizePrompt(p))
			}
			sec.Runs = append(sec.Runs, run)
			if parts := run.Summary.Parts; parts != nil && parts.DecodeTPS > 0 && catalogueID != "" {
				for j := range c.report.Summary.Verdicts {
					if c.report.Summary.Verdicts[j].Model == catalogueID {
						tps := parts.DecodeTPS
						c.report.Summary.Verdicts[j].MeasuredTokensPerSecond = &tps
					}
				}
			}
		}
		if runErr != nil {
			return runErr
		}
	}
	return nil
}

// chooseModel picks the installed model to test and the catalogue id it
// belongs to ("" when the catalogue does not list it).
func chooseModel(rt runtime.Runtime, c *runState) (model, catalogueID string) {
	installed := map[string]bool{}
	for _, m := range rt.Models {
		installed[m.ID] = true
		installed[strings.TrimSuffix(m.ID, ":latest")] = true
	}
	if cat := c.catalogue; cat != nil {
		for _, v := range c.report.Summary.Verdicts {
			if m, ok := cat.Model(v.Model); ok && m.Ollama != "" && installed[m.Ollama] {
				return m.Ollama, m.ID
			}
		}
	}
	smallest := rt.Models[0]
	for _, m := range rt.Models[1:] {
		if m.SizeBytes > 0 && (smallest.SizeBytes == 0 || m.SizeBytes < smallest.SizeBytes) {
			smallest = m
		}
	}
	if cat := c.catalogue; cat != nil {
		for _, m := range cat.Models {
			if m.Ollama != "" && (m.Ollama == smallest.ID || m.Ollama+":latest" == smallest.ID) {
				return smallest.ID, m.ID
			}
		}
	}
	return smallest.ID, ""
}

// runCost computes the cost comparison from the municipality's parameters
// (a local computation; nothing is sent anywhere).
func runCost(ctx context.Context, c *runState, progress func(float64, string)) error {
	p, src, err := cost.Load(c.opts.DataDir)
	if err != nil {
		return err
	}
	c.report.Sections.Cost = &report.Cost{Source: "own:" + filepath.Base(src), Result: cost.Compute(p, c.report.Created)}
	return nil
}
