package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// kicheck hotspot trial: the Erprobung ("Musterversion"). The bundle is
// made here; it runs in the one KI-Test runner (kicheck bench --bundle
// erprobung-ID, with --cloud --allow-cloud where allowed), and --record
// takes the newest run's pass rate and speed back to the process.

func init() {
	hotspotCmds.add(&command{name: "trial",
		summary: "cli.help.hotspot.trial",
		run:     runHotspotTrialCmd})
}

type hotspotTrialOptions struct {
	ID     string
	Inputs string
	Record bool
	JSON   bool
	Now    time.Time
}

type hotspotTrialJSON struct {
	Process  string               `json:"process"`
	Bundle   string               `json:"bundle,omitempty"`
	File     string               `json:"file,omitempty"`
	Cloud    bool                 `json:"cloud_allowed"`
	Inputs   []hotspot.TrialInput `json:"inputs,omitempty"`
	Trial    *hotspot.Trial       `json:"trial,omitempty"`
	Problems hotspot.Problems     `json:"problems,omitempty"`
}

func runHotspotTrialCmd(ctx context.Context, e *env, args []string) error {
	var opts hotspotTrialOptions
	fs := newFlagSet("hotspot trial", e)
	fs.StringVar(&opts.Inputs, "inputs", "", "cli.flag.hotspot.trial.inputs")
	fs.BoolVar(&opts.Record, "record", false, "cli.flag.hotspot.trial.record")
	fs.BoolVar(&opts.JSON, "json", false, "cli.flag.json")
	if err := parseFlags(fs, args); err != nil { // the id may come before or after the flags
		return err
	}
	if fs.NArg() != 1 {
		return usage("cli.usage.hotspot.trial.args", nil)
	}
	opts.ID = fs.Arg(0)
	if (opts.Inputs == "") == !opts.Record {
		return usage("cli.usage.hotspot.trial.mode", nil)
	}
	return runHotspotTrial(ctx, opts, e)
}

// runHotspotTrial makes the trial bundle of process opts.ID from the
// example inputs, or with opts.Record takes the newest run's results.
func runHotspotTrial(ctx context.Context, opts hotspotTrialOptions, e *env) error {
	db, err := e.openDB(ctx, hotspot.Schema, hotspot.TrialSchema, bench.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	w, errW, l := e.stdout, e.stderr, e.lang
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	p, ok, err := hotspot.Get(ctx, db, opts.ID)
	if err != nil {
		return err
	}
	if !ok {
		return i18n.NewError("hotspot.cli.unknown_id", "hotspot.cli.unknown_id_hint", map[string]any{"ID": i18n.Escape(opts.ID)}, nil)
	}
	out := hotspotTrialJSON{Process: p.ID}
	if opts.Record {
		r, err := hotspot.LatestTrialRun(ctx, db, p.ID)
		if errors.Is(err, hotspot.ErrNoTrialRun) {
			return i18n.NewError("cli.hotspot.trial.no_run", "hotspot.trial.cli.run_first", map[string]any{"ID": p.ID, "Bundle": hotspot.TrialBundleID(p.ID)}, err)
		}
		if err != nil {
			return err
		}
		tr, err := hotspot.RecordTrial(ctx, db, p.ID, r, opts.Now)
		if err != nil {
			return err
		}
		out.Trial, out.Bundle = &tr, tr.Bundle
		if opts.JSON {
			return writeJSON(w, out)
		}
		fmt.Fprintln(w, i18n.T(l, "hotspot.trial.cli.recorded", trialData(tr, l)))
		return nil
	}
	_, hc, err := hotspotCatalogues(e)
	if err != nil {
		return err
	}
	task, ok := hc.TaskType(p.Task)
	if !ok {
		return i18n.NewError("cli.hotspot.trial.unknown_task", "cli.hotspot.trial.unknown_task_hint", map[string]any{"ID": p.ID, "Task": i18n.Escape(p.Task)}, nil)
	}
	inputs, probs := hotspot.ReadTrialInputs(opts.Inputs)
	if probs != nil {
		probs.Localize(l)
		if opts.JSON {
			out.Problems = probs
			_ = writeJSON(w, out)
		} else {
			for _, pr := range probs {
				fmt.Fprintln(errW, printable(pr.Text))
			}
		}
		// The first problem's hint says what to do (in the reader's language).
		return &i18n.Error{Msg: i18n.Msg{ID: "hotspot.trial.cli.refused"}, Tip: probs[0].Hint}
	}
	params, _, _ := cost.Load(e.dataDir)
	data, b, err := hotspot.TrialBundle(p, task, inputs, params.Cloud.AVVAvailable, opts.Now.UTC().Format("20060102.150405"))
	if err != nil {
		return err
	}
	path, err := hotspot.WriteTrialBundle(e.dataDir, p.ID, data)
	if err != nil {
		return err
	}
	out.Bundle, out.File, out.Cloud, out.Inputs = b.ID, path, b.AllowsCloud(), inputs
	if opts.JSON {
		return writeJSON(w, out)
	}
	for i, in := range inputs {
		for _, f := range in.PII {
			fmt.Fprintln(errW, i18n.T(l, "hotspot.trial.cli.pii", map[string]any{"N": i + 1, "Line": in.Line, "What": f.Msg().Text(l)}))
		}
	}
	fmt.Fprintln(w, i18n.T(l, "hotspot.trial.cli.written", map[string]any{"File": path, "Bundle": b.ID, "Count": len(b.Prompts)}))
	if b.AllowsCloud() {
		fmt.Fprintln(w, i18n.T(l, "hotspot.trial.cli.next_cloud", map[string]any{"Bundle": b.ID, "ID": p.ID}))
	} else {
		fmt.Fprintln(w, i18n.T(l, "hotspot.trial.cli.next_local", map[string]any{"Bundle": b.ID, "ID": p.ID}))
	}
	return nil
}

func trialData(tr hotspot.Trial, l string) map[string]any {
	speed := i18n.T(l, "common.dash")
	if tr.DecodeTPS != nil {
		speed = i18n.Grouped(l, *tr.DecodeTPS, 1)
	}
	where := i18n.T(l, "hotspot.trial.local")
	if tr.Remote {
		where = i18n.T(l, "hotspot.trial.cloud")
	}
	return map[string]any{"ID": tr.ProcessID, "Run": tr.RunID, "Model": tr.Model, "Passed": tr.ChecksPassed, "Total": tr.ChecksTotal,
		"Rate": i18n.Grouped(l, tr.PassRate*100, 0), "Speed": speed, "Where": where}
}

// printable escapes control characters (text from a file is never printed
// raw to a terminal); letters of every script stay as they are.
func printable(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
