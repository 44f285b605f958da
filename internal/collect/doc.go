// Package collect is IT's central collection of signed KI-Check reports:
// the intake that verifies reports from folders, network shares, ZIP files
// and the upload endpoint and stores the valid ones in a central SQLite
// database, and the fleet overview computed from that database (JSON,
// HTML dashboard, CSV, GLPI inventory files).
//
// Verification is the report package's (signature, schema, section hashes,
// device id bound to the key); this package adds the trust decision
// (allowed_signers file or enrolment on first use), duplicate detection,
// history per device, the aggregated columns, and running counters of the
// fleet overview kept in the same transaction, so the overview reads a few
// hundred rows however large the collection grows.
// The formats and the trust model are specified in docs/collect.md.
package collect
