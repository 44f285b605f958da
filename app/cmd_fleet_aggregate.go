package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/signing"
)

// runFleetExportAggregate writes the signed summary of the central
// database's fleet for the Land (docs/aggregate.md): the fleet from --db,
// quiz results per role from the data folder, signed with the
// installation's key.
func runFleetExportAggregate(ctx context.Context, opts fleetOptions, e *env) error {
	w := e.stdout
	if err := centralDBExists(opts.DB, "cli.fleet.no_db"); err != nil {
		return err
	}
	in := aggregate.Inputs{Municipality: aggregate.Municipality{Name: opts.Kommune, AGS: opts.AGS}, Version: buildinfo.Get().Version, Now: time.Now()}
	// Name and AGS are checked before anything is read or a key made.
	if err := aggregate.CheckMunicipality(in.Municipality); err != nil {
		return localizedError(err) // aggregate.Error renders message and hint in the user's language
	}
	cdb, err := opts.DBFlags.open(ctx, opts.DB, opts.Lang)
	if err != nil {
		return err
	}
	defer cdb.Close()
	if opts.Recount {
		if err := collect.RebuildCounts(ctx, cdb); err != nil {
			return err
		}
	}
	qdb, err := e.openDB(ctx, quiz.Schema)
	if err != nil {
		return err
	}
	defer qdb.Close()
	key, err := signing.Load(e.dataDir)
	if err != nil {
		return err
	}
	ex, err := aggregate.BuildSigned(ctx, cdb, qdb, key, in)
	if err != nil {
		return localizedError(err) // aggregate.Error renders message and hint in the user's language
	}
	if err := ex.WriteFiles(opts.ExportAggregate); err != nil {
		return err
	}
	d := ex.Doc
	if opts.JSON {
		_, err := w.Write(ex.Data)
		return err
	}
	fmt.Fprintln(w, i18n.T(opts.Lang, "aggregate.export.done", map[string]any{"Name": i18n.Escape(d.Municipality.Name), "AGS": d.Municipality.AGS,
		"File": i18n.Escape(opts.ExportAggregate), "Devices": d.Devices, "From": aggregate.DateText(opts.Lang, d.Data.From), "To": aggregate.DateText(opts.Lang, d.Data.To),
		"Merged": d.Merged(), "Suppressed": len(d.Suppressed)}))
	fmt.Fprintln(w, i18n.T(opts.Lang, "aggregate.export.allowed_line"))
	fmt.Fprintln(w, aggregate.AllowedSignersLine(d.Municipality.AGS, key))
	return nil
}

// openLandStore opens the Land's store: a SQLite file, or the Land's
// tables in a PostgreSQL database (opened as the collection's, with the
// same password flags).
func openLandStore(ctx context.Context, db string, flags centralDBFlags, lang string) (aggregate.LandStore, func(), error) {
	if !collect.IsPostgres(db) {
		d, err := aggregate.OpenLand(ctx, db)
		if err != nil {
			return nil, nil, err
		}
		return aggregate.SQLiteStore{DB: d}, func() { d.Close() }, nil
	}
	s, err := flags.open(ctx, db, lang)
	if err != nil {
		return nil, nil, err
	}
	ls, err := aggregate.OpenLandPostgres(ctx, collect.DB(s))
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return ls, func() { s.Close() }, nil
}

// runFleetByMunicipality shows the Land view of a Land database.
func runFleetByMunicipality(ctx context.Context, opts fleetOptions, e *env) error {
	w := e.stdout
	if err := centralDBExists(opts.DB, "cli.fleet.no_land_db"); err != nil {
		return err
	}
	ls, closeDB, err := openLandStore(ctx, opts.DB, opts.DBFlags, opts.Lang)
	if err != nil {
		return err
	}
	defer closeDB()
	v, err := aggregate.View(ctx, ls, time.Now())
	if err != nil {
		return err
	}
	if opts.HTML != "" {
		if err := aggregate.WriteHTMLFile(opts.HTML, v, opts.Lang); err != nil {
			return err
		}
	}
	if opts.JSON {
		return writeJSON(w, v)
	}
	return aggregate.WriteText(w, v, opts.Lang)
}
