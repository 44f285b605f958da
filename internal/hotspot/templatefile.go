package hotspot

import (
	"github.com/ki-reise/kicheck/internal/atomicfile"

	"path/filepath"
	"strings"
)

// WriteTemplate writes the empty survey sheet to path and its
// explanations in lang beside it (prozess-erhebung-LIESMICH.txt, or
// NAME-LIESMICH.txt for a sheet named NAME.csv), each atomically, and
// returns the paths written.
func WriteTemplate(path string, c *Catalogue, lang string) ([]string, error) {
	dir := filepath.Dir(path)
	readme := filepath.Join(dir, TemplateReadme)
	if base := filepath.Base(path); base != TemplateSheet {
		readme = filepath.Join(dir, strings.TrimSuffix(base, filepath.Ext(base))+"-LIESMICH.txt")
	}
	if err := atomicfile.Write(path, Template(c, false), 0o644); err != nil {
		return nil, &ExportError{Dir: dir, Err: err}
	}
	if err := atomicfile.Write(readme, Readme(c, lang), 0o644); err != nil {
		return []string{path}, &ExportError{Dir: dir, Err: err}
	}
	return []string{path, readme}, nil
}
