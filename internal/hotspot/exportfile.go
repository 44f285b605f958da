package hotspot

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ExportFile renders one export of the portfolio: format is one of
// Formats; id, when set, is one hotspot's Steckbrief (html, pdf). It
// returns the file name the export is saved under and its bytes (the
// caller signs them with Sign and writes them with WriteFiles).
func ExportFile(pf *Portfolio, cat *Catalogue, m Meta, format, id string) (string, []byte, error) {
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
			return "steckbrief-" + FileSafe(id) + ".html", b, err
		}
		b, err := PortfolioHTML(pf, cat, m)
		return "hotspots-" + date + ".html", b, err
	case FormatPDF:
		if id != "" {
			b, err := SteckbriefPDF(pf, id, cat, m)
			return "steckbrief-" + FileSafe(id) + ".pdf", b, err
		}
		b, err := PortfolioPDF(pf, cat, m)
		return "hotspots-" + date + ".pdf", b, err
	}
	return "", nil, fmt.Errorf("unknown export format %q (valid: %s)", format, strings.Join(Formats, ", "))
}

// FileSafe keeps a process id usable as a file name.
func FileSafe(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, id)
}
