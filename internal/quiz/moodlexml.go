package quiz

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Moodle XML ("Moodle XML format" in Moodle's question import) is written
// with the element names of Moodle's own exporter
// (question/format/xml/format.php), so Moodle reads every field back:
// fractions as percentages, per-answer and general feedback, idnumber,
// tags (with the competency fields as area:/level:/role: tags) and
// categories as type="category" questions.

type mxQuiz struct {
	XMLName   xml.Name     `xml:"quiz"`
	Questions []mxQuestion `xml:"question"`
}

type mxText struct {
	Format string `xml:"format,attr,omitempty"`
	Text   string `xml:"text"`
}

type mxAnswer struct {
	Fraction  string  `xml:"fraction,attr"`
	Format    string  `xml:"format,attr,omitempty"`
	Text      string  `xml:"text"`
	Feedback  *mxText `xml:"feedback"`
	Tolerance string  `xml:"tolerance,omitempty"`
}

type mxSubquestion struct {
	Format string `xml:"format,attr"`
	Text   string `xml:"text"`
	Answer struct {
		Text string `xml:"text"`
	} `xml:"answer"`
}

type mxTag struct {
	Text string `xml:"text"`
}

type mxQuestion struct {
	Type     string  `xml:"type,attr"`
	Category *mxText `xml:"category"`

	Name            *mxText `xml:"name"`
	QuestionText    *mxText `xml:"questiontext"`
	GeneralFeedback *mxText `xml:"generalfeedback"`
	DefaultGrade    string  `xml:"defaultgrade,omitempty"`
	Penalty         string  `xml:"penalty,omitempty"`
	Hidden          string  `xml:"hidden,omitempty"`
	IDNumber        *string `xml:"idnumber"`

	// multichoice
	Single          string `xml:"single,omitempty"`
	ShuffleAnswers  string `xml:"shuffleanswers,omitempty"`
	AnswerNumbering string `xml:"answernumbering,omitempty"`
	// shortanswer
	UseCase string `xml:"usecase,omitempty"`
	// essay
	ResponseFormat     string  `xml:"responseformat,omitempty"`
	ResponseRequired   string  `xml:"responserequired,omitempty"`
	ResponseFieldLines string  `xml:"responsefieldlines,omitempty"`
	Attachments        string  `xml:"attachments,omitempty"`
	GraderInfo         *mxText `xml:"graderinfo"`
	ResponseTemplate   *mxText `xml:"responsetemplate"`

	Answers      []mxAnswer      `xml:"answer"`
	Subquestions []mxSubquestion `xml:"subquestion"`
	Tags         *struct {
		Tags []mxTag `xml:"tag"`
	} `xml:"tags"`
}

// moodleFormat maps our text formats to Moodle XML's format attribute.
var moodleFormat = map[TextFormat]string{
	HTML: "html", Moodle: "moodle_auto_format", Plain: "plain_text", Markdown: "markdown",
}

// partFormatOf is a part's format attribute; "" when absent (the part
// then follows the question; Normalize also clears the question's own).
func partFormatOf(s string) TextFormat {
	if s == "" {
		return ""
	}
	return fromMoodleFormat(s)
}

func fromMoodleFormat(s string) TextFormat {
	for f, m := range moodleFormat {
		if m == s {
			return f
		}
	}
	return HTML // Moodle's default
}

func xmlPercent(f float64) string {
	return strconv.FormatFloat(math.Round(f*1e7)/1e5, 'f', -1, 64)
}

// WriteMoodleXML writes questions as a Moodle XML quiz file.
func WriteMoodleXML(w io.Writer, qs []Question) error {
	var quiz mxQuiz
	category := ""
	for i := range qs {
		q := &qs[i]
		if q.Category != category {
			// An empty category returns to none (KI-Check reads it so;
			// Moodle keeps the category chosen at import).
			quiz.Questions = append(quiz.Questions, mxQuestion{Type: "category", Category: &mxText{Text: q.Category}})
		}
		category = q.Category
		quiz.Questions = append(quiz.Questions, toMoodleXML(q))
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(quiz); err != nil {
		return fmt.Errorf("write Moodle XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func toMoodleXML(q *Question) mxQuestion {
	format := q.Format
	if format == "" {
		format = Moodle
	}
	mf := moodleFormat[format]
	// A part with its own format (answer, feedback, sub-question) says so.
	partMF := func(f TextFormat) string {
		if f == "" {
			return mf
		}
		return moodleFormat[f]
	}
	id := q.ID
	x := mxQuestion{
		Name:            &mxText{Text: q.DisplayTitle()},
		QuestionText:    &mxText{Format: mf, Text: q.Text},
		GeneralFeedback: &mxText{Format: partMF(q.GeneralFeedbackFormat), Text: q.GeneralFeedback},
		DefaultGrade:    "1.0000000",
		Penalty:         "0.3333333",
		Hidden:          "0",
		IDNumber:        &id,
	}
	fb := func(s string, f TextFormat) *mxText { return &mxText{Format: partMF(f), Text: s} }
	switch q.Type {
	case Single, Multi, SelfRating:
		x.Type = "multichoice"
		x.Single = strconv.FormatBool(q.Type != Multi)
		x.ShuffleAnswers = "true"
		x.AnswerNumbering = "abc"
		if q.Type == SelfRating {
			x.ShuffleAnswers = "false" // a Likert scale keeps its order
			x.AnswerNumbering = "none"
			for _, s := range q.Scale {
				x.Answers = append(x.Answers, mxAnswer{Fraction: "0", Format: mf, Text: s, Feedback: fb("", "")})
			}
		}
		for _, a := range q.Answers {
			x.Answers = append(x.Answers, mxAnswer{Fraction: xmlPercent(a.Fraction), Format: partMF(a.Format), Text: a.Text, Feedback: fb(a.Feedback, a.FeedbackFormat)})
		}
	case TrueFalse:
		x.Type = "truefalse"
		for _, a := range q.Answers {
			x.Answers = append(x.Answers, mxAnswer{Fraction: xmlPercent(a.Fraction), Format: "moodle_auto_format", Text: a.Text, Feedback: fb(a.Feedback, a.FeedbackFormat)})
		}
	case Short:
		x.Type = "shortanswer"
		x.UseCase = "0"
		for _, a := range q.Answers {
			x.Answers = append(x.Answers, mxAnswer{Fraction: xmlPercent(a.Fraction), Format: "moodle_auto_format", Text: a.Text, Feedback: fb(a.Feedback, a.FeedbackFormat)})
		}
	case Numerical:
		x.Type = "numerical"
		for _, n := range q.Numeric {
			a := mxAnswer{Fraction: xmlPercent(n.Fraction), Format: "moodle_auto_format", Feedback: fb(n.Feedback, n.FeedbackFormat)}
			if n.Other {
				a.Text = "*"
				a.Tolerance = "0"
			} else {
				// Moodle has no ranges: min..max is its middle ± half-width.
				a.Text = formatNumber(n.Value)
				a.Tolerance = formatNumber(n.Tolerance)
			}
			x.Answers = append(x.Answers, a)
		}
	case Matching:
		x.Type = "matching"
		x.ShuffleAnswers = "true"
		for _, p := range q.Pairs {
			s := mxSubquestion{Format: partMF(p.Format), Text: p.Question}
			s.Answer.Text = p.Answer
			x.Subquestions = append(x.Subquestions, s)
		}
	case Essay:
		x.Type = "essay"
		x.ResponseFormat = "editor"
		x.ResponseRequired = "1"
		x.ResponseFieldLines = "15"
		x.Attachments = "0"
		x.GraderInfo = &mxText{Format: "html"}
		x.ResponseTemplate = &mxText{Format: "html"}
	case Description:
		x.Type = "description"
		x.DefaultGrade = "0.0000000"
		x.Penalty = "0.0000000"
	}
	if tags := q.exportTags(); len(tags) > 0 {
		x.Tags = &struct {
			Tags []mxTag `xml:"tag"`
		}{}
		for _, t := range tags {
			x.Tags.Tags = append(x.Tags.Tags, mxTag{Text: t})
		}
	}
	return x
}

// ParseMoodleXML reads a Moodle XML quiz file (the question types of the
// model; others are reported). Names given by Moodle to untitled questions
// are kept as titles; numerical ranges come back as value ± tolerance.
func ParseMoodleXML(file string, r io.Reader) ([]Question, bundle.Errors) {
	var quiz mxQuiz
	dec := xml.NewDecoder(r)
	// A file saved as "Unicode" by Notepad is UTF-16 and may say so; it
	// reaches the decoder as UTF-8 (ReadQuestions decodes it), otherwise
	// the decoder fails at its first byte already.
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-16", "utf-16le", "utf-16be", "utf16":
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q: save the file as UTF-8", label)
	}
	if err := dec.Decode(&quiz); err != nil {
		line, _ := dec.InputPos()
		return nil, bundle.Errors{newError(file, line, 1, msg("quizparse.xml.not_moodle", "Detail", esc(err.Error())))}
	}
	var out []Question
	var errs bundle.Errors
	category := ""
	for i, x := range quiz.Questions {
		if x.Type == "category" {
			if x.Category != nil {
				category = x.Category.Text
			}
			continue
		}
		q, problems := fromMoodleXML(x)
		q.Category = category
		q.Normalize()
		if len(problems) == 0 {
			for _, p := range q.Check() {
				problems = append(problems, p.Msg)
			}
		}
		for _, p := range problems {
			e := newError(file, 0, 0, p)
			e.Question = questionLabel(&q)
			errs = append(errs, withField(e, fmt.Sprintf("question[%d]", i+1)))
		}
		if len(problems) == 0 {
			out = append(out, q)
		}
	}
	return out, errs
}

func fromMoodleXML(x mxQuestion) (Question, []i18n.Msg) {
	var problems []i18n.Msg
	q := Question{}
	if x.Name != nil {
		q.Title = x.Name.Text
	}
	if x.QuestionText != nil {
		q.Text = x.QuestionText.Text
		q.Format = fromMoodleFormat(x.QuestionText.Format)
	}
	if x.GeneralFeedback != nil {
		q.GeneralFeedback = x.GeneralFeedback.Text
		q.GeneralFeedbackFormat = partFormatOf(x.GeneralFeedback.Format)
	}
	if x.IDNumber != nil {
		q.ID = *x.IDNumber
	}
	var tags []string
	if x.Tags != nil {
		for _, t := range x.Tags.Tags {
			tags = append(tags, t.Text)
		}
	}
	selfRating, tp := q.importTags(tags)
	problems = append(problems, tp...)
	fraction := func(s string) float64 {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			problems = append(problems, msg("quizparse.xml.fraction", "Text", esc(s)))
		}
		return NormalizeFraction(f / 100)
	}
	feedback := func(t *mxText) string {
		if t == nil {
			return ""
		}
		return t.Text
	}
	feedbackFormat := func(t *mxText) TextFormat {
		if t == nil {
			return ""
		}
		return partFormatOf(t.Format)
	}
	switch x.Type {
	case "multichoice":
		q.Type = Multi
		if x.Single == "true" || x.Single == "1" {
			q.Type = Single
		}
		for _, a := range x.Answers {
			q.Answers = append(q.Answers, Answer{Text: a.Text, Format: partFormatOf(a.Format), Fraction: fraction(a.Fraction),
				Feedback: feedback(a.Feedback), FeedbackFormat: feedbackFormat(a.Feedback)})
		}
		if selfRating {
			q.Type = SelfRating
			for _, a := range q.Answers {
				q.Scale = append(q.Scale, a.Text)
			}
			q.Answers = nil
		}
	case "truefalse":
		q.Type = TrueFalse
		for _, a := range x.Answers {
			q.Answers = append(q.Answers, Answer{Text: a.Text, Fraction: fraction(a.Fraction), Feedback: feedback(a.Feedback), FeedbackFormat: feedbackFormat(a.Feedback)})
		}
	case "shortanswer":
		q.Type = Short
		for _, a := range x.Answers {
			q.Answers = append(q.Answers, Answer{Text: a.Text, Fraction: fraction(a.Fraction), Feedback: feedback(a.Feedback), FeedbackFormat: feedbackFormat(a.Feedback)})
		}
	case "numerical":
		q.Type = Numerical
		for _, a := range x.Answers {
			n := NumericAnswer{Fraction: fraction(a.Fraction), Feedback: feedback(a.Feedback), FeedbackFormat: feedbackFormat(a.Feedback)}
			if strings.TrimSpace(a.Text) == "*" {
				n.Other = true
			} else {
				v, ok := ParseNumber(a.Text)
				if !ok {
					problems = append(problems, msg("quizparse.xml.numerical", "Text", esc(a.Text)))
				}
				n.Value = v
				if a.Tolerance != "" {
					t, ok := ParseNumber(a.Tolerance)
					if !ok {
						problems = append(problems, msg("quizparse.xml.tolerance", "Text", esc(a.Tolerance)))
					}
					n.Tolerance = t
				}
			}
			q.Numeric = append(q.Numeric, n)
		}
	case "matching":
		q.Type = Matching
		for _, s := range x.Subquestions {
			q.Pairs = append(q.Pairs, Pair{Question: s.Text, Answer: s.Answer.Text, Format: partFormatOf(s.Format)})
		}
	case "essay":
		q.Type = Essay
	case "description":
		q.Type = Description
	default:
		problems = append(problems, msg("quizparse.xml.unsupported_type", "Type", esc(x.Type)))
	}
	if selfRating && q.Type != SelfRating {
		problems = append(problems, msg("quizparse.xml.selfrating_not_scale"))
	}
	return q, problems
}
