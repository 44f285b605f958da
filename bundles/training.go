package bundles

import "embed"

// Training holds the packaged training content (bundles/training/*.yaml). Its format is
// described in docs/schema/training.schema.json; a municipality can put its own
// files into <datadir>/bundles/training/.
//
//go:embed training
var Training embed.FS
