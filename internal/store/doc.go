// Package store opens KI-Check's SQLite database and keeps its schema current.
//
// One database file lives in the data dir. It is opened in WAL mode with
// foreign keys on and a busy timeout, using modernc.org/sqlite (pure Go, so
// the command line builds without cgo).
//
// The schema is owned by the capabilities, not by this package: each one
// (bench, quiz, collect, …) hands Open a Schema, a named list of numbered
// migrations. Open applies the missing ones in order, each in its own
// transaction, and records them in the table schema_migrations. Processes
// opening one file at the same moment (two first starts on a fresh data
// folder) wait for each other: an OS lock on NAME.lock beside the file is
// held until the schema is current, and each step checks its version again
// inside its write transaction (BEGIN IMMEDIATE). A database
// whose recorded version of a component is newer than the binary knows is
// refused, never rewritten, so an older KI-Check cannot damage the data of a
// newer one. This package itself owns the component "core" with the runs
// table every capability records its work in.
//
// Open refuses a database file it cannot write (SQLite would open it
// read-only and leave read-only -wal/-shm files that break every later
// run), makes read-only sidecars of its own user writable again and names
// any other; a full drive is ErrDiskFull with a hint (IsDiskFull also
// knows the operating system's "no space left").
//
// The file also provides the single-instance guard for the GUI (instance.go).
package store
