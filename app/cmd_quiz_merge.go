package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// ---- merge, delete

type mergeOptions struct {
	Files []string
	JSON  bool
}

func runQuizMergeCmd(ctx context.Context, e *env, args []string) error {
	var o mergeOptions
	fs := newFlagSet("quiz merge", e.stderr)
	fs.BoolVar(&o.JSON, "json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("usage: kicheck quiz merge FILE...")
	}
	o.Files = pos
	return runQuizMerge(ctx, o, e)
}

// runQuizMerge merges the result files o.Files into the sessions.
func runQuizMerge(ctx context.Context, o mergeOptions, e *env) error {
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	var outcomes []*quizsession.MergeOutcome
	var errs []error
	for _, name := range o.Files {
		data, err := os.ReadFile(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("read result file: %w", err))
			continue
		}
		o, err := quizsession.Merge(ctx, db, name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		outcomes = append(outcomes, o)
	}
	if o.JSON {
		if err := writeJSON(e.stdout, outcomes); err != nil {
			return err
		}
	} else {
		for _, o := range outcomes {
			key := "quizcli.merged"
			if !o.Added {
				key = "quizcli.merged_before"
			}
			fmt.Fprintln(e.stdout, i18n.T(e.lang, key, map[string]any{"File": o.File, "Pseudonym": o.Pseudonym, "Session": o.SessionID}))
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

type deleteOptions struct {
	Pseudonym string
	Session   string // "": in every session
}

func runQuizDeleteCmd(ctx context.Context, e *env, args []string) error {
	var o deleteOptions
	fs := newFlagSet("quiz delete-participant", e.stderr)
	fs.StringVar(&o.Session, "session", "", "only in this session (default: in all sessions)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: kicheck quiz delete-participant PSEUDONYM [--session ID]")
	}
	o.Pseudonym = pos[0]
	return runQuizDelete(ctx, o, e)
}

// runQuizDelete deletes the answers and results of o.Pseudonym.
func runQuizDelete(ctx context.Context, o deleteOptions, e *env) error {
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := quizsession.DeleteParticipant(ctx, db, o.Pseudonym, o.Session)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.deleted", map[string]any{"Pseudonym": o.Pseudonym, "N": n}))
	return nil
}
