package quiz

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ki-reise/kicheck/internal/bundle"
)

// This file reads Moodle's GIFT format as Moodle's own importer
// (question/format/gift/format.php) does, with line and column in every
// error. docs/quiz-format.md lists the constructs and the few places where
// KI-Check is stricter or reads more than Moodle.

// gch is one character of a question block after escapes are resolved:
// esc marks a character written with a backslash, which never has a
// special meaning.
type gch struct {
	r    rune
	esc  bool
	line int
	col  int
}

type gtext []gch

func (t gtext) String() string {
	var b strings.Builder
	for _, c := range t {
		b.WriteRune(c.r)
	}
	return b.String()
}

// is reports whether t[i] is the unescaped rune r.
func (t gtext) is(i int, r rune) bool { return i >= 0 && i < len(t) && !t[i].esc && t[i].r == r }

func (t gtext) index(r rune) int {
	for i := range t {
		if t.is(i, r) {
			return i
		}
	}
	return -1
}

func (t gtext) indexSeq(seq string) int {
	rs := []rune(seq)
	for i := 0; i+len(rs) <= len(t); i++ {
		if t.seqAt(i, rs) {
			return i
		}
	}
	return -1
}

func (t gtext) lastIndexSeq(seq string) int {
	rs := []rune(seq)
	for i := len(t) - len(rs); i >= 0; i-- {
		if t.seqAt(i, rs) {
			return i
		}
	}
	return -1
}

// seqAt: the unescaped runes rs stand at i.
func (t gtext) seqAt(i int, rs []rune) bool {
	for j, r := range rs {
		if !t.is(i+j, r) {
			return false
		}
	}
	return true
}

func (t gtext) hasPrefix(s string) bool {
	return t.seqAt(0, []rune(s))
}

// trim drops unescaped white space at both ends.
func (t gtext) trim() gtext {
	for len(t) > 0 && !t[0].esc && unicode.IsSpace(t[0].r) {
		t = t[1:]
	}
	for len(t) > 0 && !t[len(t)-1].esc && unicode.IsSpace(t[len(t)-1].r) {
		t = t[:len(t)-1]
	}
	return t
}

func (t gtext) blank() bool { return len(t.trim()) == 0 }

// split cuts t before every unescaped rune in seps; every part but the
// first starts with its separator.
func (t gtext) split(seps string) []gtext {
	var parts []gtext
	start := 0
	for i, c := range t {
		if !c.esc && strings.ContainsRune(seps, c.r) {
			parts = append(parts, t[start:i])
			start = i
		}
	}
	return append(parts, t[start:])
}

// giftBlock is one question (or $CATEGORY) block: lines up to a blank line.
type giftBlock struct {
	line     int    // first line
	comments string // the // lines, joined
	raw      string // the other lines as written (for $CATEGORY)
	text     gtext
}

// giftEscapes are the characters a backslash makes literal; \n is a line
// break.
const giftEscapes = "~=#{}:\\"

func giftBlocks(data []byte) []giftBlock {
	data = decodeText(data)
	src := strings.ReplaceAll(string(data), "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	lines := strings.Split(src, "\n")
	var blocks []giftBlock
	var cur *giftBlock
	var raw []string
	flush := func() {
		if cur != nil {
			cur.raw = strings.Join(raw, "\n")
			blocks = append(blocks, *cur)
		}
		cur, raw = nil, nil
	}
	for n, line := range lines {
		lineNo := n + 1
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			flush()
			continue
		}
		if cur == nil {
			cur = &giftBlock{line: lineNo}
		}
		if strings.HasPrefix(trimmed, "//") {
			cur.comments += trimmed + "\n"
			continue
		}
		if len(raw) > 0 {
			cur.text = append(cur.text, gch{r: '\n', line: lineNo - 1, col: utf8.RuneCountInString(lines[n-1]) + 1})
		}
		raw = append(raw, line)
		col := 0
		rs := []rune(line)
		for i := 0; i < len(rs); i++ {
			col = i + 1
			r := rs[i]
			if r == '\\' && i+1 < len(rs) {
				next := rs[i+1]
				switch {
				case next == 'n':
					cur.text = append(cur.text, gch{r: '\n', esc: true, line: lineNo, col: col})
					i++
					continue
				case strings.ContainsRune(giftEscapes, next):
					cur.text = append(cur.text, gch{r: next, esc: true, line: lineNo, col: col})
					i++
					continue
				}
			}
			cur.text = append(cur.text, gch{r: r, line: lineNo, col: col})
		}
	}
	flush()
	return blocks
}

var (
	giftMetaRe = regexp.MustCompile(`\[(id|tag):((?:\\.|[^\]\\\n])*)\]`)
)

// ParseGIFT reads a GIFT file. It returns the questions that are valid and
// every problem found, each with line and column; a question with a
// problem is left out, the others are kept. A caller that must not accept a
// partly broken file checks len(errs) > 0.
func ParseGIFT(file string, data []byte) ([]Question, bundle.Errors) {
	p := giftParser{file: file}
	var out []Question
	seen := map[string]int{}
	for _, b := range giftBlocks(data) {
		if raw := strings.TrimSpace(b.raw); strings.HasPrefix(raw, "$CATEGORY:") {
			first, rest, more := strings.Cut(raw, "\n")
			if more && strings.TrimSpace(rest) != "" {
				// Moodle would take the question as part of the category name.
				p.errs = append(p.errs, newError(file, b.text[0].line, 1, msg("quizparse.gift.category_blank")))
			}
			p.category = strings.TrimSpace(strings.TrimPrefix(first, "$CATEGORY:"))
			continue
		}
		if b.text.blank() {
			continue // comments only
		}
		q, errs := p.question(b)
		if len(errs) == 0 && q.ID != "" {
			if first, dup := seen[q.ID]; dup {
				e := newError(file, b.line, 1, msg("quizparse.gift.duplicate_id", "ID", esc(q.ID), "Line", first))
				e.Question = q.ID
				errs = append(errs, e)
			} else {
				seen[q.ID] = b.line
			}
		}
		if len(errs) > 0 {
			p.errs = append(p.errs, errs...)
			continue
		}
		out = append(out, q)
	}
	return out, p.errs
}

type giftParser struct {
	file     string
	category string
	errs     bundle.Errors
}

func (p *giftParser) errAt(c gch, q *Question, id string, kv ...any) *bundle.Error {
	e := newError(p.file, c.line, c.col, msg(id, kv...))
	if q != nil {
		e.Question = questionLabel(q)
	}
	return e
}

func questionLabel(q *Question) string {
	if q.ID != "" {
		return q.ID
	}
	return q.Title
}

func (p *giftParser) question(b giftBlock) (Question, bundle.Errors) {
	q := Question{Category: p.category, Format: Moodle}
	// One left-to-right scan, so that "[tag:" inside an id is part of the
	// id and not a tag of its own.
	var tags []string
	for _, m := range giftMetaRe.FindAllStringSubmatch(b.comments, -1) {
		v := strings.TrimSpace(unescapeBracket(m[2]))
		switch {
		case m[1] == "id" && q.ID == "":
			q.ID = v
		case m[1] == "tag" && v != "":
			tags = append(tags, v)
		}
	}
	selfRating, tagProblems := q.importTags(tags)
	var errs bundle.Errors
	for _, m := range tagProblems {
		e := newError(p.file, b.line, 1, m)
		e.Question = questionLabel(&q)
		errs = append(errs, e)
	}

	t := b.text.trim()
	start := t[0]
	// ::title::
	if t.hasPrefix("::") {
		end := t[2:].indexSeq("::")
		if end < 0 {
			return q, append(errs, p.errAt(start, &q, "quizparse.gift.title_open"))
		}
		q.Title = strings.TrimSpace(t[2 : 2+end].String())
		t = t[2+end+2:].trim()
	}
	// [format]
	t, q.Format = giftFormat(t, q.Format)

	open := t.index('{')
	if open < 0 {
		if i := t.index('}'); i >= 0 {
			return q, append(errs, p.errAt(t[i], &q, "quizparse.gift.close_without_open"))
		}
		q.Type = Description
		q.Text = t.String()
		if selfRating {
			errs = append(errs, p.errAt(start, &q, "quizparse.gift.selfrating_scale"))
		}
		return p.finish(q, start, errs)
	}
	closeRel := t[open+1:].index('}')
	if closeRel < 0 {
		return q, append(errs, p.errAt(t[open], &q, "quizparse.gift.block_open"))
	}
	close := open + 1 + closeRel
	if i := t[open+1 : close].index('{'); i >= 0 {
		return q, append(errs, p.errAt(t[open+1+i], &q, "quizparse.gift.open_in_block"))
	}
	after := t[close+1:]
	for i := range after {
		if after.is(i, '{') || after.is(i, '}') {
			return q, append(errs, p.errAt(after[i], &q, "quizparse.gift.one_block", "Brace", string(after[i].r)))
		}
	}
	before := t[:open]
	if after.blank() {
		q.Text = before.String()
	} else {
		// Missing word format: the block stands for a blank in the text.
		q.Text = before.String() + "_____" + after.String()
	}

	block := t[open+1 : close]
	if i := block.lastIndexSeq("####"); i >= 0 {
		q.GeneralFeedback, q.GeneralFeedbackFormat = splitFormat(block[i+4:].String())
		block = block[:i]
	}
	block = block.trim()
	var aerrs bundle.Errors
	switch {
	case len(block) == 0:
		q.Type = Essay
	case block.is(0, '#'):
		q.Type = Numerical
		aerrs = p.numerical(&q, block[1:], t[open])
	case block.index('~') >= 0:
		q.Type = Multi
		if block.index('=') >= 0 {
			q.Type = Single
		}
		aerrs = p.choices(&q, block)
		if selfRating {
			q.Type = SelfRating
			for _, a := range q.Answers {
				q.Scale = append(q.Scale, a.Text)
			}
			q.Answers = nil
		}
	case isMatching(block):
		q.Type = Matching
		aerrs = p.matching(&q, block)
	case isTrueFalse(block):
		q.Type = TrueFalse
		p.trueFalse(&q, block)
	default:
		q.Type = Short
		aerrs = p.short(&q, block, t[open])
	}
	errs = append(errs, aerrs...)
	if selfRating && q.Type != SelfRating {
		errs = append(errs, p.errAt(start, &q, "quizparse.gift.selfrating_scale"))
	}
	return p.finish(q, start, errs)
}

// finish normalizes q and adds what Check finds, placed at the question.
func (p *giftParser) finish(q Question, start gch, errs bundle.Errors) (Question, bundle.Errors) {
	q.Normalize()
	for _, pr := range q.Check() {
		e := newError(p.file, start.line, start.col, pr.Msg)
		e.Question = questionLabel(&q)
		errs = append(errs, withField(e, pr.Field))
	}
	return q, errs
}

var giftFormats = map[string]TextFormat{"[markdown]": Markdown, "[html]": HTML, "[plain]": Plain, "[moodle]": Moodle}

func giftFormat(t gtext, def TextFormat) (gtext, TextFormat) {
	for tag, f := range giftFormats {
		if t.hasPrefix(tag) {
			return t[len(tag):].trim(), f
		}
	}
	return t, def
}

// splitFormat reads a [format] marker at the start of a part of a
// question (an answer, a feedback, a matching sub-question, the general
// feedback) as that part's format, as Moodle's importer does
// (parse_text_with_format); "" when there is none, and the part follows
// the question's format. An unknown [word] stays part of the text.
func splitFormat(s string) (string, TextFormat) {
	t := strings.TrimSpace(s)
	for tag, f := range giftFormats {
		if strings.HasPrefix(t, tag) {
			return strings.TrimSpace(t[len(tag):]), f
		}
	}
	return t, ""
}

// startsWithFormat reports a text that would be read as a format marker.
func startsWithFormat(s string) bool {
	_, f := splitFormat(s)
	return f != ""
}

// isMatching reports a block with an =pair that has -> before any #
// (Moodle looks for = and -> anywhere; a -> in a short answer's feedback
// would then turn it into a broken matching question).
func isMatching(block gtext) bool {
	for _, part := range block.split("=")[1:] {
		head, _ := feedbackSplit(part)
		if head.indexSeq("->") >= 0 {
			return true
		}
	}
	return false
}

func feedbackSplit(t gtext) (gtext, gtext) {
	if i := t.index('#'); i >= 0 {
		return t[:i], t[i:]
	}
	return t, nil
}

func isTrueFalse(block gtext) bool {
	head := block
	if i := block.index('#'); i >= 0 {
		head = block[:i]
	}
	switch strings.ToUpper(head.trim().String()) {
	case "T", "TRUE", "F", "FALSE":
		return true
	}
	return false
}

func (p *giftParser) trueFalse(q *Question, block gtext) {
	parts := block.split("#")
	correctTrue := strings.HasPrefix(strings.ToUpper(parts[0].trim().String()), "T")
	var wrong, right string
	var wrongF, rightF TextFormat
	if len(parts) > 1 {
		wrong, wrongF = splitFormat(parts[1][1:].String())
	}
	if len(parts) > 2 {
		// Like Moodle, everything after the second # is the right-answer
		// feedback.
		var rest gtext
		for _, x := range parts[2:] {
			rest = append(rest, x...)
		}
		right, rightF = splitFormat(rest[1:].String())
	}
	if correctTrue {
		q.Answers = []Answer{{Text: TrueText, Fraction: 1, Feedback: right, FeedbackFormat: rightF}, {Text: FalseText, Feedback: wrong, FeedbackFormat: wrongF}}
	} else {
		q.Answers = []Answer{{Text: TrueText, Feedback: wrong, FeedbackFormat: wrongF}, {Text: FalseText, Fraction: 1, Feedback: right, FeedbackFormat: rightF}}
	}
}

// weight reads an optional %n% at the start of t.
func (p *giftParser) weight(q *Question, t gtext) (gtext, float64, bool, *bundle.Error) {
	t = t.trim()
	if !t.is(0, '%') {
		return t, 0, false, nil
	}
	end := t[1:].index('%')
	if end < 0 {
		return t, 0, false, p.errAt(t[0], q, "quizparse.gift.weight_open")
	}
	s := strings.TrimSpace(t[1 : 1+end].String())
	w, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(w) || w < -100 || w > 100 {
		return t, 0, false, p.errAt(t[0], q, "quizparse.gift.weight_range", "Weight", esc(s))
	}
	return t[2+end:], NormalizeFraction(w / 100), true, nil
}

// fraction reads the optional %weight% after an answer's marker (part[0]):
// the rest of the answer and its fraction, def when there is no weight.
func (p *giftParser) fraction(q *Question, part gtext, def float64) (gtext, float64, *bundle.Error) {
	body, w, hasW, err := p.weight(q, part[1:])
	if hasW {
		def = w
	}
	return body, def, err
}

// rightAnswers splits a short-answer or numerical block into its
// answers, each starting with its = marker; Moodle reads a first answer
// without = ({answer}) as an accepted answer too.
func rightAnswers(block gtext) []gtext {
	parts := block.split("=")
	if parts[0].blank() {
		return parts[1:]
	}
	parts[0] = append(gtext{{r: '=', line: parts[0][0].line, col: parts[0][0].col}}, parts[0]...)
	return parts
}

// feedback splits "text#feedback" and reads the feedback's format marker.
func feedback(t gtext) (gtext, string, TextFormat) {
	if i := t.index('#'); i >= 0 {
		fb, f := splitFormat(t[i+1:].String())
		return t[:i], fb, f
	}
	return t, "", ""
}

func (p *giftParser) choices(q *Question, block gtext) bundle.Errors {
	var errs bundle.Errors
	parts := block.split("~=")
	if !parts[0].blank() {
		errs = append(errs, p.errAt(parts[0].trim()[0], q, "quizparse.gift.text_before_answer"))
	}
	for n, part := range parts[1:] {
		marker := part[0]
		right := 0.0
		if marker.r == '=' {
			right = 1
		}
		body, frac, err := p.fraction(q, part, right)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		text, fb, fbf := feedback(body)
		at, af := splitFormat(text.String())
		if at == "" {
			errs = append(errs, p.errAt(marker, q, "quizparse.answer_empty", "N", n+1))
			continue
		}
		q.Answers = append(q.Answers, Answer{Text: at, Format: af, Fraction: frac, Feedback: fb, FeedbackFormat: fbf})
	}
	return errs
}

func (p *giftParser) short(q *Question, block gtext, open gch) bundle.Errors {
	var errs bundle.Errors
	parts := rightAnswers(block)
	for n, part := range parts {
		body, frac, err := p.fraction(q, part, 1)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		// A short answer's text has no format in Moodle: [plain]x is
		// accepted as "[plain]x"; its feedback has one.
		text, fb, fbf := feedback(body)
		if text.blank() {
			errs = append(errs, p.errAt(part[0], q, "quizparse.answer_empty", "N", n+1))
			continue
		}
		q.Answers = append(q.Answers, Answer{Text: text.trim().String(), Fraction: frac, Feedback: fb, FeedbackFormat: fbf})
	}
	if len(parts) == 0 && len(errs) == 0 {
		errs = append(errs, p.errAt(open, q, "quizparse.gift.no_answer"))
	}
	return errs
}

func (p *giftParser) matching(q *Question, block gtext) bundle.Errors {
	var errs bundle.Errors
	parts := block.split("=")
	if !parts[0].blank() {
		errs = append(errs, p.errAt(parts[0].trim()[0], q, "quizparse.gift.text_before_pair"))
	}
	for n, part := range parts[1:] {
		arrow := part.indexSeq("->")
		if arrow < 0 {
			errs = append(errs, p.errAt(part[0], q, "quizparse.gift.pair_arrow", "N", n+1))
			continue
		}
		a := part[arrow+2:].trim()
		if len(a) == 0 {
			errs = append(errs, p.errAt(part[arrow], q, "quizparse.gift.pair_no_answer", "N", n+1))
			continue
		}
		// The sub-question may carry a format; the answer is plain text.
		sq, sf := splitFormat(part[1:arrow].String())
		q.Pairs = append(q.Pairs, Pair{Question: sq, Format: sf, Answer: a.String()})
	}
	return errs
}

func (p *giftParser) numerical(q *Question, block gtext, open gch) bundle.Errors {
	var errs bundle.Errors
	var other gtext
	if i := block.index('~'); i >= 0 {
		other, block = block[i:], block[:i]
	}
	for n, part := range rightAnswers(block) {
		body, frac, err := p.fraction(q, part, 1)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		spec, fb, fbf := feedback(body)
		spec = spec.trim()
		if len(spec) == 0 {
			errs = append(errs, p.errAt(part[0], q, "quizparse.gift.numerical_empty", "N", n+1))
			continue
		}
		na := NumericAnswer{Fraction: frac, Feedback: fb, FeedbackFormat: fbf}
		s := spec.String()
		num := func(x string) (float64, bool) {
			v, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				errs = append(errs, p.errAt(spec[0], q, "quizparse.gift.not_a_number", "Text", esc(strings.TrimSpace(x))))
				return 0, false
			}
			return v, true
		}
		if lo, hi, ok := strings.Cut(s, ".."); ok && strings.TrimSpace(lo) != "" {
			l, ok1 := num(lo)
			h, ok2 := num(hi)
			if !ok1 || !ok2 {
				continue
			}
			na.Min, na.Max = &l, &h
		} else if v, tol, ok := strings.Cut(s, ":"); ok {
			vv, ok1 := num(v)
			tt, ok2 := num(tol)
			if !ok1 || !ok2 {
				continue
			}
			na.Value, na.Tolerance = vv, tt
		} else {
			vv, ok := num(s)
			if !ok {
				continue
			}
			na.Value = vv
		}
		q.Numeric = append(q.Numeric, na)
	}
	if other != nil {
		body, w, _, err := p.weight(q, other[1:])
		if err != nil {
			errs = append(errs, err)
		} else {
			_, fb, fbf := feedback(body)
			q.Numeric = append(q.Numeric, NumericAnswer{Other: true, Fraction: w, Feedback: fb, FeedbackFormat: fbf})
		}
	}
	if len(q.Numeric) == 0 && len(errs) == 0 {
		errs = append(errs, p.errAt(open, q, "quizparse.gift.numerical_none"))
	}
	return errs
}

var bracketUnescape = regexp.MustCompile(`\\(.)`)

// unescapeBracket resolves \] and \\ in an [id:…] or [tag:…].
func unescapeBracket(s string) string { return bracketUnescape.ReplaceAllString(s, "$1") }
