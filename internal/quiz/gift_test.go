package quiz

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func TestParseGIFTMoodleExamples(t *testing.T) {
	data, err := os.ReadFile("testdata/moodle-docs.gift")
	if err != nil {
		t.Fatal(err)
	}
	qs, errs := ParseGIFT("moodle-docs.gift", data)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	type want struct {
		typ     Type
		title   string
		text    string
		answers string // "text=fraction#feedback|…" or pairs "q->a|…" or numbers
	}
	wants := []want{
		{Single, "", "Who's buried in Grant's tomb?", "Grant=0|Jefferson=0|no one=1"},
		{Single, "", "Grant is _____ in Grant's tomb.", "buried=0|entombed=1|living=0"},
		{TrueFalse, "", "Grant is buried in Grant's tomb.", "true=0|false=1"},
		{TrueFalse, "", "The sun rises in the east.", "true=1|false=0"},
		{Short, "", "Who's buried in Grant's tomb?", "no one=1|nobody=1"},
		{Short, "", "Two plus two equals _____.", "four=1|4=1"},
		{Matching, "", "Match the following countries with their corresponding capitals.", "Canada->Ottawa|Italy->Rome|Japan->Tokyo|India->New Delhi"},
		{Single, "", "Moodle costs _____ to download from moodle.org.", "lots of money=0|nothing=1|a small amount=0"},
		{Numerical, "", "When was Ulysses S. Grant born?", "1822:5=1"},
		{Numerical, "", "What is the value of pi (to 3 decimal places)? _____.", "3.141..3.142=1"},
		{Numerical, "", "When was Ulysses S. Grant born?", "1822:0=1|1822:2=0.5"},
		{Essay, "", "Write a short biography of Dag Hammarskjöld.", ""},
		{Description, "", "You can use your pencil and paper for these next math questions.", ""},
		{Multi, "", "What two people are entombed in Grant's tomb?", "No one=-1|Grant=0.5|Grant's wife=0.5|Grant's father=-1"},
		{Single, "", "What's the answer to this multiple-choice question?", "wrong answer=0#feedback comment on the wrong answer|another wrong answer=0#feedback comment on this wrong answer|right answer=1#Very good!"},
		{Short, "", "Who's buried in Grant's tomb?", "no one=1#excellent answer!|nobody=1#excellent answer!"},
		{TrueFalse, "", "Grant is buried in Grant's tomb.", "true=0#No one is buried in Grant's tomb.|false=1#Right, no one."},
		{Single, "", "Grant is buried in Grant's tomb.", "Grant=0.5|no one=1|Jefferson=0"},
		{Short, "Kanji Origins", "Japanese characters originally\ncame from what country?", "China=1"},
		{Single, "Thanksgiving Date", "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November.", "second=0|third=0|fourth=1"},
		{Short, "Q1", "What is 2+2?", "4=1"},
		{Single, "Escapes: all of them", "Which characters are special in GIFT?", "~ = # { } :=1#Right: these six.|only # and \\=0#No, a backslash escapes them."},
		{Single, "Q2", "What's between orange and green in the spectrum?", "yellow=1#right; good!|red=0#wrong, it's yellow|blue=0#wrong, it's yellow"},
		{Short, "Q3", "Two plus _____ equals four.", "two=1|2=1"},
		{Matching, "Q4", "Which animal eats which food?", "cat->cat food|dog->dog food"},
		{Numerical, "Q5", "What is a number from 1 to 5?", "3:2=1"},
		{Numerical, "Q6", "What is a number from 1 to 5?", "1..5=1"},
		{Numerical, "Q7", "When was Ulysses S. Grant born?", "1822:0=1#Correct! Full credit.|1822:2=0.5#He was born in 1822. Half credit for being close."},
		{Essay, "Q8", "How are you?", ""},
		{TrueFalse, "Format", "Is **this** bold?", "true=1|false=0"},
		{TrueFalse, "HTML", "<p>Is <b>this</b> bold?</p>", "true=1|false=0"},
		{Short, "In a category", "Plain text question", "plain=1"},
		{Numerical, "Numeric other", "How many days has a week?", "7:0=1|*=0#A week has seven days."},
		{Matching, "Match with distractor", "Match the laws.", "DSGVO->data protection|KI-VO->AI systems|->public procurement"},
		{Short, "Newline", "First line\nsecond line", "ok=1"},
	}
	if len(qs) != len(wants) {
		for _, q := range qs {
			t.Logf("%s %q", q.Type, q.Text)
		}
		t.Fatalf("%d questions, want %d", len(qs), len(wants))
	}
	for i, w := range wants {
		q := qs[i]
		if q.Type != w.typ || q.Title != w.title || q.Text != w.text || summarize(q) != w.answers {
			t.Errorf("question %d:\n got %s %q %q %q\nwant %s %q %q %q", i+1, q.Type, q.Title, q.Text, summarize(q), w.typ, w.title, w.text, w.answers)
		}
	}
	if g := qs[20].GeneralFeedback; g != "The answer is four." {
		t.Errorf("general feedback %q", g)
	}
	f := qs[29]
	if f.ID != "fmt-1" || f.Format != Markdown || f.Area != "A1" || f.Level != Grundlage ||
		strings.Join(rolesStrings(f.Roles), ",") != "anwender,it" || strings.Join(f.Tags, ",") != "formats" {
		t.Errorf("format/id/tags question: %+v", f)
	}
	if qs[30].Format != HTML || qs[0].Format != Moodle || qs[31].Format != Plain {
		t.Errorf("formats %q %q %q", qs[30].Format, qs[0].Format, qs[31].Format)
	}
	if qs[30].Category != "" || qs[31].Category != "$course$/top/KI-Grundlagen/Begriffe" || qs[31].ID != "cat-1" {
		t.Errorf("category %q / %q id %q", qs[30].Category, qs[31].Category, qs[31].ID)
	}
}

func rolesStrings(rs []Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// summarize writes a question's answers compactly for table tests.
func summarize(q Question) string {
	var parts []string
	for _, a := range q.Answers {
		parts = append(parts, a.Text+"="+formatNumber(a.Fraction)+fbSuffix(a.Feedback))
	}
	for _, p := range q.Pairs {
		parts = append(parts, p.Question+"->"+p.Answer)
	}
	for _, n := range q.Numeric {
		var s string
		switch {
		case n.Other:
			s = "*"
		case n.IsRange():
			s = formatNumber(*n.Min) + ".." + formatNumber(*n.Max)
		default:
			s = formatNumber(n.Value) + ":" + formatNumber(n.Tolerance)
		}
		parts = append(parts, s+"="+formatNumber(n.Fraction)+fbSuffix(n.Feedback))
	}
	parts = append(parts, q.Scale...)
	return strings.Join(parts, "|")
}

func fbSuffix(s string) string {
	if s == "" {
		return ""
	}
	return "#" + s
}

func TestParseGIFTErrors(t *testing.T) {
	tests := []struct {
		name      string
		gift      string
		line, col int
		msg       string
		valid     int
	}{
		{"unclosed block", "Q1 {=a\n\nQ2 {=b}\n", 1, 4, "not closed with }", 1},
		{"stray close", "ok {=a}\n\nQ } x\n", 3, 3, "} without {", 1},
		{"two blocks", "Q {=a} and {=b}\n", 1, 12, "only one answer block", 0},
		{"unclosed title", "::Title Q {=a}\n", 1, 1, "title opened with ::", 0},
		{"empty answer", "Q {=a ~ ~c}\n", 1, 7, "answer 2 is empty", 0},
		{"bad weight", "Q {~%150%a =b}\n", 1, 5, "not a percentage", 0},
		{"weight not closed", "Q {~%50a =b}\n", 1, 5, "weight not closed", 0},
		{"bad number", "\n\nQ {#abc}\n", 3, 5, `"abc" is not a number`, 0},
		{"pair without arrow", "Q {=a -> b =c}\n", 1, 12, "pair 2 has no ->", 0},
		{"text before answers", "Q {x ~a =b}\n", 1, 4, "text before the first answer", 0},
		{"multi without positive", "Q {~a ~b}\n", 1, 1, "positive fraction", 0},
		{"duplicate id", "// [id:a]\nQ1 {T}\n\n// [id:a]\nQ2 {F}\n", 4, 1, `duplicate id "a"`, 1},
		{"two areas", "// [tag:area:A1] [tag:area:A2]\nQ {T}\n", 1, 1, "two competency areas", 0},
		{"brace inside block", "Q {=a {b}\n", 1, 7, "{ inside an answer block", 0},
		{"column counts runes", "Größe {=a\n", 1, 7, "not closed", 0},
		{"category without blank line", "// c\n$CATEGORY: a/b\n::Q:: x {T}\n", 2, 1, "followed by a blank line", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qs, errs := ParseGIFT("t.gift", []byte(tc.gift))
			if len(errs) == 0 {
				t.Fatalf("no error, questions %+v", qs)
			}
			e := errs[0]
			if e.Line != tc.line || e.Column != tc.col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %v, want %d:%d %q", e, tc.line, tc.col, tc.msg)
			}
			if !strings.HasPrefix(e.Error(), "t.gift:") {
				t.Errorf("error does not name the file: %v", e)
			}
			if len(qs) != tc.valid {
				t.Errorf("%d valid questions, want %d", len(qs), tc.valid)
			}
		})
	}
}

// TestGIFTRoundTripProperty: for generated questions of every type with
// texts full of GIFT's special characters, parse(write(q)) == q.
func TestGIFTRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		qs := genQuestions(rng, 1+rng.IntN(6))
		var buf bytes.Buffer
		if err := WriteGIFT(&buf, qs); err != nil {
			t.Fatal(err)
		}
		got, errs := ParseGIFT("gen.gift", buf.Bytes())
		if len(errs) > 0 {
			t.Fatalf("iteration %d: %v\n%s", i, errs, buf.String())
		}
		if !sameQuestions(qs, got) {
			a, _ := json.MarshalIndent(qs, "", " ")
			b, _ := json.MarshalIndent(got, "", " ")
			t.Fatalf("iteration %d: round trip differs\nGIFT:\n%s\nwant %s\ngot  %s", i, buf.String(), a, b)
		}
	}
}

func sameQuestions(a, b []Question) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestGIFTRoundTripMoodleExamples(t *testing.T) {
	qs := parseMoodleDocs(t)
	var buf bytes.Buffer
	if err := WriteGIFT(&buf, qs); err != nil {
		t.Fatal(err)
	}
	got, errs := ParseGIFT("m2.gift", buf.Bytes())
	if len(errs) > 0 {
		t.Fatalf("%v\n%s", errs, buf.String())
	}
	assertSameQuestions(t, qs, got)
}

func FuzzParseGIFT(f *testing.F) {
	seed := readTestdata(f, "moodle-docs.gift")
	f.Add(seed)
	for _, s := range []string{"Q {=a ~b}", "::T::[html]x {#1..2 =%50%3:1 ~#no}", "Q {=a -> b =c -> d}", "Q {T#a#b####c}",
		"$CATEGORY: a/b\n\n// [id:x] [tag:y]\nQ {}", "x \\{ {", "{", "}", "::", "Q {~%", "Q {#=", "\\", "Q {=a\n\n}"} {
		f.Add([]byte(s))
	}
	for _, c := range giftFormatCases {
		f.Add([]byte(c.src))
	}
	f.Add([]byte("[html]Q {=[html] ~[moodle]#[plain]####[markdown]}"))
	f.Add([]byte("Q {=[plain]-> x =[html]a -> b}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, errs := ParseGIFT("fuzz.gift", data)
		assertRendered(t, errs)
		for _, e := range errs {
			if e.Line < 1 || e.Column < 1 {
				t.Fatalf("error without position: %v", e)
			}
		}
		// What was read must survive writing and reading again.
		var buf bytes.Buffer
		if err := WriteGIFT(&buf, qs); err != nil {
			t.Fatal(err)
		}
		again, errs := ParseGIFT("again.gift", buf.Bytes())
		if len(errs) > 0 {
			t.Fatalf("written GIFT does not parse: %v\n%s", errs, buf.String())
		}
		if !sameQuestions(qs, again) {
			t.Fatalf("round trip differs:\n%s", buf.String())
		}
	})
}

// TestParseGIFTEncodings: files saved by Windows Notepad as "ANSI"
// (Windows-1252) or "Unicode" (UTF-16 with BOM) read like UTF-8.
func TestParseGIFTEncodings(t *testing.T) {
	const text = "::Größe:: Wie heißt die Behörde? {=Bürgeramt ~Zoo}\n"
	cp1252 := []byte(strings.NewReplacer("ö", "\xf6", "ß", "\xdf", "ü", "\xfc").Replace(text))
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range text {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for name, data := range map[string][]byte{"utf-8": []byte(text), "utf-8 bom": append([]byte("\xef\xbb\xbf"), text...), "windows-1252": cp1252, "utf-16le": utf16} {
		qs, errs := ParseGIFT(name, data)
		if len(errs) > 0 || len(qs) != 1 || qs[0].Title != "Größe" || qs[0].Text != "Wie heißt die Behörde?" || qs[0].Answers[0].Text != "Bürgeramt" {
			t.Errorf("%s: %v %+v", name, errs, qs)
		}
	}
}
