package bundle

import (
	"bytes"

	"golang.org/x/text/encoding/unicode"
)

// Text returns a text file's content as UTF-8 without a byte order mark.
// Windows editors (Notepad) start a UTF-8 file with the mark EF BB BF or
// write UTF-16 with a mark; a YAML or JSON parser would otherwise read the
// mark as part of the first key ("\ufeffid") or refuse the file. Other
// content is returned as it is.
func Text(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data); err == nil {
			return out
		}
	}
	return data
}
