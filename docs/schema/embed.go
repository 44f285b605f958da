// Package schema embeds the published JSON Schemas, so the packages that
// load bundles validate against the very files the documentation links to.
package schema

import "embed"

// FS holds every *.schema.json in this folder.
//
//go:embed *.schema.json
var FS embed.FS
