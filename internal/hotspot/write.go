package hotspot

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
)

// record is the row's cells in AllColumns order, numbers with a decimal
// point (the canonical form conflicts are compared in).
func (p Process) record() []string { return p.cells(false) }

func (p Process) cells(comma bool) []string {
	num := func(f float64) string {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if comma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	yn := func(b bool) string {
		if b {
			return "ja"
		}
		return "nein"
	}
	return []string{p.ID, p.Name, p.Unit, p.LeiKa, strconv.FormatInt(p.CasesPerYear, 10), num(p.MinutesPerCase),
		num(p.TextSharePercent), p.Task, p.DataClass, p.Effect, p.Area, yn(p.Profiling), p.Note,
		p.DigitalInput, p.DataQuality, p.Exception, yn(p.ExceptionDocumented), yn(p.PublicContact),
		yn(p.PublishesText), yn(p.AffectsStaff), p.Practice, p.Point, yn(p.EditorialReview)}
}

// WriteSheet writes rows as a survey sheet as Excel reads it in a German
// setting: UTF-8 with BOM, ';', CRLF, decimal commas, every column
// (required and optional). No rows gives the empty template.
func WriteSheet(rows []Process) []byte {
	var buf bytes.Buffer
	buf.Write([]byte{0xEF, 0xBB, 0xBF})
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	_ = w.Write(AllColumns)
	for _, p := range rows {
		_ = w.Write(p.cells(true))
	}
	w.Flush()
	return buf.Bytes()
}
