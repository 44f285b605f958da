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
	register(&command{name: "fleet", summary: "overview of a central database of reports (fleet --db FILE|postgres://… [--json] [--html OUT.html] [--csv OUT.csv] [--glpi DIR [--glpi-extra]] [--stale-days N])", run: fleetCmd})
}

// fleetOptions are the flags of `kicheck fleet`.
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

// fleetCmd parses the flags of `kicheck fleet` and runs runFleet (or the
// Land view, or the export for the Land).
func fleetCmd(ctx context.Context, e *env, args []string) error {
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
		return usage("cli.usage.fleet.args", map[string]any{"Arg": i18n.Escape(fs.Arg(0))})
	}
	if opts.DB == "" {
		return usage("cli.usage.fleet.db", nil)
	}
	if opts.StaleDays <= 0 {
		return usage("cli.usage.fleet.stale_days", map[string]any{"N": opts.StaleDays})
	}
	if opts.ByMunicipality {
		if opts.ExportAggregate != "" || opts.CSV != "" || opts.GLPI != "" || opts.Recount {
			return usage("cli.usage.fleet.by_municipality", nil)
		}
		return runFleetByMunicipality(ctx, opts, e)
	}
	if opts.ExportAggregate != "" {
		return runFleetExportAggregate(ctx, opts, e)
	}
	return runFleet(ctx, opts, e)
}

// runFleet prints the overview of a central database and writes the
// files asked for (HTML, CSV, GLPI).
func runFleet(ctx context.Context, opts fleetOptions, e *env) error {
	w := e.stdout
	if err := centralDBExists(opts.DB, "cli.fleet.no_db"); err != nil {
		return err
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
			fmt.Fprintln(w, i18n.T(opts.Lang, "fleet.cli.glpi", map[string]any{"Count": n, "Dir": i18n.Escape(opts.GLPI)}))
		}
	}
	if opts.JSON {
		return writeJSON(w, f)
	}
	return f.WriteText(w, opts.Lang)
}

// centralDBExists checks that the SQLite file db is there (a PostgreSQL
// URL is not checked): fleet reads a database, it does not create one.
// id is the message (cli.fleet.no_db or cli.fleet.no_land_db).
func centralDBExists(db, id string) error {
	if collect.IsPostgres(db) {
		return nil
	}
	if _, err := os.Stat(db); err != nil {
		return i18n.NewError(id, id+".hint", map[string]any{"Path": i18n.Escape(db), "Detail": errText{err}}, err)
	}
	return nil
}

// writeWith writes a file atomically (temp file + rename) with write.
func writeWith(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	err := write(&buf)
	if err == nil {
		err = atomicfile.Write(path, buf.Bytes(), 0o644)
	}
	if err != nil {
		return i18n.NewError("cli.write_failed", "", map[string]any{"File": i18n.Escape(path), "Detail": errText{err}}, err)
	}
	return nil
}
