package report

import (
	"testing"

	"github.com/ki-reise/kicheck/internal/axetest"
)

// The HTML report passes axe-core's WCAG 2.1 A/AA rules in Chromium, in
// German and English, and reflows at 320 CSS px.
func TestHTMLAccessible(t *testing.T) {
	_, r, _, _ := sample(t)
	f := Files{JSON: "/home/anna/Dokumente/kicheck-kc-x.json", Sig: "/home/anna/Dokumente/kicheck-kc-x.json.sig"}
	pages := map[string][]byte{}
	for _, lang := range []string{"de", "en"} {
		h, err := HTML(r, f, lang)
		if err != nil {
			t.Fatal(err)
		}
		pages["report-"+lang+".html"] = h
	}
	axetest.RequireClean(t, axetest.Check(t, pages))
}
