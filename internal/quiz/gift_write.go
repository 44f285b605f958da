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
	qf := q.Format
	if qf == "" {
		qf = Moodle
	}
	part := func(s string, f TextFormat) string { return giftPart(s, f, qf) }
	gf := ""
	if q.GeneralFeedback != "" {
		gf = "####" + part(q.GeneralFeedback, q.GeneralFeedbackFormat)
	}
	fb := func(s string, f TextFormat) string {
		if s == "" {
			return ""
		}
		return "#" + part(s, f)
	}
	switch q.Type {
	case Description:
		return ""
	case Essay:
		return "{" + gf + "}"
	case TrueFalse:
		var right, wrong string
		var rightF, wrongF TextFormat
		letter := "F"
		if q.CorrectTrue() {
			letter = "T"
			right, wrong = q.Answers[0].Feedback, q.Answers[1].Feedback
			rightF, wrongF = q.Answers[0].FeedbackFormat, q.Answers[1].FeedbackFormat
		} else if len(q.Answers) == 2 {
			right, wrong = q.Answers[1].Feedback, q.Answers[0].Feedback
			rightF, wrongF = q.Answers[1].FeedbackFormat, q.Answers[0].FeedbackFormat
		}
		b.WriteString("{" + letter)
		if wrong != "" || right != "" {
			b.WriteString("#" + part(wrong, wrongF))
		}
		if right != "" {
			b.WriteString("#" + part(right, rightF))
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
			b.WriteString(part(a.Text, a.Format) + fb(a.Feedback, a.FeedbackFormat))
		}
		b.WriteString("\n" + gf + "}")
		return b.String()
	case SelfRating:
		b.WriteString("{")
		for _, s := range q.Scale {
			b.WriteString("\n\t~" + weightIfNeeded(s, "") + part(s, ""))
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
			// Moodle reads a short answer's text without a format marker.
			b.WriteString(escapeGIFT(a.Text) + fb(a.Feedback, a.FeedbackFormat))
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
			b.WriteString(fb(n.Feedback, n.FeedbackFormat))
		}
		if other != nil {
			b.WriteString("\n\t~")
			if other.Fraction != 0 {
				b.WriteString(percent(other.Fraction))
			}
			b.WriteString(fb(other.Feedback, other.FeedbackFormat))
		}
		b.WriteString("\n" + gf + "}")
		return b.String()
	case Matching:
		b.WriteString("{")
		for _, p := range q.Pairs {
			b.WriteString("\n\t=" + part(p.Question, p.Format) + " -> " + escapeGIFT(p.Answer))
		}
		b.WriteString("\n" + gf + "}")
		return b.String()
	}
	return "{}"
}

// giftPart writes a part of a question (answer, feedback, sub-question)
// with its format marker: the part's own format, or the question's format
// qf when the text itself starts like a marker, so it is read back as
// text and not as a format.
func giftPart(text string, f, qf TextFormat) string {
	switch {
	case f != "":
		return "[" + string(f) + "]" + escapeGIFT(text)
	case startsWithFormat(text):
		return "[" + string(qf) + "]" + escapeGIFT(text)
	}
	return escapeGIFT(text)
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
