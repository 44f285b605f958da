package i18n

import (
	"fmt"
	"strings"
	"time"
)

// The one place where numbers, durations and times are written per
// language for people; Decimal, Grouped, Int, Time and Date are in
// i18n.go and date.go.

// Short writes v with at most two decimals and no trailing zeros, with
// the language's decimal separator: 2,5 in German, 2.5 in English
// (scores, points).
func Short(lang string, v float64) string {
	s := strings.TrimRight(strings.TrimRight(Decimal("en", v, 2), "0"), ".")
	if s == "-0" || s == "" {
		s = "0"
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Minutes writes a duration in minutes as "45 min", "6 h", "1 h 30 min"
// (the same in German and English).
func Minutes(lang string, min int) string {
	switch {
	case min < 60:
		return fmt.Sprintf("%d min", min)
	case min%60 == 0:
		return fmt.Sprintf("%d h", min/60)
	}
	return fmt.Sprintf("%d h %d min", min/60, min%60)
}

// DateTime writes t (in its own location; the caller chooses Local or
// UTC) to the minute: "27.11.2026, 14:05" in German, "27 Nov 2026, 14:05"
// in English.
func DateTime(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("02.01.2006, 15:04")
}
