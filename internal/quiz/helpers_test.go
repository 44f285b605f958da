package quiz

import (
	"encoding/json"
	"testing"
)

// assertSameQuestions compares through JSON, the normalized form.
func assertSameQuestions(t *testing.T, want, got []Question) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%d questions, want %d", len(got), len(want))
	}
	for i := range want {
		w, _ := json.Marshal(want[i])
		g, _ := json.Marshal(got[i])
		if string(w) != string(g) {
			t.Errorf("question %d differs:\nwant %s\ngot  %s", i, w, g)
		}
	}
}
