package bundles

import "embed"

// Prompts holds the packaged test-prompt bundles (prompts/*.yaml), read and
// checked by internal/bench. Format: docs/prompts.md, schema:
// docs/schema/prompts.schema.json.
//
//go:embed prompts
var Prompts embed.FS
