package load

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/ki-reise/kicheck/internal/document"
)

// Files are the paths WriteFiles wrote.
type Files struct {
	HTML, PDF, JSON string
}

// WriteFiles writes stored run id as load-<id>.html (the accessible
// version, with charts), load-<id>.pdf and, with a signer, the signed
// JSON export load-<id>.json with its .sig into dir, each atomically.
func WriteFiles(r *Result, id int64, dir, lang string, signer document.Signer, now time.Time) (Files, error) {
	base := filepath.Join(dir, fmt.Sprintf("load-%d", id))
	f := Files{HTML: base + ".html", PDF: base + ".pdf"}
	page, err := HTML(r, lang)
	if err != nil {
		return Files{}, err
	}
	if _, err := document.Export(f.HTML, page, nil); err != nil {
		return Files{}, err
	}
	pdf, err := PDF(r, lang, now)
	if err != nil {
		return f, err
	}
	if _, err := document.Export(f.PDF, pdf, nil); err != nil {
		return f, err
	}
	if signer != nil {
		b, err := NewDocument(r, now).JSON()
		if err != nil {
			return f, err
		}
		f.JSON = base + ".json"
		if _, err := document.Export(f.JSON, b, signer); err != nil {
			return f, err
		}
	}
	return f, nil
}
