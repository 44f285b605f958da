package bundles

import "embed"

// Models is the model catalogue: one YAML file per model (schema:
// docs/schema/models.schema.json), read by internal/fit.
//
//go:embed models
var Models embed.FS
