package hotspot

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/signing"
)

// Render produces one export file: its name and bytes. id selects one
// hotspot ("" = the portfolio): its Steckbrief for html and pdf, its
// record for the algorithm register.
func Render(pf *Portfolio, cat *Catalogue, m Meta, format, id string) (string, []byte, error) {
	date := m.Created.Format("20060102")
	if id != "" {
		if _, ok := pf.Get(id); !ok {
			return "", nil, fmt.Errorf("process %q: %w", id, ErrNotFound)
		}
	}
	switch format {
	case FormatJSON:
		b, err := NewDocument(*pf, m).JSON()
		return "hotspots-" + date + ".json", b, err
	case FormatCSV:
		return "hotspots-" + date + ".csv", PortfolioCSV(*pf, m.Lang), nil
	case FormatRegister:
		recs := []Record{}
		for _, h := range pf.Hotspots {
			if id == "" || h.Process.ID == id {
				recs = append(recs, RegisterRecord(h, m))
			}
		}
		b, err := json.MarshalIndent(recs, "", "  ")
		return "algoritmeregister-" + date + ".json", append(b, '\n'), err
	case FormatHTML:
		if id != "" {
			b, err := SteckbriefHTML(pf, id, cat, m)
			return "steckbrief-" + fileSafe(id) + ".html", b, err
		}
		b, err := PortfolioHTML(pf, cat, m)
		return "hotspots-" + date + ".html", b, err
	case FormatPDF:
		if id != "" {
			b, err := SteckbriefPDF(pf, id, cat, m)
			return "steckbrief-" + fileSafe(id) + ".pdf", b, err
		}
		b, err := PortfolioPDF(pf, cat, m)
		return "hotspots-" + date + ".pdf", b, err
	}
	return "", nil, fmt.Errorf("unknown export format %q (use %s)", format, strings.Join(Formats, ", "))
}

// Export renders, signs with key and writes the file and its .sig into
// dir; it returns the paths written.
func Export(key *signing.Key, dir string, pf *Portfolio, cat *Catalogue, m Meta, format, id string) ([]string, error) {
	name, data, err := Render(pf, cat, m, format, id)
	if err != nil {
		return nil, err
	}
	s, err := Sign(key, name, data)
	if err != nil {
		return nil, err
	}
	return WriteFiles(dir, []Signed{s})
}

// fileSafe keeps a process id usable as a file name.
func fileSafe(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, id)
}
