package quiz

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// decodeText returns a text file's content as UTF-8. Moodle writes UTF-8,
// but a file edited with Windows Notepad may be UTF-16 (with a byte order
// mark) or Windows-1252 ("ANSI"); without this, umlauts would turn into
// garbage or the file would not parse.
func decodeText(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		if err == nil {
			return out
		}
	case !utf8.Valid(data):
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err == nil {
			return out
		}
	}
	return data
}
