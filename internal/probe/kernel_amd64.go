package probe

import xcpu "golang.org/x/sys/cpu"

//go:noescape
func dotQ8AVX2(w, x *byte, nb int) float32

// kernelISA names the SIMD kernel this build runs on this CPU, "" = none
// (then the fit falls back to the bandwidth and the compute estimate).
// The kernel needs AVX2 and FMA (F16C comes with both on every such CPU).
var kernelISA = func() string {
	if xcpu.X86.HasAVX2 && xcpu.X86.HasFMA {
		return "AVX2"
	}
	return ""
}()

// dotQ8 is the dot product of nb Q8_0 blocks of w and x.
func dotQ8(w, x []byte, nb int) float32 {
	_ = w[nb*q8Block-1]
	_ = x[nb*q8Block-1]
	return dotQ8AVX2(&w[0], &x[0], nb)
}

//go:noescape
func dotQ4KAVX2(w, x *byte, nb int) float32

// dotQ4K is the dot product of nb Q4_K blocks of w with nb Q8_K blocks of x.
func dotQ4K(w, x []byte, nb int) float32 {
	_ = w[nb*q4kBlock-1]
	_ = x[nb*q8kBlock-1]
	return dotQ4KAVX2(&w[0], &x[0], nb)
}
