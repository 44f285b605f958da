package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// quizSubcommands are the subcommands of `kicheck quiz` that live in other
// files (sessions, results, statistics: cmd_quiz_session.go). The quiz
// command's dispatcher looks a subcommand up here when it does not know it
// itself.
var quizSubcommands = map[string]*command{}

func registerQuizSub(c *command) {
	if _, dup := quizSubcommands[c.name]; dup {
		panic("duplicate quiz subcommand " + c.name)
	}
	quizSubcommands[c.name] = c
}

// runQuizSub runs a subcommand from quizSubcommands; ok is false when the
// name is not one of them.
func runQuizSub(ctx context.Context, e *env, name string, args []string) (err error, ok bool) {
	c, ok := quizSubcommands[name]
	if !ok {
		return nil, false
	}
	return c.run(ctx, e, args), true
}

// quizSubHelp lists the subcommands for the quiz command's help text.
func quizSubHelp() string {
	names := make([]string, 0, len(quizSubcommands))
	for n := range quizSubcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  quiz %-18s %s\n", n, quizSubcommands[n].summary)
	}
	return b.String()
}

func init() {
	// Until the quiz command of branch quiz is merged, `kicheck quiz` is
	// registered here with only these subcommands.
	register(&command{name: "quiz", summary: "quizzes for trainers: sessions, results, statistics, Art. 4 evidence", run: func(ctx context.Context, e *env, args []string) error {
		if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(e.stdout, "Usage: kicheck quiz SUBCOMMAND [flags]\n\n"+quizSubHelp())
			return nil
		}
		if err, ok := runQuizSub(ctx, e, args[0], args[1:]); ok {
			return err
		}
		return usageError("unknown quiz subcommand %q; run 'kicheck quiz help'", args[0])
	}})
}
