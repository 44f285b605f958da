package quiz

import (
	"bytes"
	"encoding/xml"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// moodleElements are the child elements of <question> that Moodle's XML
// format (question/format/xml/format.php) writes and reads for each type.
var moodleElements = map[string][]string{
	"category":    {"category"},
	"multichoice": {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "single", "shuffleanswers", "answernumbering", "answer", "tags"},
	"truefalse":   {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "answer", "tags"},
	"shortanswer": {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "usecase", "answer", "tags"},
	"numerical":   {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "answer", "tags"},
	"matching":    {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "shuffleanswers", "subquestion", "tags"},
	"essay":       {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "responseformat", "responserequired", "responsefieldlines", "attachments", "graderinfo", "responsetemplate", "tags"},
	"description": {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "tags"},
}

var moodleAnswerElements = []string{"text", "feedback", "tolerance"}

func TestMoodleXMLWellFormedWithMoodleNames(t *testing.T) {
	b, err := LoadBundleFile("testdata/all-types.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteMoodleXML(&buf, b.Questions); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %.60s", out)
	}
	// Walk the tokens: well-formed, root <quiz>, only Moodle's names.
	dec := xml.NewDecoder(strings.NewReader(out))
	var stack []string
	var qtype string
	types := map[string]int{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := el.Name.Local
			switch len(stack) {
			case 0:
				if name != "quiz" {
					t.Fatalf("root %q", name)
				}
			case 1:
				if name != "question" {
					t.Fatalf("quiz child %q", name)
				}
				for _, a := range el.Attr {
					if a.Name.Local == "type" {
						qtype = a.Value
					}
				}
				types[qtype]++
			case 2:
				if !slices.Contains(moodleElements[qtype], name) {
					t.Errorf("%s question has element <%s>, not one of Moodle's", qtype, name)
				}
			case 3:
				if stack[2] == "answer" && !slices.Contains(moodleAnswerElements, name) {
					t.Errorf("answer has element <%s>", name)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	want := map[string]int{"category": 2, "multichoice": 3, "truefalse": 1, "shortanswer": 1, "numerical": 1, "matching": 1, "essay": 1, "description": 1}
	for k, v := range want {
		if types[k] != v {
			t.Errorf("%d questions of type %s, want %d (all: %v)", types[k], k, v, types)
		}
	}
	for _, s := range []string{`<answer fraction="50" format="markdown">`, `<answer fraction="-100" format="markdown">`,
		`<idnumber>b-multi</idnumber>`, `<text>area:A1</text>`, `<text>level:grundlage</text>`, `<text>role:it</text>`,
		`<text>type:selfrating</text>`, `<tolerance>1</tolerance>`, `<text>*</text>`, `<single>false</single>`,
		`<category>`, `<text>KI-Grundlagen/Begriffe</text>`, `<questiontext format="plain_text">`} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %s", s)
		}
	}
}

// TestMoodleXMLRoundTripProperty: what is written reads back the same,
// except what Moodle cannot hold (a range is value ± tolerance; an untitled
// question gets Moodle's name).
func TestMoodleXMLRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200; i++ {
		qs := genQuestions(rng, 1+rng.IntN(5))
		for j := range qs {
			if qs[j].Title == "" {
				qs[j].Title = "T"
			}
			for k := range qs[j].Numeric {
				qs[j].Numeric[k].Min, qs[j].Numeric[k].Max = nil, nil
			}
		}
		var buf bytes.Buffer
		if err := WriteMoodleXML(&buf, qs); err != nil {
			t.Fatal(err)
		}
		got, errs := ParseMoodleXML("gen.xml", &buf)
		if len(errs) > 0 {
			t.Fatalf("iteration %d: %v", i, errs)
		}
		assertSameQuestions(t, qs, got)
		if t.Failed() {
			t.Fatalf("iteration %d", i)
		}
	}
}

func TestMoodleXMLMoodleExamplesRoundTrip(t *testing.T) {
	qs := parseMoodleDocs(t)
	var buf bytes.Buffer
	if err := WriteMoodleXML(&buf, qs); err != nil {
		t.Fatal(err)
	}
	got, errs := ParseMoodleXML("m.xml", &buf)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(got) != len(qs) {
		t.Fatalf("%d questions back, want %d", len(got), len(qs))
	}
	for i := range qs {
		if got[i].Type != qs[i].Type || got[i].Text != qs[i].Text || summarizeNoRange(got[i]) != summarizeNoRange(qs[i]) {
			t.Errorf("question %d: %s %q %q, want %s %q %q", i, got[i].Type, got[i].Text, summarizeNoRange(got[i]), qs[i].Type, qs[i].Text, summarizeNoRange(qs[i]))
		}
	}
}

func summarizeNoRange(q Question) string {
	for i := range q.Numeric {
		q.Numeric[i].Min, q.Numeric[i].Max = nil, nil
	}
	return summarize(q)
}

func TestParseMoodleXMLErrors(t *testing.T) {
	_, errs := ParseMoodleXML("x.xml", strings.NewReader("<quiz><question type=\"cloze\"><name><text>C</text></name><questiontext><text>x</text></questiontext></question></quiz>"))
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, `"cloze" is not supported`) {
		t.Errorf("errors %v", errs)
	}
	_, errs = ParseMoodleXML("x.xml", strings.NewReader("<quiz><question>\n<oops></quiz>"))
	if len(errs) != 1 || errs[0].Line != 2 {
		t.Errorf("errors %v", errs)
	}
}

func FuzzParseMoodleXML(f *testing.F) {
	var buf bytes.Buffer
	b, _ := LoadBundleFile("testdata/all-types.yaml")
	WriteMoodleXML(&buf, b.Questions)
	f.Add(buf.Bytes())
	f.Add([]byte(`<quiz><question type="numerical"><answer fraction="x"><text>1,5</text></answer></question></quiz>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, errs := ParseMoodleXML("fuzz.xml", bytes.NewReader(data))
		assertRendered(t, errs)
		for _, q := range qs {
			if ps := q.Check(); len(ps) > 0 {
				t.Fatalf("returned an invalid question: %v", ps)
			}
		}
	})
}
