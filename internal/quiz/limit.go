package quiz

import (
	"fmt"
	"io"
	"os"
)

// MaxFileSize caps a question file (GIFT, Moodle XML, YAML). Parsing costs
// about a hundred times the file's size in memory, so the cap bounds the
// import's memory (about 200 MB at the cap); a real question bank of a
// thousand questions is far below it, a 50 MB file is an attack or a
// mistake.
const MaxFileSize = 2 << 20

// tooLarge is the error for a file over MaxFileSize.
func tooLarge(file string) Errors {
	return Errors{newError(file, 0, 0, msgf("the file is larger than %d MiB, the most KI-Check imports; split it into several files", MaxFileSize>>20))}
}

// ReadFile reads a question file, at most MaxFileSize bytes: a larger file
// is refused (an Errors naming it and the limit) without reading it all.
func ReadFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read question file: %w", err)
	}
	defer f.Close()
	return ReadLimited(name, f)
}

// ReadLimited reads a question file's content from r, at most MaxFileSize
// bytes; name is the file's name for the error.
func ReadLimited(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read question file: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, tooLarge(name)
	}
	return data, nil
}
