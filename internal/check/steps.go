package check

import (
	"context"
	"errors"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/report"
)

// steps returns the check's steps in order. A capability joins the check
// by adding its step here once its package is in the build.
func steps(opts Options) []step {
	out := []step{
		{name: "inventory", weight: 1, run: runInventory},
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
