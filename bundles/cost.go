package bundles

import "embed"

// Cost holds the default parameters of the local-vs-cloud cost model
// (cost/default.yaml, schema docs/schema/cost.schema.json).
//
//go:embed cost
var Cost embed.FS
