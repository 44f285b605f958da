package moochub

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// PlainText turns an HTML description into plain text: tags are dropped
// (block elements and <br> become line breaks, list items start with
// "• "), entities are decoded, script and style content is left out,
// control characters are removed and blank lines collapsed. The result is
// shown as text, never rendered.
func PlainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return cleanLines(s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return cleanLines(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "br":
				b.WriteString("\n")
			case "li":
				if tt == html.StartTagToken {
					b.WriteString("\n• ")
				}
			case "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section":
				b.WriteString("\n")
			}
		}
	}
}

var spaces = regexp.MustCompile(`[ \t\f\v\r\x{00a0}]+`)

func cleanLines(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return -1
		}
		return r
	}, s)
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// Clean makes a one-line value from outside safe to print: control
// characters (terminal escapes included) and bidi overrides are dropped,
// line breaks become spaces, and it is cut at 300 characters.
func Clean(s string) string {
	s = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r == '\r' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return -1
		}
		return r
	}, s)), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:299]) + "…"
	}
	return s
}

// DurationMinutes reads an ISO 8601 duration (PT3H, P2D, PT1H30M) as
// minutes; a day counts 24 h, a week 7 days, a month 30 days, a year 365
// days. ok is false for anything else.
func DurationMinutes(d string) (int, bool) {
	m := durationRE.FindStringSubmatch(d)
	if m == nil || d == "P" || d == "PT" {
		return 0, false
	}
	num := func(s string) float64 {
		if s == "" {
			return 0
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	total := num(m[1])*365*24*60 + num(m[2])*30*24*60 + num(m[3])*7*24*60 + num(m[4])*24*60 + num(m[5])*60 + num(m[6]) + num(m[7])/60
	if total > 1e9 {
		return 0, false
	}
	return int(total + 0.5), true
}

var durationRE = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// ISODuration writes minutes as an ISO 8601 duration (90 → PT1H30M).
func ISODuration(min int) string {
	if min <= 0 {
		return ""
	}
	h, m := min/60, min%60
	switch {
	case h == 0:
		return fmt.Sprintf("PT%dM", m)
	case m == 0:
		return fmt.Sprintf("PT%dH", h)
	}
	return fmt.Sprintf("PT%dH%dM", h, m)
}
