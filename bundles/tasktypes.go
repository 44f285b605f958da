package bundles

import "embed"

// TaskTypes are the AI task types of the process survey (klassifizieren,
// extrahieren, …), each mapped to a use case and an assumed time saving
// (schema: docs/schema/tasktypes.schema.json), read by internal/hotspot.
//
//go:embed tasktypes
var TaskTypes embed.FS

// Processes is the catalogue of typical municipal processes with their
// steps and example volumes (schema: docs/schema/processes.schema.json),
// read by internal/hotspot.
//
//go:embed processes
var Processes embed.FS
