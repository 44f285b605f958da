package i18n

import "time"

// Date is a calendar day that renders itself per language: 04.12.2026 in
// German, 4 Dec 2026 in English (never the ISO form a clerk does not
// read as a date). The zero Date renders as "–".
type Date time.Time

// Text renders d in lang.
func (d Date) Text(lang string) string {
	t := time.Time(d)
	if t.IsZero() {
		return "–"
	}
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02.01.2006")
}

// ParseDate reads an ISO date (YYYY-MM-DD), as content bundles write it.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	return Date(t), err
}
