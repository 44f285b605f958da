// Command kicheck is KI-Check: with no arguments it opens the GUI, with a
// subcommand it runs that capability on the command line (`kicheck help`).
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
