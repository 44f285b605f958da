package report

import (
	"fmt"
	"strings"
	"testing"
)

// TestTrafficLightContrast computes the WCAG contrast of each level's
// colour as text on the page and in the overall box: at least 4.5:1
// (normal text). The old orange (230,160,0) had 2.05:1 on the box and
// fails this check, which the first case proves.
func TestTrafficLightContrast(t *testing.T) {
	if old := ContrastRatio([3]uint8{230, 160, 0}, bgBox); old >= 3 {
		t.Fatalf("the contrast computation is off: the old orange gets %.2f:1", old)
	}
	if bw := ContrastRatio([3]uint8{0, 0, 0}, [3]uint8{255, 255, 255}); bw < 20.99 || bw > 21.01 {
		t.Fatalf("black on white: %.3f, want 21", bw)
	}
	for _, l := range []string{LevelReady, LevelLimited, LevelNotReady, LevelUnknown} {
		for name, bg := range map[string][3]uint8{"page": bgPage, "box": bgBox} {
			if c := ContrastRatio(LevelRGB(l), bg); c < 4.5 {
				t.Errorf("%s on the %s: %.2f:1, want at least 4.5:1", l, name, c)
			} else {
				t.Logf("%s on the %s: %.2f:1", l, name, c)
			}
		}
	}
}

// TestHTMLTrafficLightsUseClasses: every light gets its colour from a CSS
// class; nothing in the page is "ZgotmplZ" (html/template's replacement
// for a value it refuses in a style attribute), and no colour sits in a
// style attribute.
func TestHTMLTrafficLightsUseClasses(t *testing.T) {
	_, r, _, _ := sample(t)
	r.Summary.Verdicts[0].Level = LevelReady
	r.Summary.Verdicts[1].Level = LevelNotReady
	r.Summary.Verdicts = append(r.Summary.Verdicts, Verdict{Subject: "x", Level: `red"><script>`, Reason: "y"})
	html, err := HTML(r, Files{}, "de")
	if err != nil {
		t.Fatal(err)
	}
	h := string(html)
	if strings.Contains(h, "ZgotmplZ") {
		t.Fatal("the HTML contains ZgotmplZ: a colour was refused by html/template")
	}
	if strings.Contains(h, "style=") {
		t.Error("the HTML has a style attribute; colours belong in CSS classes")
	}
	for _, want := range []string{
		`class="overall lvl-limited"`, `class="light lvl-limited"`, `class="light small lvl-ready"`, `class="light small lvl-not_ready"`, `class="light small lvl-unknown"`,
		fmt.Sprintf(".light.lvl-limited { background: %s; }", hexColour(levelColour(LevelLimited))), "#b45309",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}
