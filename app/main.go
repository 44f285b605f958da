// Command kicheck is KI-Check: with no arguments it opens the GUI, with a
// subcommand it runs that capability on the command line (`kicheck help`).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals end every command gracefully: the context is cancelled, the
// command keeps what it measured, and the database is closed (which
// checkpoints and removes its WAL file). SIGTERM is what service managers,
// `kill` and software distribution send; it must not kill a run halfway.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
