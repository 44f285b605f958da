package quiz

import (
	"testing"
	"unicode/utf16"
)

// TestWindowsEncodings is from issue 20 (a byte order mark from Windows
// Notepad): every import format reads a file with a UTF-8 byte order mark
// and one saved as "Unicode" (UTF-16 with a mark). Moodle XML in UTF-16
// was refused ("invalid UTF-8") before.
func TestWindowsEncodings(t *testing.T) {
	files := map[string]string{
		FormatGIFT: "::Q1:: Wahr? {T}\n",
		FormatXML: `<?xml version="1.0" encoding="UTF-8"?><quiz><question type="truefalse"><name><text>Q1</text></name>` +
			`<questiontext><text>Wahr?</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`,
		FormatYAML: "format: kicheck-quiz/1\nid: bom\nversion: \"1\"\ntitle: BOM\nquestions:\n  - {id: q1, type: truefalse, text: Wahr?, answers: [{text: \"true\", fraction: 1}, {text: \"false\", fraction: 0}]}\n",
	}
	files["xml-declared-utf16"] = `<?xml version="1.0" encoding="UTF-16"?>` + files[FormatXML][len(`<?xml version="1.0" encoding="UTF-8"?>`):]
	for name, text := range files {
		format := name
		if name == "xml-declared-utf16" {
			format = FormatXML
		}
		u16 := []byte{0xFF, 0xFE}
		for _, r := range utf16.Encode([]rune(text)) {
			u16 = append(u16, byte(r), byte(r>>8))
		}
		for enc, data := range map[string][]byte{"utf-8 bom": append([]byte("\xef\xbb\xbf"), text...), "utf-16le": u16} {
			if name == "xml-declared-utf16" && enc != "utf-16le" {
				continue
			}
			b, errs, err := ReadQuestions("f."+format, format, data, ReadOptions{})
			if err != nil || len(errs) > 0 || b == nil || len(b.Questions) != 1 {
				t.Errorf("%s, %s: %v %v %v", name, enc, b, errs, err)
			}
		}
	}
}
