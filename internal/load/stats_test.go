package load

import (
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func broken2client() *http.Client { return &http.Client{} }

func TestQuantileOrderStatistics(t *testing.T) {
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	d := NewDist(xs)
	if d.P50.Value != 50 || d.P90.Value != 90 || d.P99.Value != 99 {
		t.Fatalf("%+v", d)
	}
	// n=100, q=0.5: sd 5, ranks floor(50-9.8)=40 and ceil(59.8)+1=61.
	if d.P50.Lo != 40 || d.P50.Hi != 61 {
		t.Errorf("p50 interval %v–%v, want 40–61", d.P50.Lo, d.P50.Hi)
	}
	// p99 of 100 samples has no upper bound.
	if !math.IsNaN(d.P99.Hi) {
		t.Errorf("p99 upper bound %v from 100 samples", d.P99.Hi)
	}
	if e := NewDist(nil); e.N != 0 || !math.IsNaN(e.P50.Value) {
		t.Errorf("empty: %+v", e)
	}
}

func TestWilson(t *testing.T) {
	s := NewShare(9, 10)
	// Wilson 95 % for 9/10: 0.596–0.982.
	if math.Abs(s.Lo-0.596) > 0.001 || math.Abs(s.Hi-0.982) > 0.001 {
		t.Errorf("%+v", s)
	}
	if z := NewShare(0, 0); !math.IsNaN(z.P) {
		t.Errorf("%+v", z)
	}
}

func TestSaturationRule(t *testing.T) {
	lv := func(c int, tp, e2e float64) Level {
		return Level{Level: c, TokPerS: tp, E2E: Dist{P50: Quantile{Value: e2e}}}
	}
	if s := saturation([]Level{lv(1, 100, 10), lv(2, 190, 11), lv(4, 350, 12)}); s != 0 {
		t.Errorf("growing throughput called saturated at %d", s)
	}
	if s := saturation([]Level{lv(2, 190, 11), lv(4, 200, 20), lv(8, 195, 40)}); s != 4 {
		t.Errorf("flat throughput over two levels with growing latency: %d, want 4", s)
	}
	if s := saturation([]Level{lv(2, 190, 11), lv(4, 200, 20)}); s != 0 {
		t.Errorf("one flat level called saturated at %d", s)
	}
}

// recorded reads a sweep recorded against the real Ollama with 4 slots
// (TestOllamaRecordSweep; a CPU-bound process ran beside it).
func recorded(t *testing.T, name string) []Level {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var ls []Level
	if err := json.Unmarshal(b, &ls); err != nil {
		t.Fatal(err)
	}
	return ls
}

// TestSaturationNoisyRecording: in this recording level 4 lost throughput
// to the process beside it (2958 tok/s after 3070 at level 2, end-to-end
// p50 83 ms after 37) and the old one-level rule called the server
// saturated there, though 8 and 16 concurrent requests then got 3607 and
// 4471 tok/s. The two-level rule does not.
func TestSaturationNoisyRecording(t *testing.T) {
	ls := recorded(t, "noisy_sweep.json")
	oneLevel := func(a, b Level) bool { return b.TokPerS < 1.10*a.TokPerS && b.E2E.P50.Value > 1.5*a.E2E.P50.Value }
	if !oneLevel(ls[1], ls[2]) {
		t.Fatalf("the recording no longer shows the noise it is kept for: %+v", ls[:3])
	}
	for n := 3; n <= len(ls); n++ {
		if s := saturation(ls[:n]); s != 0 {
			t.Errorf("levels up to %d: saturation %d, want none (throughput kept growing)", ls[n-1].Level, s)
		}
	}
	// A real plateau in another recording is still found: 4 slots, flat
	// from 8 concurrent requests on.
	if s := saturation(recorded(t, "saturated_sweep.json")); s != 8 {
		t.Errorf("saturated recording: %d, want 8", s)
	}
}

// TestSlotsInferred: Ollama does not report its slots; a sweep shows them
// as the level from which the first token waits in a queue.
func TestSlotsInferred(t *testing.T) {
	r := &Result{Shape: ShapeSweep, Levels: recorded(t, "saturated_sweep.json")}
	s := inferSlots(r)
	if s.Readable || !s.Inferred || s.Lo != 4 || s.Hi != 7 || s.QueueAt != 8 {
		t.Errorf("4 slots, queue from 8: got %+v", s)
	}
	if got := s.Msg().Text("de"); !strings.Contains(got, "nicht lesbar") || !strings.Contains(got, "zwischen 4 und 7") {
		t.Errorf("text: %s", got)
	}
	r.Levels = r.Levels[:3] // 1, 2, 4: no queue yet
	if s := inferSlots(r); !s.AtLeast || s.Lo != 4 {
		t.Errorf("no queue up to 4: %+v", s)
	}
	if got := inferSlots(&Result{Shape: ShapeDay}).Msg().Text("en"); !strings.Contains(got, "not readable") {
		t.Errorf("day: %s", got)
	}
}
