package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/store"
)

// describeError turns an error into German (or English) text for a person:
// what happened, with the file it concerns, and what to do.
func describeError(err error) string {
	var l i18n.Localizer
	if errors.As(err, &l) && !isStoreProblem(err) {
		return localized(l)
	}
	var se *store.Error
	var ke *check.KeepError
	path := ""
	switch {
	case errors.As(err, &se):
		path = se.Path
	case errors.As(err, &ke):
		path = ke.DataDir // the report could not be kept there
	}
	data := map[string]any{"Path": path, "Detail": err.Error()}
	switch {
	case errors.Is(err, store.ErrNotSQLite):
		return lang.L("error.db_not_sqlite", data)
	case errors.Is(err, store.ErrCorrupt):
		return lang.L("error.db_corrupt", data)
	case errors.Is(err, store.ErrNewerSchema):
		return lang.L("error.db_newer", data)
	case store.IsDiskFull(err):
		return lang.L("error.disk_full", data)
	case errors.Is(err, store.ErrReadOnlyFile) && strings.HasSuffix(path, "-shm"):
		return lang.L("error.db_readonly_shm", data)
	case errors.Is(err, store.ErrReadOnlyFile) && strings.HasSuffix(path, "-wal"):
		return lang.L("error.db_readonly_wal", data)
	case errors.Is(err, store.ErrReadOnlyFile):
		return lang.L("error.db_readonly_file", data)
	case errors.Is(err, store.ErrNotWritable):
		return lang.L("error.not_writable", data)
	}
	return lang.L("error.generic", data)
}

// isStoreProblem is an error about the database file or the disk, which
// describeError explains with the file it concerns.
func isStoreProblem(err error) bool {
	var se *store.Error
	return errors.As(err, &se) || store.IsDiskFull(err) || errors.Is(err, store.ErrNotWritable)
}

// localized is an error's message and hint in the GUI's language.
func localized(l i18n.Localizer) string { return i18n.Sentences(l, textLang()) }
