package main

import (
	"context"
	"strings"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// ---- evidence

type evidenceOptions struct {
	Session   string
	Out       string // "" or "-": standard output
	CSV, JSON bool
	WithNames bool
}

func runQuizEvidenceCmd(ctx context.Context, e *env, args []string) error {
	var o evidenceOptions
	fs := newFlagSet("quiz evidence", e)
	fs.StringVar(&o.Out, "out", "", "cli.flag.out_stdout")
	fs.BoolVar(&o.CSV, "csv", false, "cli.flag.quiz.evidence.csv")
	fs.BoolVar(&o.JSON, "json", false, "cli.flag.quiz.evidence.json")
	fs.BoolVar(&o.WithNames, "with-names", false, "cli.flag.quiz.evidence.with_names")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (o.CSV && o.JSON) {
		return usage("cli.usage.quiz.evidence.args", nil)
	}
	o.Session = fs.Arg(0)
	return runQuizEvidence(ctx, o, e)
}

// runQuizEvidence writes the Art. 4 evidence of session o.Session.
func runQuizEvidence(ctx context.Context, o evidenceOptions, e *env) error {
	content, err := learning.Load(e.dataDir)
	if err != nil {
		return err
	}
	warnAll(e, content.Warnings)
	db, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer db.Close()
	ev, err := quizsession.BuildEvidence(ctx, db, content, o.Session, o.WithNames)
	if err != nil {
		return err
	}
	var b strings.Builder
	switch {
	case o.JSON:
		err = writeJSON(&b, ev)
	case o.CSV:
		err = quizsession.WriteEvidenceCSV(&b, ev)
	default:
		err = quizsession.WriteEvidenceMarkdown(&b, ev, e.lang)
	}
	if err != nil {
		return err
	}
	return writeOut(e, o.Out, []byte(b.String()))
}
