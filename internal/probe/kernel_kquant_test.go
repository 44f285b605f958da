package probe

import (
	"encoding/binary"
	"math"
	"testing"
)

// TestDotQ4KMatchesReference checks the SIMD K-quant kernel and the plain
// Go one against a float64 sum over the weights dequantized by hand from
// the Q4_K layout (weight = d·scale·q − dmin·min, ggml's
// dequantize_row_q4_K), on blocks with varied scales, mins up to 63 (their
// high bits live in other bytes), negative activations and a negative d.
func TestDotQ4KMatchesReference(t *testing.T) {
	nb := 5
	w := make([]byte, nb*q4kBlock)
	x := make([]byte, nb*q8kBlock)
	fillQ4K(w, 13)
	fillQ8K(x, 7)
	binary.LittleEndian.PutUint16(w[2*q4kBlock:], 0xb400)   // d = -0.25
	binary.LittleEndian.PutUint16(w[3*q4kBlock+2:], 0x3800) // dmin = 0.5
	for j := 4; j < 16; j++ {
		w[4*q4kBlock+j] = 0xff // every scale and min 63
	}
	binary.LittleEndian.PutUint32(x[q8kBlock:], math.Float32bits(-0.03))

	var want float64
	for b := range nb {
		wb, xb := w[b*q4kBlock:], x[b*q8kBlock:]
		d := float64(halfToFloat(binary.LittleEndian.Uint16(wb)))
		dmin := float64(halfToFloat(binary.LittleEndian.Uint16(wb[2:])))
		xd := float64(math.Float32frombits(binary.LittleEndian.Uint32(xb)))
		sc := wb[4:16]
		for i := range 256 {
			sub := i / 32
			var scale, min int
			if sub < 4 {
				scale, min = int(sc[sub]&63), int(sc[sub+4]&63)
			} else {
				scale = int(sc[sub+4]&15) | int(sc[sub-4]>>6)<<4
				min = int(sc[sub+4]>>4) | int(sc[sub]>>6)<<4
			}
			q := int(wb[16+(i/64)*32+i%32])
			if sub%2 == 1 {
				q >>= 4
			}
			weight := d*float64(scale)*float64(q&15) - dmin*float64(min)
			want += weight * xd * float64(int8(xb[4+i]))
		}
	}
	for name, got := range map[string]float32{"reference": dotQ4KGo(w, x, nb), "kernel " + KernelISA(): dotQ4K(w, x, nb)} {
		if math.Abs(float64(got)-want) > 1e-4*math.Abs(want) {
			t.Errorf("%s %v, hand sum %v", name, got, want)
		}
	}
}

// TestFillQ8KSums: the activation sums per 16 must be the sums of the
// values, or the kernel's min term would be wrong.
func TestFillQ8KSums(t *testing.T) {
	x := make([]byte, 3*q8kBlock)
	fillQ8K(x, 5)
	for b := range 3 {
		for g := range 16 {
			var sum int
			for l := range 16 {
				sum += int(int8(x[b*q8kBlock+4+g*16+l]))
			}
			if got := int(int16(binary.LittleEndian.Uint16(x[b*q8kBlock+260+2*g:]))); got != sum {
				t.Fatalf("block %d group %d: sum %d, want %d", b, g, got, sum)
			}
		}
	}
}

// TestKQuantDecodeKernelRuns runs the K-quant decode kernel once over a
// small buffer with two threads: it must count the bytes of whole rows
// and compute what the reference computes for a row.
func TestKQuantDecodeKernelRuns(t *testing.T) {
	buf := make([]byte, 8<<20)
	fillQ4K(buf, 3)
	k := newKQuantDecodeKernel(buf, 2)
	if got := k.pass(); got != float64(k.rows*q4kRowBytes) || k.rows != len(buf)/q4kRowBytes {
		t.Fatalf("pass read %v bytes over %d rows", got, k.rows)
	}
	if want := dotQ4KGo(buf[7*q4kRowBytes:8*q4kRowBytes], k.x, q4kRowBlocks); math.Abs(float64(k.y[7]-want)) > 1e-5*math.Abs(float64(want)) || want == 0 {
		t.Fatalf("row 7 = %v, want %v", k.y[7], want)
	}
}
