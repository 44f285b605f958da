package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// The traffic-light colours, one source for the HTML page, the PDF and
// the GUI (internal/ui uses LevelRGB). Each is dark enough to be read as
// text on white and on the report's light grey box (#f5f5f5) with a
// contrast of at least 4.5:1 (WCAG 2.2, normal text); the old orange
// (230,160,0) had 2.05:1. TestTrafficLightContrast computes it.
var levelRGB = map[string][3]uint8{
	LevelReady:    {30, 120, 70},   // green
	LevelLimited:  {180, 83, 9},    // dark orange
	LevelNotReady: {200, 40, 40},   // red
	LevelUnknown:  {100, 100, 100}, // grey
}

// Backgrounds the colours are drawn on: the page and the overall box.
var (
	bgPage = [3]uint8{255, 255, 255}
	bgBox  = [3]uint8{245, 245, 245}
)

// LevelRGB is the traffic-light colour of a level (unknown levels grey).
func LevelRGB(level string) [3]uint8 {
	if c, ok := levelRGB[level]; ok {
		return c
	}
	return levelRGB[LevelUnknown]
}

func levelColour(level string) [3]int {
	c := LevelRGB(level)
	return [3]int{int(c[0]), int(c[1]), int(c[2])}
}

// ContrastRatio is the WCAG 2.x contrast ratio of two sRGB colours,
// from 1 (same) to 21 (black on white).
func ContrastRatio(a, b [3]uint8) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c [3]uint8) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

func hexColour(c [3]int) string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

// levelCSS is the style sheet part for the levels: one class per level
// (lvl-ready, lvl-limited, lvl-not_ready, lvl-unknown), so no colour goes
// into a style attribute (html/template replaces such values with
// "ZgotmplZ", which left the lights empty).
func levelCSS() template.CSS {
	var b strings.Builder
	for _, l := range []string{LevelReady, LevelLimited, LevelNotReady, LevelUnknown} {
		h := hexColour(levelColour(l))
		fmt.Fprintf(&b, ".light.lvl-%s { background: %s; }\n.overall.lvl-%s { border-color: %s; }\n.lvl-%s .level-text { color: %s; }\n", l, h, l, h, l, h)
	}
	return template.CSS(b.String())
}

// levelClass is the CSS class of a level; an unknown value gets
// lvl-unknown, so report data never names a class.
func levelClass(level string) string {
	if _, ok := levelRGB[level]; ok {
		return "lvl-" + level
	}
	return "lvl-unknown"
}
