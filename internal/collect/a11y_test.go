package collect

import (
	"bytes"
	"context"
	"testing"

	"github.com/ki-reise/kicheck/internal/axetest"
)

// The fleet page passes axe-core's WCAG 2.1 A/AA rules in Chromium, in
// German and English, and reflows at 320 CSS px.
func TestFleetHTMLAccessible(t *testing.T) {
	in, now := fleetDB(t)
	f, err := ComputeFleet(context.Background(), in.db, FleetOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	// The same data as TestFleetHTMLAndCSV: a hostile and a long chart label.
	f.GPUModels = append(f.GPUModels, Bucket{Label: `<b onmouseover=alert(2)>GPU</b>`, Devices: 1},
		Bucket{Label: "NVIDIA GeForce RTX 4060 Laptop GPU with a long name", Devices: 1})
	pages := map[string][]byte{}
	for _, lang := range []string{"de", "en"} {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, f, lang); err != nil {
			t.Fatal(err)
		}
		pages["fleet-"+lang+".html"] = buf.Bytes()
	}
	axetest.RequireClean(t, axetest.Check(t, pages))
}
