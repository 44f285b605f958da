package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

func init() {
	quizCmds.add(&command{name: "session", summary: "start, answer, export, finish or list trainer sessions", run: sessionCmds.run})
	quizCmds.add(&command{name: "result", summary: "a participant's per-area scores and learning path", run: runQuizResultCmd})
	quizCmds.add(&command{name: "stats", summary: "item analysis of a session (--json, --csv)", run: runQuizStatsCmd})
	quizCmds.add(&command{name: "evidence", summary: "Art. 4 evidence of a session, pseudonymised", run: runQuizEvidenceCmd})
	quizCmds.add(&command{name: "merge", summary: "merge result files exported on other PCs", run: runQuizMergeCmd})
	quizCmds.add(&command{name: "delete-participant", summary: "delete a participant's answers and results", run: runQuizDeleteCmd})
}

// sessionCmds are the subcommands of kicheck quiz session.
var sessionCmds = &subcommands{parent: "quiz session", footer: "Sessions, drawing and evidence: docs/quiz-sessions.md.", list: []*command{
	{name: "start", summary: "start a session from a quiz (--quiz ID), drawn and shuffled by --seed", run: runSessionStartCmd},
	{name: "answer", summary: "answer a session on this PC (--pseudonym NAME)", run: runSessionAnswerCmd},
	{name: "export", summary: "write a participant's result file for the trainer's PC", run: runSessionExportCmd},
	{name: "finish", summary: "close a session for new attempts", run: runSessionFinishCmd},
	{name: "list", summary: "list the sessions (--quizzes: the quizzes a session can start from)", run: runSessionListCmd},
}}

// ---- export, finish, list

type sessionExportOptions struct {
	Session, Pseudonym string
	Out                string // "" or "-": standard output
}

func runSessionExportCmd(ctx context.Context, e *env, args []string) error {
	var o sessionExportOptions
	fs := newFlagSet("quiz session export", e.stderr)
	fs.StringVar(&o.Out, "out", "", "file to write (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usage("cli.usage.quiz.session.export.args", nil)
	}
	o.Session, o.Pseudonym = fs.Arg(0), fs.Arg(1)
	return runSessionExport(ctx, o, e)
}

// runSessionExport writes the result file of o.Pseudonym in o.Session.
func runSessionExport(ctx context.Context, o sessionExportOptions, e *env) error {
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	data, err := quizsession.Export(ctx, db, o.Session, o.Pseudonym)
	if err != nil {
		return err
	}
	return writeOut(e, o.Out, append(data, '\n'))
}

type sessionFinishOptions struct {
	Session string
}

func runSessionFinishCmd(ctx context.Context, e *env, args []string) error {
	var o sessionFinishOptions
	fs := newFlagSet("quiz session finish", e.stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage("cli.usage.quiz.session.finish.args", nil)
	}
	o.Session = fs.Arg(0)
	return runSessionFinish(ctx, o, e)
}

// runSessionFinish closes session o.Session for new attempts.
func runSessionFinish(ctx context.Context, o sessionFinishOptions, e *env) error {
	id := o.Session
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := quizsession.Finish(ctx, db, id, time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.finished", map[string]any{"ID": id}))
	return nil
}

type sessionListOptions struct {
	JSON    bool
	Quizzes bool // the quizzes a session can start from, not the sessions
}

func runSessionListCmd(ctx context.Context, e *env, args []string) error {
	var o sessionListOptions
	fs := newFlagSet("quiz session list", e.stderr)
	fs.BoolVar(&o.JSON, "json", false, "print JSON")
	fs.BoolVar(&o.Quizzes, "quizzes", false, "list the quizzes a session can be started from instead")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.quiz.no_args", map[string]any{"Sub": "session list", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runSessionList(ctx, o, e)
}

// runSessionList lists the sessions, or with o.Quizzes the quizzes.
func runSessionList(ctx context.Context, o sessionListOptions, e *env) error {
	if o.Quizzes {
		lib, err := quizsession.LoadLibrary(e.dataDir)
		if err != nil {
			return err
		}
		warnAll(e, lib.Warnings)
		type row struct {
			ID, Version, Title string
			Items, SelfRatings int
		}
		var rows []row
		for _, b := range lib.Quizzes() {
			r := row{ID: b.ID, Version: b.Version, Title: b.Title}
			for _, q := range b.Questions {
				if q.Type.Scored() {
					r.Items++
				}
			}
			if s := lib.Find(b.ID + quizsession.SelfSuffix); s != nil {
				r.SelfRatings = len(s.Questions)
			}
			rows = append(rows, r)
		}
		if o.JSON {
			return writeJSON(e.stdout, rows)
		}
		for _, r := range rows {
			fmt.Fprintf(e.stdout, "%-28s %-7s %3d %s, %d %s  %s\n", r.ID, r.Version, r.Items, i18n.T(e.lang, "quizcli.items"), r.SelfRatings, i18n.T(e.lang, "quizcli.self_short"), r.Title)
		}
		return nil
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	ss, err := quizsession.List(ctx, db)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(e.stdout, ss)
	}
	if len(ss) == 0 {
		fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.no_sessions"))
		return nil
	}
	for _, s := range ss {
		fmt.Fprintf(e.stdout, "%-22s %-8s %s  %-34s %3d %s, %2d %s  %s\n", s.ID, i18n.T(e.lang, "quiz.status_"+s.Status), i18n.DateTime(e.lang, s.Created.Local()),
			s.Bundle, s.Items, i18n.T(e.lang, "quizcli.items"), s.Participants, i18n.T(e.lang, "quizcli.participants"), s.Title)
	}
	return nil
}

// ---- helpers

func writeOut(e *env, file string, data []byte) error {
	if file == "" || file == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	if err := atomicfile.Write(file, data, 0o600); err != nil { // whole or not at all
		return writeFileError(file, err)
	}
	fmt.Fprintln(e.stderr, i18n.T(e.lang, "quizcli.written", map[string]any{"File": file}))
	return nil
}

func warnAll(e *env, ws []error) {
	for _, w := range ws {
		warn(e.stderr, e.lang, w)
	}
}
