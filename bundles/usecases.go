package bundles

import "embed"

// UseCases are the tasks a municipality wants AI for, with the speed they
// need (schema: docs/schema/usecases.schema.json), read by internal/fit.
//
//go:embed usecases
var UseCases embed.FS
