package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/store"
	"github.com/ki-reise/kicheck/internal/webview"
)

func init() {
	register(&command{name: "accessible", summary: "serve the accessible view (plain HTML for screen readers and the keyboard) on 127.0.0.1 and open it in the browser; until Ctrl+C (also: kicheck --accessible)", run: accessibleCmd})
}

// accessibleOptions are the flags of `kicheck accessible`.
type accessibleOptions struct {
	NoBrowser bool
	JSON      bool // print {"url": …} instead of the sentence
	DataDir   string
	Lang      string
	// ready, when set, gets the view's address once it serves (tests).
	ready func(url string)
	// open opens the address (nil: webview.OpenBrowser).
	open func(url string) error
}

// accessibleCmd parses the flags of `kicheck accessible` and serves the
// view (serveAccessible).
func accessibleCmd(ctx context.Context, e *env, args []string) error {
	opts := accessibleOptions{DataDir: e.dataDir, Lang: e.lang}
	fs := newFlagSet("accessible", e.stderr)
	fs.BoolVar(&opts.NoBrowser, "no-browser", false, "only print the address, do not open the browser")
	fs.BoolVar(&opts.JSON, "json", false, `print {"url": "…"} on one line`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "accessible", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runAccessible(ctx, opts, e)
}

// runAccessible opens the database and serves the view until ctx ends
// (Ctrl+C, SIGTERM).
func runAccessible(ctx context.Context, opts accessibleOptions, e *env) error {
	db, err := e.openDB(ctx, allSchemas()...)
	if err != nil {
		return err
	}
	defer db.Close()
	return serveAccessible(ctx, opts, db, e.stdout, e.stderr)
}

// serveAccessible serves the view on db until ctx ends.
func serveAccessible(ctx context.Context, opts accessibleOptions, db *store.DB, w, errW io.Writer) error {
	srv, err := webview.Start(ctx, webview.Options{DataDir: opts.DataDir, DB: db, Lang: opts.Lang})
	if err != nil {
		return err
	}
	defer srv.Close()
	url := srv.URL()
	if opts.JSON {
		if err := writeJSON(w, map[string]string{"url": url}); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, i18n.T(opts.Lang, "webview.cli_url", map[string]any{"URL": url}))
	}
	if !opts.NoBrowser {
		open := opts.open
		if open == nil {
			open = webview.OpenBrowser
		}
		if err := open(url); err != nil {
			fmt.Fprintln(errW, i18n.T(opts.Lang, "webview.cli_open_failed", map[string]any{"Detail": i18n.Escape(err.Error())}))
		}
	}
	if opts.ready != nil {
		opts.ready(url)
	}
	<-srv.Done()
	return nil
}
