package document

import (
	"fmt"
	"strings"
	"time"
)

// Meta is the document's metadata, written into every format.
type Meta struct {
	Title    string
	Subtitle string
	Language string // BCP 47, "de-DE"
	Version  string
	Date     time.Time // the document's date (the policy's Stand)
	Creator  string    // "KI-Check 1.2.3"
	Subject  string
	Keywords []string
	// Labels are the document's own words (German by default).
	Labels Labels
}

// Labels are the words a writer adds around the content.
type Labels struct {
	Contents string // "Inhalt"
	Version  string // "Version"
	Stand    string // "Stand"
	Page     string // "Seite"
	// AccessibleTitle and Accessible are the PDF's note on its first
	// page pointing at the accessible formats (pdf_a11y.go).
	AccessibleTitle string // "Barrierefreie Fassung"
	Accessible      string
}

// labels fills the German defaults for the words not given.
func (m Meta) labels() Labels {
	l := m.Labels
	if l.Contents == "" {
		l.Contents = "Inhalt"
	}
	if l.Version == "" {
		l.Version = "Version"
	}
	if l.Stand == "" {
		l.Stand = "Stand"
	}
	if l.Page == "" {
		l.Page = "Seite"
	}
	if l.AccessibleTitle == "" {
		l.AccessibleTitle = "Barrierefreie Fassung"
	}
	if l.Accessible == "" {
		l.Accessible = defaultAccessible
	}
	return l
}

// metaLine is "Version 1.0 · Stand 04.12.2026".
func (m Meta) metaLine() string {
	l := m.labels()
	var parts []string
	if m.Version != "" {
		parts = append(parts, l.Version+" "+m.Version)
	}
	if !m.Date.IsZero() {
		date := dateDE(m.Date)
		if strings.HasPrefix(m.Language, "en") {
			date = m.Date.Format("2 January 2006")
		}
		parts = append(parts, l.Stand+" "+date)
	}
	return strings.Join(parts, " · ")
}

// Kind of a block.
type Kind int

// Block kinds.
const (
	Heading Kind = iota
	Paragraph
	List
	Table
	Note // a small paragraph (legal references, sources)
)

// Block is one part of the body.
type Block struct {
	Kind   Kind
	Level  int // heading level 1–3
	Text   string
	Items  []string
	Header []string
	Rows   [][]string
}

// Document is metadata and body.
type Document struct {
	Meta   Meta
	Blocks []Block
	// TOC puts a table of contents after the title (ODT: a real index
	// that an office suite can update; PDF: outline bookmarks; Markdown:
	// a list of links).
	TOC bool
}

// New starts a document.
func New(m Meta) *Document {
	if m.Language == "" {
		m.Language = "de-DE"
	}
	return &Document{Meta: m}
}

// H adds a heading (level 1–3).
func (d *Document) H(level int, text string) {
	d.Blocks = append(d.Blocks, Block{Kind: Heading, Level: min(max(level, 1), 3), Text: text})
}

// P adds a paragraph.
func (d *Document) P(text string) { d.Blocks = append(d.Blocks, Block{Kind: Paragraph, Text: text}) }

// Small adds a small note paragraph.
func (d *Document) Small(text string) { d.Blocks = append(d.Blocks, Block{Kind: Note, Text: text}) }

// L adds a bullet list.
func (d *Document) L(items ...string) {
	d.Blocks = append(d.Blocks, Block{Kind: List, Items: items})
}

// T adds a table; every row is cut or padded to the header's width.
func (d *Document) T(header []string, rows [][]string) {
	n := len(header)
	fixed := make([][]string, len(rows))
	for i, r := range rows {
		row := make([]string, n)
		copy(row, r)
		fixed[i] = row
	}
	d.Blocks = append(d.Blocks, Block{Kind: Table, Header: header, Rows: fixed})
}

// Headings lists the headings' texts in order (what a table of contents shows).
func (d *Document) Headings() []string {
	var out []string
	for _, b := range d.Blocks {
		if b.Kind == Heading {
			out = append(out, b.Text)
		}
	}
	return out
}

// Format is an output format.
type Format string

// Formats.
const (
	ODT      Format = "odt"
	PDF      Format = "pdf"
	Markdown Format = "md"
)

// Formats lists the formats.
var Formats = []Format{ODT, PDF, Markdown}

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "odt":
		return ODT, nil
	case "pdf":
		return PDF, nil
	case "md", "markdown":
		return Markdown, nil
	}
	return "", fmt.Errorf("unknown format %q (valid: odt, pdf, md)", s)
}

// Render writes the document in a format.
func (d *Document) Render(f Format) ([]byte, error) {
	switch f {
	case ODT:
		return d.ODT()
	case PDF:
		return d.PDF()
	case Markdown:
		return d.Markdown(), nil
	}
	return nil, fmt.Errorf("unknown format %q", f)
}

// dateDE writes a date the German way (4. Dezember 2026 is 04.12.2026).
func dateDE(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02.01.2006")
}

// DocLabels are the labels in a language, from the caller's message texts.
func DocLabels(contents, version, stand, page string) Labels {
	return Labels{Contents: contents, Version: version, Stand: stand, Page: page}
}
