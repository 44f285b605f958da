// Package document is a small model of a text document (headings,
// paragraphs, lists, tables and metadata) and its writers: OpenDocument
// Text (ODT, ISO/IEC 26300; docs/odt.md), PDF (go-pdf/fpdf with the DejaVu
// fonts internal/report uses) and Markdown. The AI policy and the AI
// strategy (internal/policy, internal/strategy) build a Document; Export
// writes one atomically and signs it like a report (internal/signing).
//
// No ODT writer on the Go module proxy is maintained (see docs/odt.md), so
// the package writes the few parts ODT needs itself: a zip with the
// uncompressed mimetype first, the manifest, meta.xml, styles.xml with
// real heading styles (outline levels, so a table of contents works) and
// content.xml. The output depends only on the Document (fixed zip times).
package document
