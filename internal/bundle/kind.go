package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Kind is one kind of bundle: its folder in the embedded files (package
// bundles) and, under the same name, below <datadir>/bundles/.
type Kind struct {
	Dir      string // "models"
	Embedded fs.FS  // bundles.Models, which holds the folder Dir
}

// File is one bundle file's bytes and the name errors give it.
type File struct {
	// Name is "bundles/<dir>/<file>" for a packaged file (where it is in
	// the source tree) and the path for a municipality's own file.
	Name string
	Data []byte
	Own  bool // from the data dir
}

// OwnDir is the folder of the municipality's files: <dataDir>/bundles/<dir>.
func (k Kind) OwnDir(dataDir string) string { return filepath.Join(dataDir, "bundles", k.Dir) }

// Packaged returns the embedded YAML files in name order. An error is a
// build defect (the tests of each loader catch it).
func (k Kind) Packaged() ([]File, error) {
	files, err := ReadDir(k.Embedded, k.Dir)
	for i := range files {
		files[i].Name = "bundles/" + files[i].Name
	}
	if err != nil {
		return files, fmt.Errorf("packaged %s: %w", k.Dir, err)
	}
	return files, nil
}

// Own returns the municipality's YAML files in <dataDir>/bundles/<dir>/,
// in name order. A missing folder (or dataDir "") gives none. A file or
// folder that cannot be read is reported and the readable files are
// still returned.
func (k Kind) Own(dataDir string) ([]File, Errors) {
	if dataDir == "" {
		return nil, nil
	}
	dir := k.OwnDir(dataDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var problems Errors
	if err != nil {
		// ReadDir may still have listed some entries.
		problems = append(problems, readError(dir, err))
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || !IsYAML(e.Name()) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(name)
		if err != nil {
			problems = append(problems, readError(name, err))
			continue
		}
		files = append(files, File{Name: name, Data: data, Own: true})
	}
	return files, problems
}

// ReadDir returns the YAML files directly in dir of fsys, in name order,
// named path.Join(dir, name). A file that cannot be read is left out and
// its error joined into the returned error, beside the files that could
// be read.
func ReadDir(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var files []File
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !IsYAML(e.Name()) {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, File{Name: name, Data: data})
	}
	return files, errors.Join(errs...)
}

// IsYAML reports whether a file name ends in .yaml or .yml.
func IsYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

func readError(name string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is in File already
	}
	return &Error{File: name, Msg: "cannot be read: " + err.Error()}
}
