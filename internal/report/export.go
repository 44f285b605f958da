package report

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Files are the paths of one written report.
type Files struct {
	JSON string `json:"json"`
	Sig  string `json:"sig"`
	PDF  string `json:"pdf,omitempty"`
	HTML string `json:"html,omitempty"`
}

// BaseName is the file name (without extension) for a report:
// kicheck-DEVICE-YYYYMMDD-HHMMSS.
func BaseName(r *Report) string {
	return fmt.Sprintf("kicheck-%s-%s", r.Device.DeviceID, r.Created.UTC().Format("20060102-150405"))
}

// Content is what WriteNew writes; PDF and HTML are rendered once the
// final names are known (they say where the signed JSON is) and may be nil.
type Content struct {
	JSON, Sig []byte
	Render    func(f Files) (pdf, html []byte, err error)
}

// WriteNew writes a report into dir under base (.json, .json.sig, .pdf,
// .html) without ever replacing a file: each file is written to a temp
// file and then hard-linked to its name, which fails if the name exists;
// then the next free name (base-2, base-3, …) is tried. A reader never
// sees a half-written file.
func WriteNew(dir, base string, c Content) (Files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Files{}, &ExportError{Dir: dir, Err: err}
	}
	for n := 1; n <= 1000; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		f := Files{JSON: filepath.Join(dir, name+".json"), Sig: filepath.Join(dir, name+".json.sig")}
		if c.Render != nil {
			f.PDF = filepath.Join(dir, name+".pdf")
			f.HTML = filepath.Join(dir, name+".html")
		}
		if taken(f) {
			continue
		}
		var pdf, html []byte
		if c.Render != nil {
			var err error
			if pdf, html, err = c.Render(f); err != nil {
				return Files{}, err
			}
		}
		var written []string
		ok := true
		for _, w := range []struct {
			path string
			data []byte
		}{{f.JSON, c.JSON}, {f.Sig, c.Sig}, {f.PDF, pdf}, {f.HTML, html}} {
			if w.path == "" {
				continue
			}
			err := linkNew(w.path, w.data)
			if errors.Is(err, fs.ErrExist) {
				ok = false
				break
			}
			if err != nil {
				removeAll(written)
				return Files{}, &ExportError{Dir: dir, Err: err}
			}
			written = append(written, w.path)
		}
		if ok {
			return f, nil
		}
		// Someone created one of the names meanwhile: undo ours, next name.
		removeAll(written)
	}
	return Files{}, &ExportError{Dir: dir, Err: errors.New("no free file name after 1000 tries")}
}

func taken(f Files) bool {
	for _, p := range []string{f.JSON, f.Sig, f.PDF, f.HTML} {
		if p == "" {
			continue
		}
		if _, err := os.Lstat(p); err == nil {
			return true
		}
	}
	return false
}

func removeAll(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
}

// linkNew writes data to a temp file in the target folder and links it to
// path; fs.ErrExist if path exists.
func linkNew(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".kicheck-export-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name)
	// Reports are meant to be passed on; CreateTemp's 0600 would hide
	// them from the colleague or the IT share they are copied to.
	_ = tmp.Chmod(0o644)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(name, path); err != nil {
		if _, statErr := os.Lstat(path); statErr == nil {
			return fs.ErrExist
		}
		// Some file systems (FAT on USB sticks, some network shares) have
		// no hard links: fall back to an exclusive create. It still never
		// replaces a file, but a reader could see it while it is written.
		return copyExclusive(path, data)
	}
	return nil
}

func copyExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// ExportError is a failed export a person can act on.
type ExportError struct {
	Dir string
	Err error
}

func (e *ExportError) Error() string { return fmt.Sprintf("export report to %s: %v", e.Dir, e.Err) }
func (e *ExportError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *ExportError) Hint() string {
	return "choose a folder you can write to (--out DIR, or another folder in the dialog)"
}

// DocumentsDir is the default export folder: the XDG documents folder
// where one is configured (Linux), else HOME/Documents.
func DocumentsDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the home folder: %w", err)
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if d := xdgDocuments(home); d != "" {
			return d, nil
		}
	}
	return filepath.Join(home, "Documents"), nil
}

// xdgDocuments reads XDG_DOCUMENTS_DIR from user-dirs.dirs (the file
// xdg-user-dirs keeps; "Dokumente" on German desktops).
func xdgDocuments(home string) string {
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = filepath.Join(home, ".config")
	}
	f, err := os.Open(filepath.Join(cfg, "user-dirs.dirs"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		v, ok := strings.CutPrefix(line, "XDG_DOCUMENTS_DIR=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.Replace(v, "$HOME", home, 1)
		if !filepath.IsAbs(v) || filepath.Clean(v) == filepath.Clean(home) {
			return "" // "$HOME" itself means: disabled
		}
		return v
	}
	return ""
}

// stamp formats a time for the database.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
