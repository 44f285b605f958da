// Package assets embeds the app icon and the translation files.
//
// The translations (lang/de.json, lang/en.json, and per capability
// lang/de.NAME.json, lang/en.NAME.json) are flat JSON maps from a stable
// message id to the text, in the format Fyne's lang package reads (go-i18n).
// All files of one language form one catalogue; an id may appear in only one
// of them. Texts may use Go template fields such as {{.Path}}. German is the
// default language; both languages must hold the same ids (tested).
package assets

import "embed"

// Lang holds lang/*.json.
//
//go:embed lang/*.json
var Lang embed.FS

// Icon is the app icon (PNG, 256×256).
//
//go:embed Icon.png
var Icon []byte
