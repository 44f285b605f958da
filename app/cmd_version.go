package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "version", summary: "print version, commit and build date", run: versionCmd})
}

// versionOptions are the flags of `kicheck version`.
type versionOptions struct {
	JSON bool
}

// versionCmd parses the flags of `kicheck version` and runs runVersion.
func versionCmd(ctx context.Context, e *env, args []string) error {
	var opts versionOptions
	fs := newFlagSet("version", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "version", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runVersion(ctx, opts, e)
}

// versionJSON is the stable output of `kicheck version --json`.
type versionJSON struct {
	buildinfo.Info
	GUI      bool   `json:"gui"`
	Platform string `json:"platform"`
}

// runVersion prints the version, commit, build date and platform.
func runVersion(_ context.Context, opts versionOptions, e *env) error {
	w := e.stdout
	info := buildinfo.Get()
	platform := runtime.GOOS + "/" + runtime.GOARCH
	if opts.JSON {
		return writeJSON(w, versionJSON{Info: info, GUI: guiAvailable, Platform: platform})
	}
	build := i18n.T(e.lang, "cli.version.gui")
	if !guiAvailable {
		build = i18n.T(e.lang, "cli.version.no_gui")
	}
	_, err := fmt.Fprintln(w, i18n.T(e.lang, "cli.version.text", map[string]any{"Version": info.Version, "Commit": info.Commit, "Date": info.Date,
		"Go": info.GoVersion, "Platform": platform, "Build": build}))
	return err
}
