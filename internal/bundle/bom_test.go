package bundle

import (
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// TestByteOrderMark is from issue 20: Windows Notepad starts a file with a
// byte order mark. In a municipality's own bundle it became part of the
// first key ("\ufeffid"), and the file was refused for a field it has.
// Now the mark is dropped, for UTF-8 and for UTF-16 as Notepad writes it,
// and line numbers stay those of the file.
func TestByteOrderMark(t *testing.T) {
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range utf16.Encode([]rune(goodUseCase)) {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	k := Kind{Dir: "usecases", Embedded: nil}
	dataDir := t.TempDir()
	writeFiles(t, k.OwnDir(dataDir), map[string]string{
		"utf8.yaml":  "\xef\xbb\xbf" + goodUseCase,
		"utf16.yaml": string(utf16le),
	})
	files, problems := k.Own(dataDir)
	if problems != nil || len(files) != 2 {
		t.Fatalf("own files: %v %v", files, problems)
	}
	for _, f := range files {
		var u useCase
		doc, errs := Decode(f.Name, f.Data, useCaseSchema, &u)
		if errs != nil {
			t.Fatalf("%s: %v", filepath.Base(f.Name), errs)
		}
		if u.ID != "protokoll" || u.ContextTokens != 4096 {
			t.Fatalf("%s: decoded %+v", filepath.Base(f.Name), u)
		}
		if e := doc.ErrorAt("thresholds.decode_tps.minimum", "x"); e.Line != 9 {
			t.Errorf("%s: line %d, want 9", filepath.Base(f.Name), e.Line)
		}
	}
}

// FuzzText: whatever the bytes, Text returns without a leading UTF-8 mark
// and leaves content without a mark unchanged.
func FuzzText(f *testing.F) {
	f.Add([]byte("\xef\xbb\xbfid: x"))
	f.Add([]byte{0xFF, 0xFE, 'i', 0, 'd', 0})
	f.Add([]byte{0xFE, 0xFF, 0, 'i', 0xD8})
	f.Fuzz(func(t *testing.T, data []byte) {
		out := Text(data)
		if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF || data[0] == 0xEF && data[1] == 0xBB) {
			return
		}
		if string(out) != string(data) {
			t.Fatalf("Text changed content without a mark: %q -> %q", data, out)
		}
	})
}
