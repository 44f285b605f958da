package cloud_test

import (
	"os"
	"sync"
	"testing"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.RunShared(m)) }

const tinyModel = "tiny-cloud"

var createOnce sync.Once

// backend returns the real Ollama's /v1 URL with the tiny synthetic model
// created; it skips the test when no Ollama is configured (fails when
// KICHECK_REQUIRE_OLLAMA=1).
func backend(t *testing.T) string {
	srv := ollamatest.Shared(t)
	createOnce.Do(func() { srv.CreateSynthetic(t, tinyModel, ollamatest.TinyShape, gguf.QuantQ8_0) })
	return srv.OpenAIURL()
}

// deadBackend is for tests where the proxy answers before forwarding
// (TLS failure, wrong key, injected 429): nothing listens there.
const deadBackend = "http://127.0.0.1:9/v1"
