package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/ki-reise/kicheck/internal/buildinfo"
)

func init() {
	register(&command{name: "version", summary: "print version, commit and build date", run: runVersionCmd})
}

type versionOptions struct {
	JSON bool
}

func runVersionCmd(ctx context.Context, e *env, args []string) error {
	var opts versionOptions
	fs := newFlagSet("version", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return runVersion(opts, e.stdout)
}

// versionJSON is the stable output of `kicheck version --json`.
type versionJSON struct {
	buildinfo.Info
	GUI      bool   `json:"gui"`
	Platform string `json:"platform"`
}

func runVersion(opts versionOptions, w io.Writer) error {
	info := buildinfo.Get()
	platform := runtime.GOOS + "/" + runtime.GOARCH
	if opts.JSON {
		return writeJSON(w, versionJSON{Info: info, GUI: guiAvailable, Platform: platform})
	}
	build := "with GUI"
	if !guiAvailable {
		build = "command line only"
	}
	_, err := fmt.Fprintf(w, "kicheck %s (commit %s, built %s, %s, %s, %s)\n",
		info.Version, info.Commit, info.Date, info.GoVersion, platform, build)
	return err
}
