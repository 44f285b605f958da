package bundles

import "embed"

// Competencies holds the packaged competencies content (bundles/competencies/*.yaml). Its format is
// described in docs/schema/competencies.schema.json; a municipality can put its own
// files into <datadir>/bundles/competencies/.
//
//go:embed competencies
var Competencies embed.FS
