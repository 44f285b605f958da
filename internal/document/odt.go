package document

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"math"
	"strings"
	"time"
)

// MimeODT is the media type of an OpenDocument text.
const MimeODT = "application/vnd.oasis.opendocument.text"

// ODF namespaces used below (ODF 1.3, ISO/IEC 26300).
const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
	`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:xlink="http://www.w3.org/1999/xlink"`

const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// ODT writes the document as an OpenDocument text package (docs/odt.md):
// the mimetype entry first and uncompressed, then content.xml, styles.xml,
// meta.xml and META-INF/manifest.xml, all with the document's date as
// their time, so the same document gives the same bytes.
func (d *Document) ODT() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	mod := d.Meta.Date
	if mod.IsZero() {
		mod = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	// mimetype: stored, no data descriptor, no extra field (ODF 1.3 part 2, 3.3).
	mt := []byte(MimeODT)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store, Modified: mod,
		CRC32: crc32.ChecksumIEEE(mt), CompressedSize64: uint64(len(mt)), UncompressedSize64: uint64(len(mt))})
	if err != nil {
		return nil, fmt.Errorf("write odt: %w", err)
	}
	if _, err := w.Write(mt); err != nil {
		return nil, fmt.Errorf("write odt: %w", err)
	}
	for _, part := range []struct{ name, body string }{
		{"content.xml", d.odtContent()},
		{"styles.xml", d.odtStyles()},
		{"meta.xml", d.odtMeta()},
		{"META-INF/manifest.xml", odtManifest},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return nil, fmt.Errorf("write odt: %w", err)
		}
		if _, err := w.Write([]byte(part.body)); err != nil {
			return nil, fmt.Errorf("write odt: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("write odt: %w", err)
	}
	return buf.Bytes(), nil
}

const odtManifest = xmlDecl + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="` + MimeODT + `"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`

// x escapes text for XML and drops characters XML 1.0 cannot hold.
func x(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return -1
	}, s)
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// inline is a paragraph's text: whitespace folded, line ends kept as
// line breaks.
func inline(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = x(strings.Join(strings.Fields(l), " "))
	}
	return strings.Join(lines, "<text:line-break/>")
}

func (d *Document) odtMeta() string {
	m := d.Meta
	var b strings.Builder
	b.WriteString(xmlDecl + `<office:document-meta ` + odfNS + ` office:version="1.3"><office:meta>`)
	if m.Creator != "" {
		b.WriteString("<meta:generator>" + x(m.Creator) + "</meta:generator>")
	}
	b.WriteString("<dc:title>" + x(m.Title) + "</dc:title>")
	if m.Subject != "" {
		b.WriteString("<dc:subject>" + x(m.Subject) + "</dc:subject>")
	}
	for _, k := range m.Keywords {
		b.WriteString("<meta:keyword>" + x(k) + "</meta:keyword>")
	}
	b.WriteString("<dc:language>" + x(m.Language) + "</dc:language>")
	if !m.Date.IsZero() {
		ts := m.Date.UTC().Format("2006-01-02T15:04:05")
		b.WriteString("<meta:creation-date>" + ts + "</meta:creation-date><dc:date>" + ts + "</dc:date>")
	}
	if m.Version != "" {
		b.WriteString(`<meta:user-defined meta:name="Version">` + x(m.Version) + `</meta:user-defined>`)
	}
	b.WriteString("</office:meta></office:document-meta>\n")
	return b.String()
}

func (d *Document) odtStyles() string {
	lang, country := "de", "DE"
	if l, c, ok := strings.Cut(d.Meta.Language, "-"); ok {
		lang, country = l, c
	} else if d.Meta.Language != "" {
		lang, country = d.Meta.Language, ""
	}
	langAttr := fmt.Sprintf(`fo:language="%s" fo:country="%s"`, x(lang), x(country))
	if country == "" {
		langAttr = fmt.Sprintf(`fo:language="%s"`, x(lang))
	}
	heading := func(level int, size string) string {
		return fmt.Sprintf(`<style:style style:name="Heading_20_%d" style:display-name="Heading %d" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="%d" style:class="text"><style:paragraph-properties fo:margin-top="%s" fo:margin-bottom="0.21cm"/><style:text-properties fo:font-size="%s" fo:font-weight="bold"/></style:style>`,
			level, level, level, map[int]string{1: "0.42cm", 2: "0.35cm", 3: "0.25cm"}[level], size)
	}
	contents := func(level int) string {
		return fmt.Sprintf(`<style:style style:name="Contents_20_%d" style:display-name="Contents %d" style:family="paragraph" style:parent-style-name="Index" style:class="index"><style:paragraph-properties fo:margin-left="%.2fcm"><style:tab-stops><style:tab-stop style:position="16cm" style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops></style:paragraph-properties></style:style>`,
			level, level, float64(level-1)*0.5)
	}
	var outline strings.Builder
	for l := 1; l <= 10; l++ {
		fmt.Fprintf(&outline, `<text:outline-level-style text:level="%d" style:num-format=""/>`, l)
	}
	return xmlDecl + `<office:document-styles ` + odfNS + ` office:version="1.3">
<office:font-face-decls><style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'" style:font-family-generic="swiss"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/><style:text-properties style:font-name="DejaVu Sans" fo:font-size="10.5pt" ` + langAttr + `/></style:default-style>
<style:default-style style:family="table"/>
<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.21cm" fo:line-height="115%"/></style:style>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:keep-with-next="always"/></style:style>
` + heading(1, "16pt") + heading(2, "13pt") + heading(3, "11.5pt") + `
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Subtitle" style:class="chapter"><style:paragraph-properties fo:text-align="start"/><style:text-properties fo:font-size="22pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:class="chapter"><style:text-properties fo:font-size="13pt"/></style:style>
<style:style style:name="Note" style:display-name="Note" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text"><style:text-properties fo:font-size="9pt" fo:color="#555555"/></style:style>
<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:text-properties fo:font-size="9.5pt"/></style:style>
<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Index" style:family="paragraph" style:parent-style-name="Standard" style:class="index"/>
<style:style style:name="Contents_20_Heading" style:display-name="Contents Heading" style:family="paragraph" style:parent-style-name="Heading" style:class="index"><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>
` + contents(1) + contents(2) + contents(3) + `
<text:outline-style style:name="Outline">` + outline.String() + `</text:outline-style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
</office:document-styles>
`
}

func (d *Document) odtContent() string {
	var b, cols strings.Builder
	b.WriteString(xmlDecl + `<office:document-content ` + odfNS + ` office:version="1.3">
<office:automatic-styles>
<style:style style:name="Tab" style:family="table"><style:table-properties style:width="16.5cm" table:align="margins" fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/></style:style>
<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #808080"/></style:style>
<style:style style:name="HeadCell" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #808080" fo:background-color="#e6e6e6"/></style:style>
<style:style style:name="Sect1" style:family="section"><style:section-properties style:editable="false"/></style:style>
%COLSTYLES%<text:list-style style:name="L1"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>
</office:automatic-styles>
<office:body><office:text>
`)
	m := d.Meta
	b.WriteString(`<text:p text:style-name="Title">` + inline(m.Title) + "</text:p>\n")
	if m.Subtitle != "" {
		b.WriteString(`<text:p text:style-name="Subtitle">` + inline(m.Subtitle) + "</text:p>\n")
	}
	if line := m.metaLine(); line != "" {
		b.WriteString(`<text:p text:style-name="Text_20_body">` + inline(line) + "</text:p>\n")
	}
	if d.TOC {
		d.odtTOC(&b)
	}
	tables := 0
	for _, bl := range d.Blocks {
		switch bl.Kind {
		case Heading:
			fmt.Fprintf(&b, `<text:h text:style-name="Heading_20_%d" text:outline-level="%d">%s</text:h>`+"\n", bl.Level, bl.Level, inline(bl.Text))
		case Paragraph:
			b.WriteString(`<text:p text:style-name="Text_20_body">` + inline(bl.Text) + "</text:p>\n")
		case Note:
			b.WriteString(`<text:p text:style-name="Note">` + inline(bl.Text) + "</text:p>\n")
		case List:
			b.WriteString(`<text:list text:style-name="L1">`)
			for _, it := range bl.Items {
				b.WriteString(`<text:list-item><text:p text:style-name="Text_20_body">` + inline(it) + `</text:p></text:list-item>`)
			}
			b.WriteString("</text:list>\n")
		case Table:
			tables++
			fmt.Fprintf(&b, `<table:table table:name="Tabelle%d" table:style-name="Tab">`, tables)
			for i, w := range columnShares(bl) {
				name := fmt.Sprintf("Tab%d.C%d", tables, i+1)
				fmt.Fprintf(&cols, `<style:style style:name="%s" style:family="table-column"><style:table-column-properties style:column-width="%.2fcm"/></style:style>`, name, 16.5*w)
				fmt.Fprintf(&b, `<table:table-column table:style-name="%s"/>`, name)
			}
			b.WriteString("<table:table-header-rows>")
			odtRow(&b, bl.Header, "HeadCell", "Table_20_Heading")
			b.WriteString("</table:table-header-rows>")
			for _, r := range bl.Rows {
				odtRow(&b, r, "Cell", "Table_20_Contents")
			}
			b.WriteString("</table:table>\n")
		}
	}
	b.WriteString("</office:text></office:body></office:document-content>\n")
	return strings.Replace(b.String(), "%COLSTYLES%", cols.String(), 1)
}

func odtRow(b *strings.Builder, cells []string, cellStyle, paraStyle string) {
	b.WriteString("<table:table-row>")
	for _, c := range cells {
		fmt.Fprintf(b, `<table:table-cell table:style-name="%s" office:value-type="string"><text:p text:style-name="%s">%s</text:p></table:table-cell>`, cellStyle, paraStyle, inline(c))
	}
	b.WriteString("</table:table-row>")
}

// odtTOC writes a table of contents an office suite can update (F9 /
// "Verzeichnis aktualisieren"); its body lists the headings already, the
// page numbers follow on the first update.
func (d *Document) odtTOC(b *strings.Builder) {
	b.WriteString(`<text:table-of-content text:style-name="Sect1" text:protected="true" text:name="Inhaltsverzeichnis1"><text:table-of-content-source text:outline-level="3"><text:index-title-template text:style-name="Contents_20_Heading">` + x(d.Meta.labels().Contents) + `</text:index-title-template>`)
	for l := 1; l <= 3; l++ {
		fmt.Fprintf(b, `<text:table-of-content-entry-template text:outline-level="%d" text:style-name="Contents_20_%d"><text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/></text:table-of-content-entry-template>`, l, l)
	}
	b.WriteString(`</text:table-of-content-source><text:index-body><text:index-title text:style-name="Sect1" text:name="Inhaltsverzeichnis1_Head"><text:p text:style-name="Contents_20_Heading">` + x(d.Meta.labels().Contents) + `</text:p></text:index-title>`)
	for _, bl := range d.Blocks {
		if bl.Kind == Heading {
			fmt.Fprintf(b, `<text:p text:style-name="Contents_20_%d">%s</text:p>`, bl.Level, inline(bl.Text))
		}
	}
	b.WriteString("</text:index-body></text:table-of-content>\n")
}

// columnShares splits the table width by how much text each column holds
// (square root, so one long column does not starve the others), each at
// least half an equal share.
func columnShares(bl Block) []float64 {
	n := len(bl.Header)
	w := make([]float64, n)
	word := make([]float64, n) // the longest word, as a share of 16.5 cm (about 0.2 cm a letter, plus padding)
	for _, row := range append([][]string{bl.Header}, bl.Rows...) {
		for i, c := range row {
			w[i] += float64(len([]rune(c)) + 4)
			for _, f := range strings.Fields(c) {
				word[i] = max(word[i], (float64(len([]rune(f)))*0.2+0.4)/16.5)
			}
		}
	}
	var sum float64
	for i := range w {
		w[i] = math.Sqrt(w[i])
		sum += w[i]
	}
	floor := 0.5 / float64(n)
	var total float64
	for i := range w {
		w[i] = max(w[i]/sum, floor, min(word[i], 0.9/float64(n)*2))
		total += w[i]
	}
	for i := range w {
		w[i] /= total
	}
	return w
}
