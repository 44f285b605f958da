package bundles

import "embed"

// Policy holds the packaged model AI policy (bundles/policy/*.yaml): which
// tool may see which data class for which purpose, the clauses of the
// Leitlinie, Dienstanweisung and Dienstvereinbarung, roles, the approval
// path and the KI-Pass. Format: docs/schema/policy.schema.json, docs/policy.md.
//
//go:embed policy
var Policy embed.FS
