package ui

import (
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/collect"
)

// Issue 20, failure 5: the Sammelstelle names the PCs whose clock is
// ahead, with how far, and says nothing when there are none.
func TestFleetViewShowsClockAhead(t *testing.T) {
	newTestApp(t)
	applyLanguage("de")
	v := newFleetView()
	v.cards()
	f := &collect.Fleet{Stale: collect.Stale{Days: 30}, ClockAhead: collect.ClockAhead{MinSeconds: 300, Count: 2, Devices: []collect.ClockAheadDevice{
		{DeviceID: "kc-1", Hostname: "PC-BAU-07", AheadSeconds: 3 * 3600}, {DeviceID: "kc-2", AheadSeconds: 20 * 60}}}}
	v.show(f, "de", nil)
	if !v.clock.Visible() || !strings.Contains(v.clock.Text, "Uhr geht vor auf 2 Arbeitsplätzen") ||
		!strings.Contains(v.clock.Text, "PC-BAU-07 (3,0 h), kc-2 (20 min)") {
		t.Errorf("clock ahead: visible %v, %q", v.clock.Visible(), v.clock.Text)
	}
	f.ClockAhead = collect.ClockAhead{MinSeconds: 300, Devices: []collect.ClockAheadDevice{}}
	v.show(f, "de", nil)
	if v.clock.Visible() {
		t.Errorf("no clock ahead, but shown: %q", v.clock.Text)
	}
}
