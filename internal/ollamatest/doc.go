// Package ollamatest runs the real, pinned Ollama for tests of other
// packages: on a free loopback port, with its models (and its HOME) in a
// temporary folder, stopped when the test or the test binary ends.
//
// The binary comes from $KICHECK_OLLAMA (scripts/ollama.sh builds it and
// prints its path). When the variable is unset the tests that need Ollama
// are skipped, unless KICHECK_REQUIRE_OLLAMA=1 (set by `make test` and CI),
// then they fail.
//
// One server per test:
//
//	srv := ollamatest.Start(t)
//	srv.CreateModel(t, "tiny", path)
//
// One server shared by all tests of a package (starts at first use):
//
//	func TestMain(m *testing.M) { os.Exit(ollamatest.RunShared(m)) }
//	func TestX(t *testing.T) { srv := ollamatest.Shared(t); … }
package ollamatest
