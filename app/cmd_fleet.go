package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "fleet", summary: "overview of a central database of reports (fleet --db FILE|postgres://… [--json] [--html OUT.html] [--csv OUT.csv] [--glpi DIR [--glpi-extra]] [--stale-days N])", run: runFleetCmd})
}

type fleetOptions struct {
	DB        string
	DBFlags   centralDBFlags
	JSON      bool
	HTML      string
	CSV       string
	GLPI      string
	GLPIExtra bool
	StaleDays int
	Recount   bool
	Lang      string // language of the text output and the HTML page (de, en)
	// Aggregates for the Land (cmd_fleet_aggregate.go).
	ExportAggregate string // write the signed summary to this file
	Kommune, AGS    string // the municipality (default: settings)
	ByMunicipality  bool   // --db is a Land database: show its view
}

func runFleetCmd(ctx context.Context, e *env, args []string) error {
	opts := fleetOptions{Lang: e.lang}
	fs := newFlagSet("fleet", e.stderr)
	fs.StringVar(&opts.DB, "db", "", "central database `file` (from kicheck collect) or postgres://USER@HOST/DB")
	opts.DBFlags.add(fs)
	fs.BoolVar(&opts.JSON, "json", false, "print the overview as JSON")
	fs.StringVar(&opts.HTML, "html", "", "write the dashboard to this HTML `file` (self-contained)")
	fs.StringVar(&opts.CSV, "csv", "", "write the device table to this CSV `file`")
	fs.StringVar(&opts.GLPI, "glpi", "", "write one GLPI inventory JSON per device into this `folder`")
	fs.BoolVar(&opts.GLPIExtra, "glpi-extra", false, "also write the KI-Check results as the extra property content.kicheck (only for a GLPI whose plugin registers it; GLPI refuses the file otherwise)")
	fs.IntVar(&opts.StaleDays, "stale-days", 30, "list devices whose newest report is older than this many `days`")
	fs.BoolVar(&opts.Recount, "recount", false, "recompute the overview's running counts from the stored reports first (after restoring or editing the database)")
	fs.StringVar(&opts.ExportAggregate, "export-aggregate", "", "write the signed summary of this municipality's fleet for the Land to this `file` (and FILE.sig; docs/aggregate.md)")
	fs.StringVar(&opts.Kommune, "kommune", e.settings.Municipality, "the municipality's `name` for --export-aggregate (default: municipality in settings.json)")
	fs.StringVar(&opts.AGS, "ags", e.settings.AGS, "the municipality's Amtlicher Gemeindeschlüssel (8 `digits`) for --export-aggregate (default: ags in settings.json)")
	fs.BoolVar(&opts.ByMunicipality, "by-municipality", false, "--db is a Land database (kicheck collect --aggregates): show readiness per municipality and in total")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("fleet takes no arguments; name the database with --db FILE")
	}
	if opts.DB == "" {
		return usageError("fleet needs --db FILE (the central database)")
	}
	if opts.StaleDays <= 0 {
		return usageError("--stale-days must be positive")
	}
	if opts.ByMunicipality {
		if opts.ExportAggregate != "" || opts.CSV != "" || opts.GLPI != "" || opts.Recount {
			return usageError("--by-municipality shows a Land database; it takes only --json and --html")
		}
		return runFleetByMunicipality(ctx, opts, e.stdout)
	}
	if opts.ExportAggregate != "" {
		return runFleetExportAggregate(ctx, e, opts, e.stdout)
	}
	return runFleet(ctx, opts, e.stdout)
}

func runFleet(ctx context.Context, opts fleetOptions, w io.Writer) error {
	if !collect.IsPostgres(opts.DB) {
		if _, err := os.Stat(opts.DB); err != nil {
			return fmt.Errorf("central database: %w", err)
		}
	}
	db, err := opts.DBFlags.open(ctx, opts.DB, opts.Lang)
	if err != nil {
		return err
	}
	defer db.Close()
	if opts.Recount {
		if err := collect.RebuildCounts(ctx, db); err != nil {
			return err
		}
	}
	f, err := collect.ComputeFleet(ctx, db, collect.FleetOptions{StaleDays: opts.StaleDays})
	if err != nil {
		return err
	}
	if opts.HTML != "" {
		if err := writeWith(opts.HTML, func(w io.Writer) error { return collect.WriteHTML(w, f, opts.Lang) }); err != nil {
			return err
		}
	}
	if opts.CSV != "" {
		rows, err := collect.DeviceTable(ctx, db)
		if err != nil {
			return err
		}
		if err := writeWith(opts.CSV, func(w io.Writer) error { return collect.WriteCSV(w, rows) }); err != nil {
			return err
		}
	}
	if opts.GLPI != "" {
		n, err := collect.WriteGLPI(ctx, db, opts.GLPI, collect.GLPIOptions{ExtraProperty: opts.GLPIExtra})
		if err != nil {
			return err
		}
		if !opts.JSON {
			fmt.Fprintln(w, i18n.T(opts.Lang, "fleet.cli.glpi", map[string]any{"Count": n, "Dir": opts.GLPI}))
		}
	}
	if opts.JSON {
		return writeJSON(w, f)
	}
	return f.WriteText(w, opts.Lang)
}

// writeWith writes a file atomically (temp file + rename) with write.
func writeWith(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
