// Package kicheck holds the project's top-level metadata file, FyneApp.toml,
// so the GUI takes its name, id, version and Fyne migrations from the same
// file the fyne packaging tool reads.
package kicheck

import _ "embed"

// FyneAppTOML is the content of FyneApp.toml.
//
//go:embed FyneApp.toml
var FyneAppTOML []byte
