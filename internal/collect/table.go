package collect

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
)

// DeviceRow is one line of the device table: a device and its newest
// report.
type DeviceRow struct {
	DeviceID      string   `json:"device_id"`
	OrgUnit       string   `json:"org_unit"`
	Hostname      string   `json:"hostname,omitempty"`
	LastReport    string   `json:"last_report"`
	Reports       int      `json:"reports"`
	Overall       string   `json:"overall"`
	OS            string   `json:"os"`
	CPU           string   `json:"cpu"`
	Threads       *int64   `json:"threads,omitempty"`
	RAMBytes      *int64   `json:"ram_bytes,omitempty"`
	GPU           string   `json:"gpu"`
	VRAMBytes     *int64   `json:"vram_bytes,omitempty"`
	BandwidthGBps *float64 `json:"memory_read_gbps,omitempty"`
	Trust         string   `json:"trust"`
	Fingerprint   string   `json:"fingerprint"`
}

// DeviceTable reads every device with its newest report, ordered by
// organisational unit and device id.
func DeviceTable(ctx context.Context, s Store) ([]DeviceRow, error) { return s.DeviceTable(ctx) }

// csvHeader names the columns of the device table export.
var csvHeader = []string{"device_id", "org_unit", "hostname", "last_report", "reports", "overall",
	"os", "cpu", "threads", "ram_gb", "gpu", "vram_gb", "memory_read_gbps", "trust", "fingerprint"}

// WriteCSV writes the device table as CSV (RFC 4180, comma, UTF-8, a
// header line; GB = 2^30 bytes with one decimal; empty = unknown). Cells
// that a spreadsheet would run as a formula are prefixed with a quote.
func WriteCSV(w io.Writer, rows []DeviceRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, d := range rows {
		rec := []string{d.DeviceID, d.OrgUnit, d.Hostname, d.LastReport, strconv.Itoa(d.Reports), d.Overall,
			d.OS, d.CPU, intCell(d.Threads), gbCell(d.RAMBytes), d.GPU, gbCell(d.VRAMBytes), floatCell(d.BandwidthGBps), d.Trust, d.Fingerprint}
		for i := range rec {
			rec[i] = defuseFormula(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuseFormula keeps text from a report (org unit, hostname, GPU name)
// from running as a spreadsheet formula (CSV injection).
func defuseFormula(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

func intCell(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

func gbCell(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(float64(*v)/(1<<30), 'f', 1, 64)
}

func floatCell(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}
