package textfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// BOM is the UTF-8 byte-order mark.
var BOM = []byte{0xEF, 0xBB, 0xBF}

// StripBOM returns b without a leading UTF-8 byte-order mark.
func StripBOM(b []byte) []byte { return bytes.TrimPrefix(b, BOM) }

// Error is a file textfile refuses or cannot read: not a regular file, a
// symbolic link, too large. Error is English; Text renders it in lang.
type Error struct {
	Path string
	msg  i18n.Msg
	err  error // the cause, for errors.Is (os.ErrNotExist, ErrNotRegular, ErrTooLarge)
}

// Sentinel causes, for errors.Is.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

func (e *Error) Error() string { return e.Text("en") }
func (e *Error) Unwrap() error { return e.err }

// Text renders the error in lang.
func (e *Error) Text(lang string) string {
	return i18n.Msg{ID: e.msg.ID, Data: withPath(e.msg.Data, e.Path)}.Text(lang)
}

func withPath(data map[string]any, path string) map[string]any {
	d := map[string]any{"Path": i18n.Escape(path)}
	for k, v := range data {
		d[k] = v
	}
	return d
}

// kind names what a non-regular file is, as a message id.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "textfile.kind.symlink"
	case m&fs.ModeNamedPipe != 0:
		return "textfile.kind.pipe"
	case m&fs.ModeSocket != 0:
		return "textfile.kind.socket"
	case m&fs.ModeDevice != 0:
		return "textfile.kind.device"
	case m.IsDir():
		return "textfile.kind.dir"
	}
	return "textfile.kind.other"
}

func notRegular(path string, m fs.FileMode) *Error {
	return &Error{Path: path, err: ErrNotRegular, msg: i18n.Msg{ID: "textfile.not_regular", Data: map[string]any{"Kind": i18n.Msg{ID: kind(m)}}}}
}

// Open opens path for reading if it is a regular file: a symbolic link
// (at path itself), a named pipe, a device, a socket or a folder is
// refused with an *Error wrapping ErrNotRegular, without blocking. The
// check is made on the opened file too, so a file swapped between the
// look and the open is noticed.
func Open(path string) (*os.File, fs.FileInfo, error) {
	li, err := os.Lstat(path)
	if err != nil {
		return nil, nil, err
	}
	if !li.Mode().IsRegular() {
		return nil, nil, notRegular(path, li.Mode())
	}
	f, err := openNoFollow(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() || !os.SameFile(li, fi) {
		f.Close()
		return nil, nil, notRegular(path, fi.Mode())
	}
	return f, fi, nil
}

// ReadExact reads the regular file path, at most limit bytes; a larger
// file is refused with an *Error wrapping ErrTooLarge. The bytes are
// returned as they are.
func ReadExact(path string, limit int64) ([]byte, error) {
	f, fi, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, path, fi.Size(), limit)
}

// ReadText is ReadExact with a leading byte-order mark removed.
func ReadText(path string, limit int64) ([]byte, error) {
	b, err := ReadExact(path, limit+int64(len(BOM)))
	if err != nil {
		return nil, err
	}
	b = StripBOM(b)
	if int64(len(b)) > limit {
		return nil, tooLarge(path, limit)
	}
	return b, nil
}

func tooLarge(path string, limit int64) *Error {
	return &Error{Path: path, err: ErrTooLarge, msg: i18n.Msg{ID: "textfile.too_large", Data: map[string]any{"Max": i18n.Int(limit)}}}
}

// readLimited reads r (size as stat says) up to limit bytes, however the
// file grows while it is read.
func readLimited(r io.Reader, path string, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, tooLarge(path, limit)
	}
	b, err := ReadUpTo(r, size, limit)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(path, limit)
	}
	return b, nil
}

// ReadUpTo reads r to its end but at most limit+1 bytes, so a caller
// sees that more than limit were there. sizeHint, the expected size (a
// file's or a header's), sizes the buffer once: the bytes are read into
// one allocation of that size, not into a buffer that doubles.
func ReadUpTo(r io.Reader, sizeHint, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(max(sizeHint, 0), limit)+1)
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return buf, nil
			}
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):min(int64(cap(buf)), limit+1)]
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		switch {
		case errors.Is(err, io.EOF):
			return buf, nil
		case err != nil:
			return buf, err
		case int64(len(buf)) > limit:
			return buf, nil
		}
	}
}

// WorldReadable reports whether others than the owner and the group may
// read the file (Unix permission bits; always false on Windows, where
// access lists decide).
func WorldReadable(fi fs.FileInfo) bool { return worldReadable(fi) }
