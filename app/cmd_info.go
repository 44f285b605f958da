package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "info", summary: "show where settings and data are and the database's state", run: infoCmd})
}

// infoOptions are the flags of `kicheck info`.
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

// infoCmd parses the flags of `kicheck info` and runs runInfo.
func infoCmd(ctx context.Context, e *env, args []string) error {
	var opts infoOptions
	fs := newFlagSet("info", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "info", "Arg": i18n.Escape(fs.Arg(0))})
	}
	return runInfo(ctx, opts, e)
}

// runInfo prints where the settings and the data are and the database's
// schema versions.
func runInfo(ctx context.Context, opts infoOptions, e *env) error {
	w := e.stdout
	db, err := e.openDB(ctx, allSchemas()...)
	if err != nil {
		return err
	}
	defer db.Close()
	versions, err := db.Versions(ctx)
	if err != nil {
		return i18n.NewError("cli.info.versions", "", map[string]any{"Detail": errText{err}}, err)
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
	names := make([]string, 0, len(versions))
	for c := range versions {
		names = append(names, c)
	}
	sort.Strings(names)
	var schema []string
	for _, c := range names {
		schema = append(schema, fmt.Sprintf("%s=%d", c, versions[c]))
	}
	_, err = fmt.Fprintln(w, i18n.T(e.lang, "cli.info.text", map[string]any{"Settings": i18n.Escape(out.SettingsFile), "Data": i18n.Escape(out.DataDir),
		"Database": i18n.Escape(out.Database), "Schema": strings.Join(schema, " ")}))
	return err
}
