package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"

	"errors"
	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/probe"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/report"
)

// steps returns the check's steps in order. A capability joins the check
// by adding its step here once its package is in the build.
func steps(opts Options) []step {
	out := []step{
		{name: "inventory", weight: 1, run: runInventory},
		{name: "probe", weight: 6, run: runProbe},
		{name: "fit", weight: 0.5, run: runFit},
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
	mc := fit.MachineFrom(inv, pr)
	as := fit.Assess(mc, cat)
	// The other quantizations of each model are details for the Hardware
	// screen; in the report they would triple its size for no verdict.
	for i := range as {
		// An own file's path lies in the user's data folder, usually under
		// the user's name: the report names the file only.
		if filepath.IsAbs(as[i].UseCase.Origin) {
			as[i].UseCase.Origin = "own:" + filepath.Base(as[i].UseCase.Origin)
		}
		for j := range as[i].Cells {
			as[i].Cells[j].Others = nil
		}
	}
	c.report.Sections.Fit = &report.Fit{Machine: mc, Assessments: as}
	for _, a := range as {
		v := report.Verdict{Subject: a.UseCase.Title("de"), UseCase: a.UseCase.ID, Model: a.Best,
			Level: string(a.Verdict), Reason: a.Summary("de")}
		if m, ok := cat.Model(a.Best); ok && m.Name != "" {
			v.Subject += " (" + m.Name + ")"
		}
		for _, cell := range a.Cells {
			if cell.ModelID == a.Best && cell.Prediction.DecodeTPS != nil {
				tps := cell.Prediction.DecodeTPS.Value
				v.PredictedTokensPerSecond = &tps
			}
		}
		c.report.Summary.Verdicts = append(c.report.Summary.Verdicts, v)
	}
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
