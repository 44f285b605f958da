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
	register(&command{name: "fleet", summary: "cli.help.fleet", run: fleetCmd})
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
	fs := newFlagSet("fleet", e)
	fs.StringVar(&opts.DB, "db", "", "cli.flag.fleet.db")
	opts.DBFlags.add(fs)
	fs.BoolVar(&opts.JSON, "json", false, "cli.flag.fleet.json")
	fs.StringVar(&opts.HTML, "html", "", "cli.flag.fleet.html")
	fs.StringVar(&opts.CSV, "csv", "", "cli.flag.fleet.csv")
	fs.StringVar(&opts.GLPI, "glpi", "", "cli.flag.fleet.glpi")
	fs.BoolVar(&opts.GLPIExtra, "glpi-extra", false, "cli.flag.fleet.glpi_extra")
	fs.IntVar(&opts.StaleDays, "stale-days", 30, "cli.flag.fleet.stale_days")
	fs.BoolVar(&opts.Recount, "recount", false, "cli.flag.fleet.recount")
	fs.StringVar(&opts.ExportAggregate, "export-aggregate", "", "cli.flag.fleet.export_aggregate")
	fs.StringVar(&opts.Kommune, "kommune", e.settings.Municipality, "cli.flag.fleet.kommune")
	fs.StringVar(&opts.AGS, "ags", e.settings.AGS, "cli.flag.fleet.ags")
	fs.BoolVar(&opts.ByMunicipality, "by-municipality", false, "cli.flag.fleet.by_municipality")
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
