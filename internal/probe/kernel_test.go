package probe

import (
	"encoding/binary"
	"math"
	"testing"
)

// TestDotQ8MatchesReference checks the SIMD kernel against the plain Go
// dot product (and that against a hand sum) on blocks with varied scales,
// negative weights and -128.
func TestDotQ8MatchesReference(t *testing.T) {
	nb := 7
	w := make([]byte, nb*q8Block)
	x := make([]byte, nb*q8Block)
	var want float64
	scales := []uint16{0x3800, 0x2400, 0xb400, 0x3c00, 0x0001, 0x2e66, 0x4000} // 0.5, 1/64, -0.25, 1, subnormal, ~0.1, 2
	for b := range nb {
		binary.LittleEndian.PutUint16(w[b*q8Block:], scales[b])
		binary.LittleEndian.PutUint16(x[b*q8Block:], scales[(b+3)%nb])
		var s int
		for j := range 32 {
			wv := int8(j*9 - 128 + b)
			xv := int8(60 - j*4 + b)
			w[b*q8Block+2+j], x[b*q8Block+2+j] = byte(wv), byte(xv)
			s += int(wv) * int(xv)
		}
		want += float64(s) * float64(halfToFloat(scales[b])) * float64(halfToFloat(scales[(b+3)%nb]))
	}
	ref := dotQ8Go(w, x, nb)
	if math.Abs(float64(ref)-want) > 1e-4*math.Abs(want) {
		t.Fatalf("reference %v, hand sum %v", ref, want)
	}
	got := dotQ8(w, x, nb)
	if math.Abs(float64(got)-want) > 1e-4*math.Abs(want) {
		t.Fatalf("kernel (%q) %v, want %v", KernelISA(), got, want)
	}
}

func TestHalfToFloat(t *testing.T) {
	for h, want := range map[uint16]float32{0x3c00: 1, 0xc000: -2, 0x3800: 0.5, 0x2400: 1.0 / 64, 0x0000: 0, 0x7bff: 65504, 0x0001: 1.0 / (1 << 24)} {
		if got := halfToFloat(h); got != want {
			t.Errorf("halfToFloat(%#x) = %v, want %v", h, got, want)
		}
	}
}

// TestKernelsRun runs both kernels once on a small buffer with two
// threads: they must count what they did and compute finite results.
func TestKernelsRun(t *testing.T) {
	buf := make([]byte, 8<<20)
	fillQ8(buf, 11)
	k := newDecodeKernel(buf, 2)
	if got := k.pass(); got != float64(k.rows*kernelRowBytes) || k.rows != len(buf)/kernelRowBytes {
		t.Fatalf("decode pass read %v bytes over %d rows", got, k.rows)
	}
	if want := dotQ8Go(buf[5*kernelRowBytes:6*kernelRowBytes], k.x, kernelRowBlocks); k.y[5] != want {
		t.Fatalf("row 5 = %v, want %v", k.y[5], want)
	}
	p := newPromptKernel(2)
	if ops := p.run(); ops != 2*promptRepeats*promptRows*promptTokens*4096 {
		t.Fatalf("prompt kernel counted %v operations", ops)
	}
	if v := p.y[len(p.y)-1]; math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		t.Fatalf("prompt kernel result %v", v)
	}
}
