package hotspot

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Columns are the survey sheet's required columns, in the template's
// order; OptionalColumns may follow (docs/hotspots.md). Other columns are
// allowed and ignored (the import says so).
var (
	Columns         = []string{"id", "prozess", "organisationseinheit", "leika", "faelle_pro_jahr", "minuten_pro_fall", "textanteil_prozent", "ki_aufgabe", "datenklasse", "wirkung", "bereich", "profiling", "anmerkung"}
	OptionalColumns = []string{"digitaler_eingang", "datenqualitaet", "ausnahme", "ausnahme_dokumentiert", "buergerkontakt", "veroeffentlichung", "beschaeftigte", "verbot", "anhang_iii_nummer", "redaktionelle_pruefung"}
	AllColumns      = append(append([]string{}, Columns...), OptionalColumns...)
)

// Limits of what a sheet may hold, so a wrong or hostile file cannot use
// up memory: the file size, rows and characters per cell.
const (
	MaxSheetBytes = 4 << 20
	MaxRows       = 10000
	MaxCellRunes  = 2000
	maxProblems   = 50
	// The largest plausible figures (the limits for "absurd").
	MaxCasesPerYear   = 10_000_000
	MaxMinutesPerCase = 480
)

// Encodings ReadSheet tells apart.
const (
	EncUTF8        = "utf-8"
	EncUTF8BOM     = "utf-8-bom"
	EncWindows1252 = "windows-1252"
)

// Sheet is one read survey file.
type Sheet struct {
	File     string    `json:"file"`
	Encoding string    `json:"encoding"`
	Columns  []string  `json:"columns"`
	Ignored  []string  `json:"ignored_columns,omitempty"` // columns KI-Check does not know
	Rows     []Process `json:"rows"`
}

// ReadSheet reads a survey sheet: CSV with ';', UTF-8 with or without BOM
// or Windows-1252 (as Excel saves "CSV (Trennzeichen-getrennt)"), told
// apart by their bytes. tasks are the valid ki_aufgabe ids. Every problem
// found is returned (up to 50), each with file, line, column and what to
// do; a sheet with problems returns no rows.
func ReadSheet(name string, r io.Reader, tasks []string) (*Sheet, Problems) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSheetBytes+1))
	if err != nil {
		return nil, Problems{{File: name, Msg: msg("err.read", "Err", err.Error()), Hint: msg("hint.read")}}
	}
	if len(data) > MaxSheetBytes {
		return nil, Problems{{File: name, Msg: msg("err.too_big", "MiB", MaxSheetBytes>>20), Hint: msg("hint.too_big")}}
	}
	text, enc, p := decode(name, data)
	if p != nil {
		return nil, Problems{p}
	}
	sh := &Sheet{File: name, Encoding: enc}
	return sh.parse(text, tasks)
}

// decode finds the encoding and returns the text as UTF-8.
func decode(name string, data []byte) (string, string, *Problem) {
	encHint := msg("hint.encoding")
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.IndexByte(data, 0) >= 0 {
		return "", "", &Problem{File: name, Msg: msg("err.utf16"), Hint: encHint}
	}
	if b, ok := bytes.CutPrefix(data, []byte{0xEF, 0xBB, 0xBF}); ok {
		if !utf8.Valid(b) {
			return "", "", &Problem{File: name, Line: lineOf(data, firstInvalid(data)), Msg: msg("err.bad_utf8"), Hint: encHint}
		}
		return string(b), EncUTF8BOM, nil
	}
	if utf8.Valid(data) {
		return string(data), EncUTF8, nil
	}
	// Not UTF-8. UTF-8 sequences beside invalid bytes mean a file that was
	// pasted together from two encodings: reading it as Windows-1252 would
	// silently turn "ä" into "Ã¤".
	if i := utf8Sequence(data); i >= 0 {
		return "", "", &Problem{File: name, Line: lineOf(data, i), Msg: msg("err.mixed_encoding"), Hint: encHint}
	}
	for i, c := range data {
		switch c {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D: // not assigned in Windows-1252
			return "", "", &Problem{File: name, Line: lineOf(data, i), Msg: msg("err.unknown_encoding"), Hint: encHint}
		}
	}
	b, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", &Problem{File: name, Msg: msg("err.unknown_encoding"), Hint: encHint}
	}
	return string(b), EncWindows1252, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// utf8Sequence returns the offset of a UTF-8 sequence for a character
// German text uses (U+00A0–U+00FF: umlauts, ß; U+2000–U+20FF: „“–€), or
// -1. Their lead bytes are "Â", "Ã" and "â" in Windows-1252, which German
// text hardly contains, so a hit means UTF-8 among Windows-1252.
func utf8Sequence(b []byte) int {
	for i := 0; i < len(b); i++ {
		if b[i] != 0xC2 && b[i] != 0xC3 && b[i] != 0xE2 {
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if n > 1 && (r >= 0xA0 && r <= 0xFF || r >= 0x2000 && r <= 0x20FF) {
			return i
		}
	}
	return -1
}

func lineOf(b []byte, off int) int {
	if off < 0 {
		return 0
	}
	return bytes.Count(b[:off], []byte{'\n'}) + 1
}

type column struct {
	name string
	idx  int // cell index in the row
}

func (sh *Sheet) parse(text string, tasks []string) (*Sheet, Problems) {
	var ps Problems
	add := func(p *Problem) bool {
		p.File = sh.File
		ps = append(ps, p)
		return len(ps) < maxProblems
	}
	// The separator, judged on the header line.
	header, _, _ := strings.Cut(text, "\n")
	if strings.TrimSpace(header) == "" {
		return nil, Problems{{File: sh.File, Line: 1, Msg: msg("err.no_header", "Columns", strings.Join(Columns, ";")), Hint: msg("hint.template")}}
	}
	if !strings.Contains(header, ";") {
		sep := ""
		switch {
		case strings.Contains(header, "\t"):
			sep = "Tab"
		case strings.Contains(header, ","):
			sep = ","
		}
		if sep != "" {
			return nil, Problems{{File: sh.File, Line: 1, Msg: msg("err.separator", "Sep", sep), Hint: msg("hint.separator")}}
		}
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, Problems{csvProblem(sh.File, err)}
	}
	index := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		sh.Columns = append(sh.Columns, h)
		if j, dup := index[h]; dup {
			add(&Problem{Line: 1, Column: i + 1, Name: h, Msg: msg("err.duplicate_column", "First", ColumnLetter(j+1)), Hint: msg("hint.duplicate_column")})
			continue
		}
		index[h] = i
		if !known(h) && h != "" {
			sh.Ignored = append(sh.Ignored, h)
		}
	}
	var missing []string
	for _, c := range Columns {
		if _, ok := index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		add(&Problem{Line: 1, Msg: msg("err.missing_columns", "Columns", strings.Join(missing, ", "), "N", len(missing)), Hint: msg("hint.template")})
	}
	if len(ps) > 0 {
		return nil, ps
	}
	taskSet := map[string]bool{}
	for _, t := range tasks {
		taskSet[t] = true
	}
	seen := map[string]int{} // id → line
	rows := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			add(csvProblem(sh.File, err))
			break
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		rows++
		if rows > MaxRows {
			add(&Problem{Line: line, Msg: msg("err.too_many_rows", "Max", i18n.Int(MaxRows)), Hint: msg("hint.too_big")})
			break
		}
		if len(rec) > len(head) {
			add(&Problem{Line: line, Column: len(head) + 1, Msg: msg("err.too_many_cells", "N", len(rec), "Want", len(head)), Hint: msg("hint.too_many_cells")})
			continue
		}
		p, rowProblems := parseRow(rec, index, line, taskSet)
		for _, rp := range rowProblems {
			if !add(rp) {
				return nil, ps
			}
		}
		if p.ID != "" {
			if first, dup := seen[p.ID]; dup {
				if !add(&Problem{Line: line, Column: index["id"] + 1, Name: "id", Msg: msg("err.duplicate_id", "ID", p.ID, "First", first), Hint: msg("hint.duplicate_id")}) {
					return nil, ps
				}
			} else {
				seen[p.ID] = line
			}
		}
		if len(rowProblems) == 0 {
			p.Source = Source{File: sh.File, Line: line}
			sh.Rows = append(sh.Rows, p)
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if len(sh.Rows) == 0 {
		return nil, Problems{{File: sh.File, Line: 2, Msg: msg("err.no_rows"), Hint: msg("hint.template")}}
	}
	return sh, nil
}

func known(c string) bool {
	for _, k := range AllColumns {
		if c == k {
			return true
		}
	}
	return false
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func csvProblem(file string, err error) *Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Problem{File: file, Line: pe.Line, Msg: msg("err.csv", "Err", pe.Err.Error(), "Col", pe.Column), Hint: msg("hint.quotes")}
	}
	return &Problem{File: file, Msg: msg("err.csv", "Err", err.Error()), Hint: msg("hint.quotes")}
}

var (
	germanThousands = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{3})+$`)
	scientific      = regexp.MustCompile(`^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$`)
)

// parseRow reads one row; every cell's problem is reported.
func parseRow(rec []string, index map[string]int, line int, tasks map[string]bool) (Process, Problems) {
	var ps Problems
	cell := func(name string) (string, int) {
		i, ok := index[name]
		if !ok || i >= len(rec) {
			return "", i + 1
		}
		return strings.TrimSpace(rec[i]), i + 1
	}
	bad := func(name string, col int, m, h i18n.Msg) {
		ps = append(ps, &Problem{Line: line, Column: col, Name: name, Msg: m, Hint: h})
	}
	has := func(name string) bool { _, ok := index[name]; return ok }
	var p Process
	for _, name := range AllColumns {
		if !has(name) {
			continue
		}
		v, col := cell(name)
		if utf8.RuneCountInString(v) > MaxCellRunes {
			bad(name, col, msg("err.cell_too_long", "Max", MaxCellRunes), msg("hint.cell_too_long"))
			continue
		}
		if strings.ContainsFunc(v, func(r rune) bool {
			return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' || r == '\u202e' || r == '\u202d'
		}) {
			bad(name, col, msg("err.control", "Value", v), msg("hint.control"))
			continue
		}
		switch name {
		case "id":
			if v == "" {
				bad(name, col, msg("err.empty"), msg("hint.id"))
			} else if !idPattern.MatchString(v) {
				bad(name, col, msg("err.bad_id", "Value", v), msg("hint.id"))
			}
			p.ID = v
		case "prozess":
			if v == "" {
				bad(name, col, msg("err.empty"), msg("hint.required"))
			}
			p.Name = v
		case "organisationseinheit":
			if v == "" {
				bad(name, col, msg("err.empty"), msg("hint.required"))
			}
			p.Unit = v
		case "leika":
			k := strings.ReplaceAll(v, " ", "")
			switch {
			case scientific.MatchString(k):
				bad(name, col, msg("err.leika_scientific", "Value", v), msg("hint.leika_text"))
			case !ValidLeiKa(k):
				bad(name, col, msg("err.leika", "Value", v), msg("hint.leika"))
			}
			p.LeiKa = k
		case "faelle_pro_jahr":
			n, m := parseCount(v)
			if m.ID != "" {
				bad(name, col, m, msg("hint.number"))
			} else if n > MaxCasesPerYear {
				bad(name, col, msg("err.absurd_cases", "Value", v, "Max", i18n.Int(MaxCasesPerYear)), msg("hint.absurd"))
			}
			p.CasesPerYear = n
		case "minuten_pro_fall":
			f, m := parseDecimal(v)
			if m.ID != "" {
				bad(name, col, m, msg("hint.number"))
			} else if f > MaxMinutesPerCase {
				bad(name, col, msg("err.absurd_minutes", "Value", v, "Max", MaxMinutesPerCase), msg("hint.absurd_minutes"))
			}
			p.MinutesPerCase = f
		case "textanteil_prozent":
			f, m := parseDecimal(strings.TrimSpace(strings.TrimSuffix(v, "%")))
			if m.ID != "" {
				bad(name, col, m, msg("hint.number"))
			} else if f > 100 {
				bad(name, col, msg("err.percent", "Value", v), msg("hint.percent"))
			}
			p.TextSharePercent = f
		case "ki_aufgabe":
			t := strings.ToLower(v)
			if !tasks[t] {
				bad(name, col, msg("err.unknown_task", "Value", v), msg("hint.choose", "Valid", strings.Join(sortedKeys(tasks), ", ")))
			}
			p.Task = t
		case "datenklasse":
			c, err := dataclass.Parse(v)
			if err != nil {
				bad(name, col, msg("err.unknown_dataclass", "Value", v), msg("hint.choose", "Valid", strings.Join(dataclass.IDs(), ", ")))
			}
			p.DataClass = string(c)
		case "wirkung":
			p.Effect = choose(v, ids(aiact.Effects), name, col, bad)
		case "bereich":
			p.Area = choose(v, ids(aiact.Areas), name, col, bad)
		case "profiling":
			p.Profiling = yesNo(v, false, name, col, bad)
		case "anmerkung":
			p.Note = v
		case "digitaler_eingang":
			p.DigitalInput = chooseOptional(v, DigitalInputs, name, col, bad)
		case "datenqualitaet":
			p.DataQuality = chooseOptional(v, DataQualities, name, col, bad)
		case "ausnahme":
			x, err := aiact.ParseException(v)
			if err != nil {
				bad(name, col, msg("err.unknown_value", "Value", v), msg("hint.choose", "Valid", "keine, "+strings.Join(ids(aiact.Exceptions), ", ")))
			}
			p.Exception = string(x)
		case "ausnahme_dokumentiert":
			p.ExceptionDocumented = yesNo(v, true, name, col, bad)
		case "buergerkontakt":
			p.PublicContact = yesNo(v, true, name, col, bad)
		case "veroeffentlichung":
			p.PublishesText = yesNo(v, true, name, col, bad)
		case "beschaeftigte":
			p.AffectsStaff = yesNo(v, true, name, col, bad)
		case "verbot":
			x, err := aiact.ParsePractice(v)
			if err != nil {
				bad(name, col, msg("err.unknown_value", "Value", v), msg("hint.choose", "Valid", "keine, "+strings.Join(ids(aiact.Practices), ", ")))
			}
			p.Practice = string(x)
		case "anhang_iii_nummer":
			x, err := aiact.ParsePoint(v)
			if err != nil {
				bad(name, col, msg("err.unknown_value", "Value", v), msg("hint.choose", "Valid", strings.Join(ids(aiact.Points), ", ")))
			}
			p.Point = string(x)
		case "redaktionelle_pruefung":
			p.EditorialReview = yesNo(v, true, name, col, bad)
		}
	}
	return p, ps
}

func ids[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	// small sets: insertion sort keeps this dependency-free
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

type badFunc func(name string, col int, m, h i18n.Msg)

func choose(v string, valid []string, name string, col int, bad badFunc) string {
	s := strings.ToLower(v)
	for _, k := range valid {
		if s == k {
			return k
		}
	}
	if v == "" {
		bad(name, col, msg("err.empty"), msg("hint.choose", "Valid", strings.Join(valid, ", ")))
	} else {
		bad(name, col, msg("err.unknown_value", "Value", v), msg("hint.choose", "Valid", strings.Join(valid, ", ")))
	}
	return s
}

func chooseOptional(v string, valid []string, name string, col int, bad badFunc) string {
	if v == "" {
		return ""
	}
	return choose(v, valid, name, col, bad)
}

func yesNo(v string, emptyOK bool, name string, col int, bad badFunc) bool {
	switch strings.ToLower(v) {
	case "ja", "j", "yes", "y", "x", "1", "wahr", "true":
		return true
	case "nein", "n", "no", "0", "falsch", "false":
		return false
	case "":
		if emptyOK {
			return false
		}
		bad(name, col, msg("err.empty"), msg("hint.yesno"))
		return false
	}
	bad(name, col, msg("err.unknown_value", "Value", v), msg("hint.yesno"))
	return false
}

// parseCount reads a whole number as people write it in a German
// spreadsheet: "1200", "1.200", "1 200".
func parseCount(v string) (int64, i18n.Msg) {
	s := strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), "\u00a0", "")
	if s == "" {
		return 0, msg("err.empty")
	}
	if scientific.MatchString(s) {
		return 0, msg("err.scientific", "Value", v)
	}
	if germanThousands.MatchString(s) {
		s = strings.ReplaceAll(s, ".", "")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if strings.HasPrefix(s, "-") {
			return 0, msg("err.negative", "Value", v)
		}
		if f, ferr := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); ferr == nil && f >= 0 {
			return 0, msg("err.not_whole", "Value", v)
		}
		if errors.Is(err, strconv.ErrRange) {
			return 0, msg("err.absurd_cases", "Value", v, "Max", i18n.Int(MaxCasesPerYear))
		}
		return 0, msg("err.not_number", "Value", v)
	}
	if n < 0 {
		return 0, msg("err.negative", "Value", v)
	}
	return n, i18n.Msg{}
}

// parseDecimal reads "7,5", "7.5" or "1.234,5".
func parseDecimal(v string) (float64, i18n.Msg) {
	s := strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), "\u00a0", "")
	if s == "" {
		return 0, msg("err.empty")
	}
	if scientific.MatchString(s) {
		return 0, msg("err.scientific", "Value", v)
	}
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f || f > 1e15 || f < -1e15 {
		return 0, msg("err.not_number", "Value", v)
	}
	if f < 0 {
		return 0, msg("err.negative", "Value", v)
	}
	return f, i18n.Msg{}
}
