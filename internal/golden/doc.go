// Package golden compares a test's text output with a golden file in the
// package's testdata/ folder, so that a change of an output shows as a
// diff instead of hiding behind strings.Contains. `go test ./pkg -update`
// rewrites the files with what the tests produce; the diff of the commit
// is then the review. A test helper without a subcommand of its own; the
// one place for golden files (the packages used to copy it).
package golden
