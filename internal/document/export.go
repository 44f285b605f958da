package document

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Signer signs exported bytes (*signing.Key): the armored SSH signature
// ssh-keygen -Y verify checks, as for reports.
type Signer interface {
	Sign(data []byte) ([]byte, error)
}

// Written are the files of one export.
type Written struct {
	File string `json:"file"`
	Sig  string `json:"sig,omitempty"`
}

// Export writes data to path and, with a signer, its signature to
// path+".sig". Both are written to temp files in the target folder first
// and renamed into place, so a reader never sees a half-written file; when
// anything fails, neither file is left behind and an existing file of that
// name is kept unchanged.
func Export(path string, data []byte, s Signer) (Written, error) {
	w := Written{File: path}
	var sig []byte
	if s != nil {
		var err error
		if sig, err = s.Sign(data); err != nil {
			return Written{}, &ExportError{Path: path, Err: err}
		}
		w.Sig = path + ".sig"
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		return Written{}, &ExportError{Path: path, Err: err}
	} else if !st.IsDir() {
		return Written{}, &ExportError{Path: path, Err: i18n.NewError("document.not_a_folder", "", map[string]any{"Dir": i18n.Escape(dir)}, nil)}
	}
	tmpDoc, err := writeTemp(dir, data)
	if err != nil {
		return Written{}, &ExportError{Path: path, Err: err}
	}
	defer os.Remove(tmpDoc)
	var tmpSig string
	if sig != nil {
		if tmpSig, err = writeTemp(dir, sig); err != nil {
			return Written{}, &ExportError{Path: path, Err: err}
		}
		defer os.Remove(tmpSig)
	}
	if err := os.Rename(tmpDoc, path); err != nil {
		return Written{}, &ExportError{Path: path, Err: err}
	}
	if sig != nil {
		if err := os.Rename(tmpSig, w.Sig); err != nil {
			// Without its signature the document must not stand alone.
			os.Remove(path)
			return Written{}, &ExportError{Path: path, Err: err}
		}
	}
	return w, nil
}

func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".kicheck-export-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	_ = f.Chmod(0o644)
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// ExportError is a failed export a person can act on.
type ExportError struct {
	Path string
	Err  error
}

func (e *ExportError) Error() string {
	var pe *fs.PathError
	err := e.Err
	if errors.As(err, &pe) {
		err = pe.Err // the path is said once
	}
	return fmt.Sprintf("write %s: %v", e.Path, err)
}
func (e *ExportError) Unwrap() error { return e.Err }

// Hint says what to do (English; a person gets Localize).
func (e *ExportError) Hint() string { return i18n.T("en", "document.write_hint") }

// Localize renders the message and the hint in lang: the file, and the
// operating system's text (without the path it repeats) as the detail.
func (e *ExportError) Localize(lang string) (msg, hint string) {
	var detail string
	var l i18n.Localizer
	var pe *fs.PathError
	switch {
	case errors.As(e.Err, &l):
		detail, _ = l.Localize(lang)
	case errors.As(e.Err, &pe):
		detail = i18n.Escape(pe.Err.Error())
	default:
		detail = i18n.Escape(e.Err.Error())
	}
	// cli.quiz.write is the catalogue's "cannot write FILE: DETAIL".
	return i18n.T(lang, "cli.quiz.write", map[string]any{"File": i18n.Escape(e.Path), "Detail": detail}), i18n.T(lang, "document.write_hint")
}
