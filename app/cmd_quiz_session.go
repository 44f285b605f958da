package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// stdin is where `quiz session answer` reads the answers (a variable so
// tests can feed it).
var stdin io.Reader = os.Stdin

func init() {
	registerQuizSubcommand(&quizSubcommand{name: "session", summary: "start, answer, export, finish or list trainer sessions", run: runQuizSessionCmd})
	registerQuizSubcommand(&quizSubcommand{name: "result", summary: "a participant's per-area scores and learning path", run: runQuizResultCmd})
	registerQuizSubcommand(&quizSubcommand{name: "stats", summary: "item analysis of a session (--json, --csv)", run: runQuizStatsCmd})
	registerQuizSubcommand(&quizSubcommand{name: "evidence", summary: "Art. 4 evidence of a session, pseudonymised", run: runQuizEvidenceCmd})
	registerQuizSubcommand(&quizSubcommand{name: "merge", summary: "merge result files exported on other PCs", run: runQuizMergeCmd})
	registerQuizSubcommand(&quizSubcommand{name: "delete-participant", summary: "delete a participant's answers and results", run: runQuizDeleteCmd})
}

func runQuizSessionCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError("quiz session needs start, answer, export, finish or list")
	}
	switch args[0] {
	case "start":
		return runSessionStartCmd(ctx, e, args[1:])
	case "answer":
		return runSessionAnswerCmd(ctx, e, args[1:])
	case "export":
		return runSessionExportCmd(ctx, e, args[1:])
	case "finish":
		return runSessionFinishCmd(ctx, e, args[1:])
	case "list":
		return runSessionListCmd(ctx, e, args[1:])
	}
	return usageError("unknown quiz session subcommand %q: use start, answer, export, finish or list", args[0])
}

// ---- export, finish, list

func runSessionExportCmd(ctx context.Context, e *env, args []string) error {
	var out string
	fs := newFlagSet("quiz session export", e.stderr)
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("usage: kicheck quiz session export SESSION PSEUDONYM [--out FILE]")
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	data, err := quizsession.Export(ctx, db, pos[0], pos[1])
	if err != nil {
		return err
	}
	return writeOut(e, out, append(data, '\n'))
}

func runSessionFinishCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("quiz session finish", e.stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: kicheck quiz session finish SESSION")
	}
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := quizsession.Finish(ctx, db, pos[0], time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.finished", map[string]any{"ID": pos[0]}))
	return nil
}

func runSessionListCmd(ctx context.Context, e *env, args []string) error {
	var asJSON, quizzes bool
	fs := newFlagSet("quiz session list", e.stderr)
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	fs.BoolVar(&quizzes, "quizzes", false, "list the quizzes a session can be started from instead")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if quizzes {
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
		if asJSON {
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
	if asJSON {
		return writeJSON(e.stdout, ss)
	}
	if len(ss) == 0 {
		fmt.Fprintln(e.stdout, i18n.T(e.lang, "quizcli.no_sessions"))
		return nil
	}
	for _, s := range ss {
		fmt.Fprintf(e.stdout, "%-22s %-8s %s  %-34s %3d %s, %2d %s  %s\n", s.ID, s.Status, s.Created.Local().Format("2006-01-02 15:04"),
			s.Bundle, s.Items, i18n.T(e.lang, "quizcli.items"), s.Participants, i18n.T(e.lang, "quizcli.participants"), s.Title)
	}
	return nil
}

// ---- helpers

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeOut(e *env, file string, data []byte) error {
	if file == "" || file == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	fmt.Fprintln(e.stderr, i18n.T(e.lang, "quizcli.written", map[string]any{"File": file}))
	return nil
}

func warnAll(e *env, ws []error) {
	for _, w := range ws {
		fmt.Fprintf(e.stderr, "warning: %v\n", w)
	}
}
