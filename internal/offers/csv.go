package offers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ki-reise/kicheck/internal/moochub"
)

// CSVColumns are the columns of a list of paper-only offers; the first
// seven are required in the header, the rest optional.
var CSVColumns = []string{"provider", "title", "url", "duration", "format", "cost", "language", "description", "areas"}

// germanColumns are accepted as header names too.
var germanColumns = map[string]string{"anbieter": "provider", "titel": "title", "link": "url", "dauer": "duration",
	"format": "format", "kosten": "cost", "sprache": "language", "beschreibung": "description", "bereiche": "areas"}

// CSVFormats are the values of the format column (the MOOChub courseMode
// values; German words are accepted: praesenz/präsenz → onsite,
// selbstlernen → asynchronous).
var csvFormats = map[string]string{"online": "online", "onsite": "onsite", "blended": "blended", "synchronous": "synchronous",
	"asynchronous": "asynchronous", "praesenz": "onsite", "präsenz": "onsite", "selbstlernen": "asynchronous", "hybrid": "blended"}

// ReadCSV reads a list of offers (comma or semicolon separated, UTF-8,
// header line with the column names). Every problem names line, column
// and field; a file with problems yields no offers.
func ReadCSV(file string, data []byte) ([]Offer, error) {
	if !utf8.Valid(data) {
		return nil, CSVErrors{{File: file, Line: 1, Msg: msgf("offers.csv.not_utf8")}}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, csvReadError(file, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if g, ok := germanColumns[h]; ok {
			h = g
		}
		col[h] = i
	}
	var errs CSVErrors
	for _, c := range CSVColumns[:7] {
		if _, ok := col[c]; !ok {
			errs = append(errs, &CSVError{File: file, Line: 1, Msg: msgf("offers.csv.missing_column", "Column", c, "Columns", strings.Join(CSVColumns[:7], ","))})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var out []Offer
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, csvReadError(file, err).(CSVErrors)...)
			break
		}
		line, _ := r.FieldPos(0)
		get := func(name string) (string, int) {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return "", 0
			}
			_, c := r.FieldPos(i)
			return strings.TrimSpace(rec[i]), c
		}
		bad := func(field string, c int, id string, kv ...any) {
			errs = append(errs, &CSVError{File: file, Line: line, Column: c, Field: field, Msg: msgf(id, kv...)})
		}
		blank := true
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		o := Offer{Kind: KindCSV}
		var c int
		var v string
		if v, c = get("provider"); v == "" {
			bad("provider", c, "offers.csv.required")
		}
		o.Provider = moochub.Clean(v)
		if v, c = get("title"); v == "" {
			bad("title", c, "offers.csv.required")
		}
		o.Name = moochub.Clean(v)
		if v, c = get("url"); v != "" {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("url", c, "offers.csv.bad_url", "Value", moochub.Clean(v))
			}
			o.URL = moochub.Clean(v)
		}
		if v, c = get("duration"); v != "" {
			m, ok := parseDuration(v)
			if !ok {
				bad("duration", c, "offers.csv.bad_duration", "Value", moochub.Clean(v))
			}
			o.Duration, o.DurationMinutes = moochub.Clean(v), m
		}
		if v, c = get("format"); v != "" {
			for _, f := range splitList(v) {
				m, ok := csvFormats[strings.ToLower(f)]
				if !ok {
					bad("format", c, "offers.csv.bad_format", "Value", moochub.Clean(f))
					continue
				}
				o.Modes = append(o.Modes, m)
			}
		}
		if v, _ = get("cost"); v != "" {
			o.Cost = moochub.Clean(v)
			switch strings.ToLower(v) {
			case "0", "kostenlos", "kostenfrei", "free", "frei", "0 €", "0 eur":
				o.Access = []string{"free"}
			default:
				o.Access = []string{"paid"}
			}
		}
		if v, c = get("language"); v != "" {
			for _, l := range splitList(v) {
				if !langRE.MatchString(l) {
					bad("language", c, "offers.csv.bad_language", "Value", moochub.Clean(l))
					continue
				}
				o.Languages = append(o.Languages, strings.ToLower(l))
			}
		}
		v, _ = get("description")
		o.Description = moochub.PlainText(v)
		if v, _ = get("areas"); v != "" {
			for _, a := range splitList(v) {
				area, level, stated := parseAreaCode(a)
				o.Areas = append(o.Areas, Mapping{Area: area, Level: level, LevelStated: stated, Origin: OriginFeed})
			}
		}
		o.Key = "csv:" + strings.ToLower(o.URL)
		if o.URL == "" {
			o.Key = "csv:" + strings.ToLower(o.Provider+"|"+o.Name)
		}
		if prev, dup := seen[o.Key]; dup {
			bad("title", 0, "offers.csv.duplicate", "Line", prev)
		}
		seen[o.Key] = line
		out = append(out, o)
		if len(out) > 10000 {
			bad("", 0, "offers.csv.too_many", "Max", 10000)
			break
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

var langRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '/' || r == '|' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var durRE = regexp.MustCompile(`^(\d+(?:[.,]\d+)?)\s*(min|minuten|minutes|h|std|stunden|hours|t|tag|tage|d|days?)?$`)

// parseDuration reads "90", "90 min", "3 h", "1,5 h", "2 Tage" (a day
// counts 8 h of training) or an ISO 8601 duration.
func parseDuration(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(s, "p") {
		return moochub.DurationMinutes(strings.ToUpper(s))
	}
	m := durRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
	if err != nil || f > 1e6 {
		return 0, false
	}
	switch m[2] {
	case "h", "std", "stunden", "hours":
		f *= 60
	case "t", "tag", "tage", "d", "day", "days":
		f *= 8 * 60
	}
	return int(f + 0.5), f > 0
}

func csvReadError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return CSVErrors{{File: file, Line: pe.Line, Column: pe.Column, Msg: msgf("offers.csv.syntax", "Detail", pe.Err.Error())}}
	}
	return CSVErrors{{File: file, Line: 1, Msg: msgf("offers.csv.syntax", "Detail", err.Error())}}
}
