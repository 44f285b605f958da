// Package check runs the whole readiness check of a PC: inventory, probe,
// fit and, when a local runtime is found, the inference bundle; it then
// writes the signed report into the data dir, records it in the database
// and exports it (JSON, signature, PDF, HTML) to a folder.
//
// Each step comes from its capability package. A step whose package is not
// part of this build is simply not run, and the report has no section for
// it: nothing is guessed or faked. A cancelled or timed-out check still
// writes a report of what was measured, marked incomplete.
//
// The IT policy file (policy.go) sets the organisational unit, whether the
// hostname goes into the report, which bundles run and the upload URL.
package check
