package document

import (
	"fmt"
	"strings"
)

// Markdown writes the document as CommonMark with GitHub tables.
func (d *Document) Markdown() []byte {
	var b strings.Builder
	m := d.Meta
	fmt.Fprintf(&b, "# %s\n\n", mdText(m.Title))
	if m.Subtitle != "" {
		fmt.Fprintf(&b, "**%s**\n\n", mdText(m.Subtitle))
	}
	if line := m.metaLine(); line != "" {
		b.WriteString(mdText(line) + "\n\n")
	}
	if d.TOC {
		b.WriteString("**" + mdText(m.labels().Contents) + "**\n\n")
		for _, bl := range d.Blocks {
			if bl.Kind == Heading {
				fmt.Fprintf(&b, "%s- %s\n", strings.Repeat("  ", bl.Level-1), mdText(bl.Text))
			}
		}
		b.WriteString("\n")
	}
	for _, bl := range d.Blocks {
		switch bl.Kind {
		case Heading:
			fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", bl.Level+1), mdText(bl.Text))
		case Paragraph:
			b.WriteString(mdText(bl.Text) + "\n\n")
		case Note:
			b.WriteString("*" + mdText(bl.Text) + "*\n\n")
		case List:
			for _, it := range bl.Items {
				b.WriteString("- " + mdText(it) + "\n")
			}
			b.WriteString("\n")
		case Table:
			b.WriteString("| " + strings.Join(mdCells(bl.Header), " | ") + " |\n")
			b.WriteString("|" + strings.Repeat("---|", len(bl.Header)) + "\n")
			for _, r := range bl.Rows {
				b.WriteString("| " + strings.Join(mdCells(r), " | ") + " |\n")
			}
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "#", `\#`)

// mdText escapes what Markdown would read as markup and folds line ends.
func mdText(s string) string {
	return mdEscaper.Replace(strings.Join(strings.Fields(s), " "))
}

func mdCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.ReplaceAll(mdText(c), "|", `\|`)
		if out[i] == "" {
			out[i] = " "
		}
	}
	return out
}
