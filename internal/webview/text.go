package webview

import (
	"strings"

	"golang.org/x/net/html"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// maxParas bounds the paragraphs of one question text.
const maxParas = 200

// paragraphs splits a quiz text in format f into plain paragraphs for the
// page (html/template escapes them): HTML (imported from Moodle) loses its
// tags, block elements and <br> start new paragraphs; every other format
// is split at blank lines.
func paragraphs(text string, f quiz.TextFormat) []string {
	var out []string
	add := func(s string) {
		if s = strings.Join(strings.Fields(s), " "); s != "" && len(out) < maxParas {
			out = append(out, s)
		}
	}
	if f != quiz.HTML {
		for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
			add(p)
		}
		return out
	}
	var cur strings.Builder
	z := html.NewTokenizer(strings.NewReader(text))
	for {
		switch z.Next() {
		case html.ErrorToken:
			add(cur.String())
			return out
		case html.TextToken:
			cur.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "pre", "blockquote":
				add(cur.String())
				cur.Reset()
			case "td", "th":
				cur.WriteString(" ")
			}
		}
	}
}

// plain is a one-line plain text of a quiz text part in format f.
func plain(text string, f quiz.TextFormat) string {
	return strings.Join(paragraphs(text, f), " ")
}
