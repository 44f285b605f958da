package aggregate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/axetest"
	"github.com/ki-reise/kicheck/internal/golden"
)

// sampleView is a Land of three municipalities: one with every level on
// its own, one that had to merge limited with not ready, one with a
// hostile name.
func sampleView(t *testing.T) *aggregate.LandView {
	t.Helper()
	land := landDB(t)
	g := func(n int, keys ...string) aggregate.Group { return aggregate.Group{Keys: keys, Devices: n} }
	entries := []aggregate.Stored{
		{AGS: "15002000", Name: "Halle (Saale)", Created: "2026-12-03T08:00:00Z", From: "2026-11-02", To: "2026-12-02", Devices: 1240,
			Overall: []aggregate.Group{g(410, "ready"), g(520, "limited"), g(290, "not_ready"), g(20, "unknown")}},
		{AGS: "15087275", Name: "Lutherstadt Eisleben", Created: "2026-11-28T16:30:00Z", From: "2026-10-30", To: "2026-11-27", Devices: 23,
			Overall: []aggregate.Group{g(17, "ready"), g(6, "limited", "not_ready"), g(0, "unknown")}},
		{AGS: "15091375", Name: "Wittenberg <b>\x1b[31m", Created: "2026-11-30T09:00:00Z", From: "2026-11-01", To: "2026-11-29", Devices: 9,
			Overall: []aggregate.Group{g(9, "ready", "limited", "not_ready", "unknown")}},
	}
	for i := range entries {
		entries[i].SHA256, entries[i].Signer, entries[i].Imported = "x", "SHA256:x", "2026-12-04T10:00:00Z"
		entries[i].Data, entries[i].Sig = []byte("{}"), []byte("sig")
	}
	if err := land.Put(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
	v, err := aggregate.View(context.Background(), land, now)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The text view in German and English against golden files (-update
// rewrites them); a name with markup and an escape sequence stays text.
func TestViewTextGolden(t *testing.T) {
	v := sampleView(t)
	if v.Total.Devices != 1272 || v.Total.Ready != 427 || v.Total.InMerged != 15 {
		t.Fatalf("total %+v", v.Total)
	}
	for _, lang := range []string{"de", "en"} {
		var buf bytes.Buffer
		if err := aggregate.WriteText(&buf, v, lang); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "land-"+lang+".txt", buf.Bytes())
		if strings.Contains(buf.String(), "\x1b") {
			t.Errorf("%s: escape sequence printed raw", lang)
		}
	}
	// The JSON keeps the counts apart from the merged groups.
	b, _ := json.Marshal(v)
	if !strings.Contains(string(b), `"in_merged_groups":6`) || !strings.Contains(string(b), `"merged":[{"keys":["limited","not_ready"],"devices":6}]`) {
		t.Errorf("json: %s", b)
	}
}

// The Land page passes axe-core's WCAG 2.1 A/AA rules in Chromium, in
// German and English, as the fleet page does; an empty Land too.
func TestViewHTMLAccessible(t *testing.T) {
	v := sampleView(t)
	pages := map[string][]byte{}
	for _, lang := range []string{"de", "en"} {
		var buf bytes.Buffer
		if err := aggregate.WriteHTML(&buf, v, lang); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "Wittenberg <b>") || !strings.Contains(buf.String(), "Wittenberg &lt;b&gt;") {
			t.Errorf("%s: markup from a name reached the page", lang)
		}
		pages["land-"+lang+".html"] = buf.Bytes()
	}
	var empty bytes.Buffer
	if err := aggregate.WriteHTML(&empty, &aggregate.LandView{MinBucket: 5, Municipalities: []aggregate.LandRow{}}, "de"); err != nil {
		t.Fatal(err)
	}
	pages["land-empty.html"] = empty.Bytes()
	if dir := os.Getenv("KICHECK_LAND_HTML"); dir != "" { // for looking at the page
		for n, b := range pages {
			os.WriteFile(filepath.Join(dir, n), b, 0o644)
		}
	}
	axetest.RequireClean(t, axetest.Check(t, pages))
}
