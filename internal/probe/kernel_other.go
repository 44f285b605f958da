//go:build !amd64

package probe

// kernelISA: no SIMD kernel on this architecture yet (the fit uses the
// bandwidth and the compute estimate).
var kernelISA = ""

func dotQ8(w, x []byte, nb int) float32 { return dotQ8Go(w, x, nb) }

func dotQ4K(w, x []byte, nb int) float32 { return dotQ4KGo(w, x, nb) }
