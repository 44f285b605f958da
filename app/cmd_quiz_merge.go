package main

import (
	"context"
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
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usage("cli.usage.quiz.merge.args", nil)
	}
	o.Files = fs.Args()
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
			errs = append(errs, i18n.NewError("cli.quiz.merge.read", "cli.quiz.merge.read_hint", map[string]any{"File": i18n.Escape(name), "Detail": errText{err}}, err))
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
	if len(errs) == 0 {
		return nil
	}
	// Every file that failed is named, each in the user's language; the
	// last one is the command's error.
	for _, err := range errs[:len(errs)-1] {
		report(e.stderr, err, e.lang)
	}
	return errs[len(errs)-1]
}

type deleteOptions struct {
	Pseudonym string
	Session   string // "": in every session
}

func runQuizDeleteCmd(ctx context.Context, e *env, args []string) error {
	var o deleteOptions
	fs := newFlagSet("quiz delete-participant", e.stderr)
	fs.StringVar(&o.Session, "session", "", "only in this session (default: in all sessions)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage("cli.usage.quiz.delete.args", nil)
	}
	o.Pseudonym = fs.Arg(0)
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
