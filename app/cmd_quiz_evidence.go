package main

import (
	"context"
	"strings"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// ---- evidence

func runQuizEvidenceCmd(ctx context.Context, e *env, args []string) error {
	var out string
	var asCSV, asJSON, withNames bool
	fs := newFlagSet("quiz evidence", e.stderr)
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	fs.BoolVar(&asCSV, "csv", false, "CSV instead of a Markdown document")
	fs.BoolVar(&asJSON, "json", false, "JSON instead of a Markdown document")
	fs.BoolVar(&withNames, "with-names", false, "show real names where participants gave one (default: pseudonyms only)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (asCSV && asJSON) {
		return usageError("usage: kicheck quiz evidence SESSION [--out FILE] [--csv | --json] [--with-names]")
	}
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
	ev, err := quizsession.BuildEvidence(ctx, db, content, pos[0], withNames)
	if err != nil {
		return err
	}
	var b strings.Builder
	switch {
	case asJSON:
		err = writeJSON(&b, ev)
	case asCSV:
		err = quizsession.WriteEvidenceCSV(&b, ev)
	default:
		err = quizsession.WriteEvidenceMarkdown(&b, ev)
	}
	if err != nil {
		return err
	}
	return writeOut(e, out, []byte(b.String()))
}
