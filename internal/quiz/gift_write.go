package quiz

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteGIFT writes questions in GIFT so that ParseGIFT (and Moodle) read
// them back: categories as $CATEGORY blocks, id and tags (including the
// competency fields as area:/level:/role: tags) in a comment line before
// each question, every special character escaped.
func WriteGIFT(w io.Writer, qs []Question) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "// Exported by KI-Check (GIFT). Competency area, level and roles are the tags area:…, level:…, role:….")
	fmt.Fprintln(bw)
	category := ""
	for i := range qs {
		q := &qs[i]
		if q.Category != category {
			// An empty $CATEGORY: returns to no category (KI-Check reads it
			// so; Moodle uses its default category).
			fmt.Fprintf(bw, "$CATEGORY: %s\n\n", q.Category)
			category = q.Category
		}
		writeGIFTQuestion(bw, q)
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

func writeGIFTQuestion(w *bufio.Writer, q *Question) {
	var meta []string
	if q.ID != "" {
		meta = append(meta, "[id:"+escapeBracket(q.ID)+"]")
	}
	for _, t := range q.exportTags() {
		meta = append(meta, "[tag:"+escapeBracket(t)+"]")
	}
	if len(meta) > 0 {
		fmt.Fprintf(w, "// %s\n", strings.Join(meta, " "))
	}
	var line strings.Builder
	if q.Title != "" {
		line.WriteString("::" + escapeGIFT(q.Title) + "::")
	}
	format := q.Format
	if format == "" {
		format = Moodle
	}
	text := escapeGIFT(q.Text)
	// A text that starts like a format tag, a comment or a category needs
	// the explicit format in front to be read back as text.
	if format != Moodle || strings.HasPrefix(text, "[") || (q.Title == "" && (strings.HasPrefix(text, "//") || strings.HasPrefix(text, "$CATEGORY"))) {
		line.WriteString("[" + string(format) + "]")
	}
	block := giftAnswerBlock(q)
	if block == "" {
		line.WriteString(text)
		w.WriteString(line.String() + "\n")
		return
	}
	before, after, ok := strings.Cut(q.Text, "_____")
	if ok && strings.TrimSpace(after) != "" && !strings.Contains(after, "_____") {
		// Missing word format: the answer block stands where the blank is.
		line.WriteString(escapeGIFT(before) + block + escapeGIFT(after))
	} else {
		line.WriteString(text + " " + block)
	}
	w.WriteString(line.String() + "\n")
}

// giftAnswerBlock returns {…} for q, or "" for a description.
func giftAnswerBlock(q *Question) string {
	var b strings.Builder
	gf := ""
	if q.GeneralFeedback != "" {
		gf = "####" + escapeGIFT(q.GeneralFeedback)
	}
	fb := func(s string) string {
		if s == "" {
			return ""
		}
		return "#" + escapeGIFT(s)
	}
	switch q.Type {
	case Description:
		return ""
	case Essay:
		return "{" + gf + "}"
	case TrueFalse:
		var right, wrong string
		letter := "F"
		if q.CorrectTrue() {
			letter = "T"
			right, wrong = q.Answers[0].Feedback, q.Answers[1].Feedback
		} else if len(q.Answers) == 2 {
			right, wrong = q.Answers[1].Feedback, q.Answers[0].Feedback
		}
		b.WriteString("{" + letter)
		if wrong != "" || right != "" {
			b.WriteString("#" + escapeGIFT(wrong))
		}
		if right != "" {
			b.WriteString("#" + escapeGIFT(right))
		}
		b.WriteString(gf + "}")
		return b.String()
	case Single, Multi:
		b.WriteString("{")
		usedEq := false
		for _, a := range q.Answers {
			b.WriteString("\n\t")
			switch {
			case q.Type == Single && !usedEq && isOne(a.Fraction):
				b.WriteString("=" + weightIfNeeded(a.Text, percent(1)))
				usedEq = true
			case a.Fraction == 0:
				b.WriteString("~" + weightIfNeeded(a.Text, ""))
			default:
				b.WriteString("~" + percent(a.Fraction))
			}
			b.WriteString(escapeGIFT(a.Text) + fb(a.Feedback))
		}
		b.WriteString("\n" + gf + "}")
		return b.String()
	case SelfRating:
		b.WriteString("{")
		for _, s := range q.Scale {
			b.WriteString("\n\t~" + weightIfNeeded(s, "") + escapeGIFT(s))
		}
		b.WriteString("\n" + gf + "}")
		return b.String()
	case Short:
		b.WriteString("{")
		for _, a := range q.Answers {
			b.WriteString("\n\t=")
			if !isOne(a.Fraction) {
				b.WriteString(percent(a.Fraction))
			} else {
				b.WriteString(weightIfNeeded(a.Text, percent(1)))
			}
			b.WriteString(escapeGIFT(a.Text) + fb(a.Feedback))
		}
		b.WriteString("\n" + gf + "}")
		return b.String()
	case Numerical:
		b.WriteString("{#")
		var other *NumericAnswer
		for i, n := range q.Numeric {
			if n.Other {
				other = &q.Numeric[i]
				continue
			}
			b.WriteString("\n\t=")
			if !isOne(n.Fraction) {
				b.WriteString(percent(n.Fraction))
			}
			if n.IsRange() {
				b.WriteString(formatNumber(*n.Min) + ".." + formatNumber(*n.Max))
			} else {
				b.WriteString(formatNumber(n.Value))
				if n.Tolerance != 0 {
					b.WriteString(":" + formatNumber(n.Tolerance))
				}
			}
			b.WriteString(fb(n.Feedback))
		}
		if other != nil {
			b.WriteString("\n\t~")
			if other.Fraction != 0 {
				b.WriteString(percent(other.Fraction))
			}
			b.WriteString(fb(other.Feedback))
		}
		b.WriteString("\n" + gf + "}")
		return b.String()
	case Matching:
		b.WriteString("{")
		for _, p := range q.Pairs {
			b.WriteString("\n\t=" + escapeGIFT(p.Question) + " -> " + escapeGIFT(p.Answer))
		}
		b.WriteString("\n" + gf + "}")
		return b.String()
	}
	return "{}"
}

// weightIfNeeded returns an explicit weight when the answer text itself
// starts with %, which would otherwise be read as a weight.
func weightIfNeeded(text, w string) string {
	if strings.HasPrefix(text, "%") {
		if w == "" {
			return "%0%"
		}
		return w
	}
	return ""
}

// percent writes a fraction as a GIFT weight, %50%, with Moodle's 5
// decimals of a percentage.
func percent(f float64) string {
	p := math.Round(f*1e7) / 1e5
	return "%" + strconv.FormatFloat(p, 'f', -1, 64) + "%"
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

var giftEscaper = strings.NewReplacer(
	`\`, `\\`, "~", `\~`, "=", `\=`, "#", `\#`, "{", `\{`, "}", `\}`, ":", `\:`,
	"\r\n", `\n`, "\n", `\n`, "\r", `\n`,
)

// escapeGIFT escapes the characters GIFT gives a meaning; a line break is
// written as \n so a question stays within its block.
func escapeGIFT(s string) string { return giftEscaper.Replace(s) }

// bracketEscaper writes an [id:…] or [tag:…] value on one comment line.
var bracketEscaper = strings.NewReplacer("\n", " ", "\r", " ", `\`, `\\`, "]", `\]`)

func escapeBracket(s string) string { return bracketEscaper.Replace(s) }
