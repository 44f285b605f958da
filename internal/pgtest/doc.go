// Package pgtest starts a private PostgreSQL cluster for tests: initdb
// into a temporary folder, postgres on a free loopback port (and a unix
// socket in that folder), password login (scram-sha-256) for the user
// kicheck, stopped and removed when the test ends. As root (CI) the
// server runs as the unprivileged system user postgres (runuser), since
// initdb and postgres refuse to run as root.
//
// Without PostgreSQL binaries the tests that need one are skipped, unless
// KICHECK_REQUIRE_POSTGRES=1 (set by `make test` and CI): then they fail,
// so a missing package cannot pass CI quietly.
package pgtest
