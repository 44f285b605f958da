package hotspot

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// Export formats.
const (
	FormatJSON      = "json"
	FormatCSV       = "csv"
	FormatHTML      = "html"
	FormatPDF       = "pdf"
	FormatRegister  = "algoritmeregister"
	ExportFormat    = "kicheck-hotspots" // the "format" field of the JSON export
	exportVersion   = 1
	MaxExportBytes  = 16 << 20
	RegisterVersion = "0.3.1"
)

// Formats lists the export formats.
var Formats = []string{FormatJSON, FormatCSV, FormatHTML, FormatPDF, FormatRegister}

// Meta is what an export says about who made it.
type Meta struct {
	Kommune string    // the municipality (organization); "" = von der Kommune einzutragen
	Contact string    // contact e-mail for the algorithm register
	Created time.Time // export time
	Lang    string
}

// Placeholder marks a field the municipality has to fill in.
const Placeholder = "von der Kommune einzutragen"

func (m Meta) kommune() string {
	if strings.TrimSpace(m.Kommune) == "" {
		return Placeholder
	}
	return m.Kommune
}

// Document is the JSON export (docs/schema/hotspot-export.schema.json).
type Document struct {
	Format               string    `json:"format"`
	SchemaVersion        int       `json:"schema_version"`
	Kommune              string    `json:"kommune"`
	Created              string    `json:"created"`
	Lang                 string    `json:"lang"`
	LegalStand           string    `json:"legal_stand"`
	BenefitThreshold     float64   `json:"benefit_threshold_hours"`
	FeasibilityThreshold float64   `json:"feasibility_threshold"`
	StaffEURPerHour      *float64  `json:"staff_eur_per_hour"`
	AVV                  bool      `json:"avv_available"`
	Hotspots             []Hotspot `json:"hotspots"`
}

// NewDocument is the portfolio as a JSON export document, its texts in
// m.Lang. Source file paths are cut to the file name (a path on the
// municipality's PC is not for others).
func NewDocument(pf Portfolio, m Meta) Document {
	pf.Localize(m.Lang)
	d := Document{Format: ExportFormat, SchemaVersion: exportVersion, Kommune: m.kommune(), Created: m.Created.UTC().Format(time.RFC3339),
		Lang: m.Lang, LegalStand: pf.LegalStand, BenefitThreshold: round(pf.BenefitThreshold, 2), FeasibilityThreshold: pf.FeasibilityThreshold,
		StaffEURPerHour: pf.Params.StaffEURPerHour, AVV: pf.Params.AVV, Hotspots: []Hotspot{}}
	for _, h := range pf.Hotspots {
		h.Process.Source.File = filepath.Base(h.Process.Source.File)
		h.Hours = round(h.Hours, 2)
		h.Feasibility = round(h.Feasibility, 2)
		if h.EUR != nil {
			e := round(*h.EUR, 2)
			h.EUR = &e
		}
		d.Hotspots = append(d.Hotspots, h)
	}
	return d
}

func round(v float64, prec int) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', prec, 64), 64)
	return f
}

// JSON renders the document, indented.
func (d Document) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode hotspot export: %w", err)
	}
	return append(b, '\n'), nil
}

// PortfolioCSV is the ranked portfolio as a sheet (';', UTF-8 with BOM,
// CRLF, decimal comma), one row per hotspot.
func PortfolioCSV(pf Portfolio, lang string) []byte {
	pf.Localize(lang)
	var buf bytes.Buffer
	buf.Write([]byte{0xEF, 0xBB, 0xBF})
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	_ = w.Write([]string{"rang", "id", "prozess", "organisationseinheit", "ki_aufgabe", "stunden_pro_jahr", "euro_pro_jahr", "umsetzbarkeit", "rechtsklasse", "quadrant", "modell", "cloud_zulaessig"})
	num := func(v float64, prec int) string {
		return i18n.Decimal("de", v, prec) // the sheet is German
	}
	for _, h := range pf.Hotspots {
		eur := Placeholder
		if h.EUR != nil {
			eur = num(*h.EUR, 0)
		}
		cloud := "nein"
		if h.Places[2].Allowed {
			cloud = "ja"
		}
		_ = w.Write(safeCells([]string{strconv.Itoa(h.Rank), h.Process.ID, h.Process.Name, h.Process.Unit, h.Task.ID, num(h.Hours, 1), eur,
			num(h.Feasibility, 0), string(h.Legal.Result.Class), h.Quadrant, h.Model, cloud}))
	}
	w.Flush()
	return buf.Bytes()
}

// safeCells keeps a spreadsheet from reading a text cell as a formula.
func safeCells(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			if _, err := strconv.ParseFloat(strings.Replace(c, ",", ".", 1), 64); err != nil {
				cells[i] = "'" + c
			}
		}
	}
	return cells
}

// Signed is an export file and its SSHSIG signature (the device key, the
// namespace of reports: `ssh-keygen -Y verify -n kicheck-report-v1`).
type Signed struct {
	Name string // file name
	Data []byte
	Sig  []byte
}

// Sign signs data with key.
func Sign(key *signing.Key, name string, data []byte) (Signed, error) {
	sig, err := key.Sign(data)
	if err != nil {
		return Signed{}, fmt.Errorf("sign %s: %w", name, err)
	}
	return Signed{Name: name, Data: data, Sig: sig}, nil
}

// WriteFiles writes each file and its .sig into dir, each atomically (a
// temp file renamed into place), and returns the paths written.
func WriteFiles(dir string, files []Signed) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &ExportError{Dir: dir, Err: err}
	}
	var out []string
	for _, f := range files {
		for _, w := range []struct {
			name string
			data []byte
		}{{f.Name, f.Data}, {f.Name + ".sig", f.Sig}} {
			p := filepath.Join(dir, w.name)
			if err := atomicfile.Write(p, w.data, 0o644); err != nil {
				return out, &ExportError{Dir: dir, Err: err}
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// ExportError is a failed export a person can act on.
type ExportError struct {
	Dir string
	Err error
}

func (e *ExportError) Error() string { return fmt.Sprintf("export hotspots to %s: %v", e.Dir, e.Err) }
func (e *ExportError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *ExportError) Hint() string { return "choose a folder you can write to (--out DIR)" }

var exportSchema = bundle.NewSchema("hotspot-export.schema.json")

// ErrNotSigned, ErrBadExport: why another municipality's export was refused.
var (
	ErrNotSigned = errors.New("the export has no valid signature")
	ErrBadExport = errors.New("the file is not a KI-Check hotspot export")
)

// ImportError is a refused export file.
type ImportError struct {
	File string
	Err  error
}

func (e *ImportError) Error() string { return fmt.Sprintf("%s: %v", e.File, e.Err) }
func (e *ImportError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *ImportError) Hint() string {
	if errors.Is(e.Err, ErrNotSigned) {
		return "ask the other municipality for the export with its .sig file, unchanged (kicheck hotspot export --format json)"
	}
	return "import a hotspot export written by 'kicheck hotspot export --format json', with its .sig beside it"
}

// ExampleResult is an imported example export.
type ExampleResult struct {
	File        string   `json:"file"`
	Kommune     string   `json:"kommune"`
	Signer      string   `json:"signer"`
	Processes   []string `json:"processes"`
	Fingerprint string   `json:"-"`
}

// ReadExample verifies and reads another municipality's signed JSON
// export (file and file.sig): the signature (SSHSIG, any key: the signer's
// fingerprint is kept; trust is the user's decision, like the collection's
// enrolment), the schema, and every process by the rules of a sheet row.
func ReadExample(file string, tasks []string, allowed *signing.AllowedSigners) (*ExampleResult, []Process, error) {
	data, err := readCapped(file)
	if err != nil {
		return nil, nil, &ImportError{File: file, Err: err}
	}
	sig, err := readCapped(file + ".sig")
	if err != nil {
		return nil, nil, &ImportError{File: file, Err: fmt.Errorf("%w: %v", ErrNotSigned, err)}
	}
	pub, err := signing.Verify(data, sig)
	if err != nil {
		return nil, nil, &ImportError{File: file, Err: fmt.Errorf("%w: %v", ErrNotSigned, err)}
	}
	if allowed != nil {
		if err := allowed.Check(signing.DeviceID(pub), signing.Namespace, pub, time.Now()); err != nil {
			return nil, nil, &ImportError{File: file, Err: fmt.Errorf("%w: %v", ErrNotSigned, err)}
		}
	}
	doc, errs := bundle.Parse(file, data)
	if errs == nil {
		errs = doc.Validate(exportSchema)
	}
	if errs != nil {
		return nil, nil, &ImportError{File: file, Err: fmt.Errorf("%w: %v", ErrBadExport, errs[0])}
	}
	var d Document
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&d); err != nil {
		return nil, nil, &ImportError{File: file, Err: fmt.Errorf("%w: %v", ErrBadExport, err)}
	}
	res := &ExampleResult{File: file, Kommune: d.Kommune, Signer: signing.Fingerprint(pub), Processes: []string{}}
	var ps []Process
	for _, h := range d.Hotspots {
		p := h.Process
		if probs := Validate(p, tasks); probs != nil {
			return nil, nil, &ImportError{File: file, Err: fmt.Errorf("%w: process %q: %v", ErrBadExport, p.ID, probs[0])}
		}
		p.PassRate = nil
		ps = append(ps, p)
		res.Processes = append(res.Processes, p.ID)
	}
	return res, ps, nil
}

// ImportExample stores a verified example apart from the own processes,
// as "Beispiele aus <Kommune>".
func ImportExample(ctx context.Context, db *store.DB, res *ExampleResult, ps []Process) error {
	return saveExamples(ctx, db, res.Kommune, res.Signer, ps, time.Now())
}

func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxExportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxExportBytes {
		return nil, fmt.Errorf("larger than %d MiB", MaxExportBytes>>20)
	}
	return b, nil
}
