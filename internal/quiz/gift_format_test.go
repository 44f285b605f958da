package quiz

import (
	"bytes"
	"strings"
	"testing"
)

// Moodle's GIFT importer reads a format marker ([html], [moodle], [plain],
// [markdown]) before the question text and before each answer, each
// feedback and each matching sub-question (parse_text_with_format); a
// short answer's text and a matching answer stay plain. These cases are
// also fuzz seeds (giftFormatSeeds).
var giftFormatCases = []struct {
	name, src string
	check     func(t *testing.T, q Question)
}{
	{"answer marker", "Q {=[plain]blue ~red}", func(t *testing.T, q Question) {
		want(t, q.Answers[0].Text, "blue")
		want(t, q.Answers[0].Format, Plain)
		want(t, q.Answers[1].Format, TextFormat(""))
	}},
	{"marker after a weight", "Q {~%50%[html]<b>half</b> ~%50%[markdown]**half** ~wrong}", func(t *testing.T, q Question) {
		want(t, q.Answers[0].Text, "<b>half</b>")
		want(t, q.Answers[0].Format, HTML)
		want(t, q.Answers[1].Text, "**half**")
		want(t, q.Answers[1].Format, Markdown)
	}},
	{"feedback marker", "Q {=a#[html]<i>gut</i> ~b#[markdown]*nein*}", func(t *testing.T, q Question) {
		want(t, q.Answers[0].Feedback, "<i>gut</i>")
		want(t, q.Answers[0].FeedbackFormat, HTML)
		want(t, q.Answers[1].FeedbackFormat, Markdown)
	}},
	{"general feedback marker", "Q {=a ~b####[html]<p>Alles</p>}", func(t *testing.T, q Question) {
		want(t, q.GeneralFeedback, "<p>Alles</p>")
		want(t, q.GeneralFeedbackFormat, HTML)
	}},
	{"true/false feedbacks", "Q {T#[plain]falsch#[html]<b>richtig</b>}", func(t *testing.T, q Question) {
		want(t, q.Answers[0].Feedback, "<b>richtig</b>")
		want(t, q.Answers[0].FeedbackFormat, HTML)
		want(t, q.Answers[1].Feedback, "falsch")
		want(t, q.Answers[1].FeedbackFormat, Plain)
	}},
	{"matching sub-question marker, answer plain", "Q {=[html]<b>DSGVO</b> -> Datenschutz =KI-VO -> [plain]KI}", func(t *testing.T, q Question) {
		want(t, q.Pairs[0].Question, "<b>DSGVO</b>")
		want(t, q.Pairs[0].Format, HTML)
		want(t, q.Pairs[1].Format, TextFormat(""))
		want(t, q.Pairs[1].Answer, "[plain]KI")
	}},
	{"numerical feedback marker", "Q {#3:1#[markdown]**ja** ~#[plain]nein}", func(t *testing.T, q Question) {
		want(t, q.Numeric[0].FeedbackFormat, Markdown)
		want(t, q.Numeric[1].Feedback, "nein")
		want(t, q.Numeric[1].FeedbackFormat, Plain)
	}},
	{"short answer text stays plain, its feedback not", "Q {=[plain]blau#[html]<b>ja</b>}", func(t *testing.T, q Question) {
		want(t, q.Answers[0].Text, "[plain]blau")
		want(t, q.Answers[0].Format, TextFormat(""))
		want(t, q.Answers[0].FeedbackFormat, HTML)
	}},
	{"question's own format is no part format", "[html]Q {=[html]<b>a</b> ~b}", func(t *testing.T, q Question) {
		want(t, q.Format, HTML)
		want(t, q.Answers[0].Format, TextFormat(""))
		want(t, q.PartFormat(q.Answers[0].Format), HTML)
	}},
	{"unknown marker is text", "Q {=[rtf]x ~y}", func(t *testing.T, q Question) {
		want(t, q.Answers[0].Text, "[rtf]x")
		want(t, q.Answers[0].Format, TextFormat(""))
	}},
	{"text that only looks like a marker", "Q {=[moodle][plain]x ~y#[moodle][html]z}", func(t *testing.T, q Question) {
		want(t, q.Answers[0].Text, "[plain]x")
		want(t, q.Answers[0].Format, TextFormat(""))
		want(t, q.Answers[1].Feedback, "[html]z")
	}},
}

func want[T comparable](t *testing.T, got, w T) {
	t.Helper()
	if got != w {
		t.Errorf("got %#v, want %#v", got, w)
	}
}

func TestGIFTPartFormats(t *testing.T) {
	for _, c := range giftFormatCases {
		t.Run(c.name, func(t *testing.T) {
			qs, errs := ParseGIFT("f.gift", []byte(c.src))
			if len(errs) > 0 || len(qs) != 1 {
				t.Fatalf("%v %d", errs, len(qs))
			}
			c.check(t, qs[0])
			// Written back, the markers are there and read the same.
			var buf bytes.Buffer
			if err := WriteGIFT(&buf, qs); err != nil {
				t.Fatal(err)
			}
			again, errs := ParseGIFT("again.gift", buf.Bytes())
			if len(errs) > 0 || !sameQuestions(qs, again) {
				t.Fatalf("GIFT round trip differs (%v):\n%s", errs, buf.String())
			}
			c.check(t, again[0])
			// Moodle XML and the YAML bundle keep the part formats too.
			buf.Reset()
			if err := WriteMoodleXML(&buf, qs); err != nil {
				t.Fatal(err)
			}
			fromXML, errs := ParseMoodleXML("f.xml", bytes.NewReader(buf.Bytes()))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			c.check(t, fromXML[0])
			qs[0].ID = "q1"
			buf.Reset()
			if err := WriteBundle(&buf, &Bundle{Format: BundleFormat, ID: "b", Version: "1", Title: "B", Questions: qs}); err != nil {
				t.Fatal(err)
			}
			b, errs := ParseBundle("b.yaml", buf.Bytes())
			if len(errs) > 0 {
				t.Fatalf("%v\n%s", errs, buf.String())
			}
			c.check(t, b.Questions[0])
		})
	}
}

// TestGIFTWritesPartMarkers: the export writes each part's marker where
// Moodle expects it.
func TestGIFTWritesPartMarkers(t *testing.T) {
	q := Question{ID: "x", Type: Single, Text: "Q", Format: Moodle, GeneralFeedback: "<p>g</p>", GeneralFeedbackFormat: HTML,
		Answers: []Answer{{Text: "blue", Format: Plain, Fraction: 1, Feedback: "**ok**", FeedbackFormat: Markdown}, {Text: "[html]red"}}}
	var buf bytes.Buffer
	if err := WriteGIFT(&buf, []Question{q}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, w := range []string{"=[plain]blue#[markdown]**ok**", "~[moodle][html]red", "####[html]<p>g</p>"} {
		if !strings.Contains(out, w) {
			t.Errorf("GIFT lacks %q:\n%s", w, out)
		}
	}
}

func TestPartFormatChecked(t *testing.T) {
	q := Question{ID: "x", Type: Single, Text: "Q", Answers: []Answer{{Text: "a", Fraction: 1, Format: "rtf"}, {Text: "b"}}}
	ps := q.Check()
	if len(ps) != 1 || ps[0].Field != "answers[0].format" || !strings.Contains(ps[0].Text("de"), "unbekanntes Textformat") {
		t.Errorf("%v", ps)
	}
}
