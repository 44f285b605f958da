package fit

import (
	"math"
	"strconv"
)

// Plain figures for clerks. The reasons speak in pages of text and
// seconds, not in tokens: a page of answer is PageTokens tokens (about
// 350 German words), and a reader follows at about ReadingTPS tokens per
// second (about 100 seconds a page). The technical figures stay in the
// message's ".it" line for IT.
const (
	PageTokens = 500.0
	ReadingTPS = 5.0
)

// plainFigures derives the values the plain texts use from a reason's
// data: seconds per page for a speed (PageSecs, PageSecsGood,
// PageSecsMax), the input in pages (Pages, as words: "einer Seite",
// "2 Seiten") and the need in whole gigabytes.
func plainFigures(lang string, d map[string]any) map[string]string {
	out := map[string]string{}
	num := func(k string) (float64, bool) {
		f, ok := d[k].(float64)
		if !ok {
			if i, ok2 := d[k].(int); ok2 {
				return float64(i), true
			}
		}
		return f, ok && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	perPage := func(tps float64) string { return formatValue(lang, math.Round(PageTokens/tps)) }
	if v, ok := num("TPS"); ok && v > 0 {
		out["PageSecs"] = perPage(v)
	}
	if v, ok := num("Good"); ok && v > 0 {
		out["PageSecsGood"] = perPage(v)
	}
	if v, ok := num("Minimum"); ok && v > 0 {
		out["PageSecsMax"] = perPage(v)
	}
	// A close decode verdict's interval and threshold in tokens per
	// second, as seconds per page (the high speed is the short time).
	for _, k := range []string{"Low", "High", "Threshold"} {
		if v, ok := num(k); ok && v > 0 {
			out[k+"PageSecs"] = perPage(v)
		}
	}
	if v, ok := num("Prompt"); ok && v > 0 {
		out["Pages"] = pagesText(lang, v/PageTokens)
	}
	return out
}

// pagesText says how many pages a text is, for "bei einer Eingabe von …".
func pagesText(lang string, pages float64) string {
	n := math.Round(pages)
	switch {
	case pages < 0.75 && lang == "en":
		return "half a page"
	case pages < 0.75:
		return "einer halben Seite"
	case n <= 1 && lang == "en":
		return "one page"
	case n <= 1:
		return "einer Seite"
	case lang == "en":
		return strconv.Itoa(int(n)) + " pages"
	}
	return strconv.Itoa(int(n)) + " Seiten"
}
