package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// TestQuizImportTooLarge is issue 20's failure 7: a 50 MB GIFT file took
// 5.6 GB of memory and was stored. A question file over quiz.MaxFileSize
// (GIFT, Moodle XML, YAML) is now refused before it is parsed, naming the
// file and the limit, in German and English, and nothing is stored.
func TestQuizImportTooLarge(t *testing.T) {
	dir := t.TempDir()
	src := t.TempDir()
	one := map[string]string{
		"gift": "::Q{{N}}:: Wer liegt in Grants Grab? {~Grant ~Jefferson =niemand}\n\n",
		"xml":  `<question type="truefalse"><name><text>Q{{N}}</text></name><questiontext><text>Wahr?</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>` + "\n",
		"yaml": "  - {id: q{{N}}, type: truefalse, text: Wahr?, answers: [{text: \"true\", fraction: 1}, {text: \"false\", fraction: 0}]}\n",
	}
	head := map[string]string{"xml": "<?xml version=\"1.0\"?>\n<quiz>\n", "yaml": "format: kicheck-quiz/1\nid: gross\nversion: \"1\"\ntitle: Gross\nquestions:\n"}
	tail := map[string]string{"xml": "</quiz>\n"}
	for _, ext := range []string{"gift", "xml", "yaml"} {
		var b strings.Builder
		b.WriteString(head[ext])
		for n := 0; b.Len() <= quiz.MaxFileSize(ext); n++ {
			b.WriteString(strings.ReplaceAll(one[ext], "{{N}}", itoa(int64(n))))
		}
		b.WriteString(tail[ext])
		file := filepath.Join(src, "gross."+ext)
		if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		limit := itoa(int64(quiz.MaxFileSize(ext) >> 10))
		for lang, want := range map[string]string{"en": "larger than " + limit + " KiB", "de": "größer als " + limit + " KiB"} {
			var out, errb strings.Builder
			code := Main(t.Context(), []string{"--data-dir", dir, "--lang", lang, "quiz", "import", file}, &out, &errb)
			if code != 1 || !strings.Contains(errb.String(), file) || !strings.Contains(errb.String(), want) ||
				!strings.Contains(errb.String(), "hint: ") || strings.Contains(errb.String(), "--valid-only") {
				t.Fatalf("%s, %s: exit %d\nstdout %s\nstderr %s", ext, lang, code, out.String(), errb.String())
			}
		}
	}
	_, list, _ := runKicheck(t, dir, "quiz", "list", "--json")
	if strings.Contains(list, "gross") {
		t.Fatalf("a refused file was stored: %s", list)
	}
}
