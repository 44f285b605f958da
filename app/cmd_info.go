package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ki-reise/kicheck/internal/buildinfo"
)

func init() {
	register(&command{name: "info", summary: "show where settings and data are and the database's state", run: runInfoCmd})
}

type infoOptions struct {
	JSON bool
}

// infoJSON is the stable output of `kicheck info --json`.
type infoJSON struct {
	Version      string         `json:"version"`
	SettingsFile string         `json:"settings_file"`
	DataDir      string         `json:"data_dir"`
	Database     string         `json:"database"`
	Schema       map[string]int `json:"schema_versions"`
	Language     string         `json:"language"`
}

func runInfoCmd(ctx context.Context, e *env, args []string) error {
	var opts infoOptions
	fs := newFlagSet("info", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return runInfo(ctx, e, opts, e.stdout)
}

func runInfo(ctx context.Context, e *env, opts infoOptions, w io.Writer) error {
	db, err := e.openDB(ctx, allSchemas()...)
	if err != nil {
		return err
	}
	defer db.Close()
	versions, err := db.Versions(ctx)
	if err != nil {
		return fmt.Errorf("read schema versions: %w", err)
	}
	out := infoJSON{
		Version:      buildinfo.Get().Version,
		SettingsFile: e.loc.SettingsFile,
		DataDir:      e.dataDir,
		Database:     db.Path(),
		Schema:       versions,
		Language:     e.lang,
	}
	if opts.JSON {
		return writeJSON(w, out)
	}
	fmt.Fprintf(w, "settings: %s\ndata:     %s\ndatabase: %s\nschema:  ", out.SettingsFile, out.DataDir, out.Database)
	for c, v := range versions {
		fmt.Fprintf(w, " %s=%d", c, v)
	}
	fmt.Fprintln(w)
	return nil
}
