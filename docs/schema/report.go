// Package schema carries the JSON Schemas published in docs/schema/, so the
// code validates against exactly the files the documentation links to.
package schema

import _ "embed"

// Report is report.schema.json, the schema of a KI-Check report
// (docs/report.md).
//
//go:embed report.schema.json
var Report []byte
