package bench

import "os"

// hostname names this PC in stored runs, so databases merged later (the
// central collection) still say where a run was measured.
func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return h
}
