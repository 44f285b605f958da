package quiz

import (
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// maxFileSizes cap a question file per format. Parsing costs many times
// the file's size in memory (measured: a GIFT file at its cap about 190 MB
// peak, Moodle XML at 2 MiB about 50 MB, YAML about 250 times its size), so
// the caps bound an import's memory to about 200 MB; a real question bank
// of a thousand questions is far below them, a 50 MB file is an attack or a
// mistake.
var maxFileSizes = map[string]int{
	FormatGIFT: 2 << 20,
	FormatXML:  8 << 20,
	FormatYAML: 512 << 10,
}

// MaxFileSize is the largest question file of format that is imported
// (bytes); the largest cap for an unknown format.
func MaxFileSize(format string) int {
	if n, ok := maxFileSizes[format]; ok {
		return n
	}
	return maxFileSizes[FormatXML]
}

// tooLarge is the error for a file over its format's cap: no line to
// fix, and --valid-only does not help, so the hint says to split it.
func tooLarge(file, format string) bundle.Errors {
	e := newError(file, 0, 0, msg("quizparse.too_large", "KiB", MaxFileSize(format)>>10))
	e.Tip = hintTooLarge
	return bundle.Errors{e}
}

// readError is a question file that cannot be opened or read: a message
// in the reader's language naming the file, with the operating system's
// text (without the path it repeats) as its detail.
func readError(name string, err error) error {
	detail := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		detail = pe.Err
	}
	return i18n.NewError("quizparse.read_failed", "quizparse.read_failed.hint",
		map[string]any{"File": i18n.Escape(name), "Detail": i18n.Escape(detail.Error())}, err)
}

// ReadFile reads a question file of format, at most MaxFileSize(format)
// bytes: a larger file is refused (a bundle.Errors naming it and the limit)
// without reading it all.
func ReadFile(name, format string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, readError(name, err)
	}
	defer f.Close()
	return ReadLimited(name, format, f)
}

// ReadLimited reads a question file's content from r, at most
// MaxFileSize(format) bytes; name is the file's name for the error.
func ReadLimited(name, format string, r io.Reader) ([]byte, error) {
	limit := MaxFileSize(format)
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, readError(name, err)
	}
	if len(data) > limit {
		return nil, tooLarge(name, format)
	}
	return data, nil
}
