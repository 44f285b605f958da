package gguf

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// TensorType is a ggml tensor data type, numbered as in ggml.h.
type TensorType uint32

// The tensor types this package writes.
const (
	F32  TensorType = 0
	F16  TensorType = 1
	Q4_0 TensorType = 2
	Q8_0 TensorType = 8
	Q4_K TensorType = 12
	Q5_K TensorType = 13
	Q6_K TensorType = 14
)

var typeNames = map[TensorType]string{F32: "F32", F16: "F16", Q4_0: "Q4_0", Q8_0: "Q8_0", Q4_K: "Q4_K", Q5_K: "Q5_K", Q6_K: "Q6_K"}

func (t TensorType) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("type(%d)", uint32(t))
}

// blockElems is how many values one block of the type holds.
func (t TensorType) blockElems() int {
	switch t {
	case F32, F16:
		return 1
	case Q4_0, Q8_0:
		return 32
	case Q4_K, Q5_K, Q6_K:
		return 256
	}
	panic("gguf: unsupported tensor type " + t.String())
}

// blockBytes is the encoded size of one block.
func (t TensorType) blockBytes() int {
	switch t {
	case F32:
		return 4
	case F16:
		return 2
	case Q4_0:
		return 2 + 16
	case Q8_0:
		return 2 + 32
	case Q4_K:
		return 2 + 2 + 12 + 128
	case Q5_K:
		return 2 + 2 + 12 + 32 + 128
	case Q6_K:
		return 128 + 64 + 16 + 2
	}
	panic("gguf: unsupported tensor type " + t.String())
}

// rowBytes is the encoded size of n values; n must be a multiple of blockElems.
func (t TensorType) rowBytes(n int) int64 {
	return int64(n/t.blockElems()) * int64(t.blockBytes())
}

// fits reports whether rows of n values can be stored in type t.
func (t TensorType) fits(n int) bool { return n%t.blockElems() == 0 }

// ParseTensorType reads a type name such as "Q8_0" (case-insensitive).
func ParseTensorType(s string) (TensorType, error) {
	for t, n := range typeNames {
		if strings.EqualFold(n, s) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown tensor type %q (known: F32, F16, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K)", s)
}

// quantizeRow encodes src (a multiple of the block size) into dst.
func (t TensorType) quantizeRow(dst []byte, src []float32) {
	be := t.blockElems()
	bb := t.blockBytes()
	for i := 0; i < len(src); i += be {
		blk := dst[(i/be)*bb : (i/be+1)*bb]
		x := src[i : i+be]
		switch t {
		case F32:
			binary.LittleEndian.PutUint32(blk, math.Float32bits(x[0]))
		case F16:
			binary.LittleEndian.PutUint16(blk, float32ToHalf(x[0]))
		case Q8_0:
			quantizeQ8_0(blk, x)
		case Q4_0:
			quantizeQ4_0(blk, x)
		case Q4_K:
			quantizeQ4_K(blk, x)
		case Q5_K:
			quantizeQ5_K(blk, x)
		case Q6_K:
			quantizeQ6_K(blk, x)
		}
	}
}

// dequantizeRow decodes src into dst (len(dst) values). It exists so tests
// can check the encoders against the block layouts ggml reads.
func (t TensorType) dequantizeRow(dst []float32, src []byte) {
	be := t.blockElems()
	bb := t.blockBytes()
	for i := 0; i < len(dst); i += be {
		blk := src[(i/be)*bb : (i/be+1)*bb]
		y := dst[i : i+be]
		switch t {
		case F32:
			y[0] = math.Float32frombits(binary.LittleEndian.Uint32(blk))
		case F16:
			y[0] = halfToFloat32(binary.LittleEndian.Uint16(blk))
		case Q8_0:
			d := halfToFloat32(binary.LittleEndian.Uint16(blk))
			for j := range 32 {
				y[j] = d * float32(int8(blk[2+j]))
			}
		case Q4_0:
			d := halfToFloat32(binary.LittleEndian.Uint16(blk))
			for j := range 16 {
				y[j] = d * float32(int(blk[2+j]&0xF)-8)
				y[j+16] = d * float32(int(blk[2+j]>>4)-8)
			}
		case Q4_K:
			dequantizeQ4_K(y, blk)
		case Q5_K:
			dequantizeQ5_K(y, blk)
		case Q6_K:
			dequantizeQ6_K(y, blk)
		}
	}
}

// randomRow fills dst with valid blocks of random values roughly uniform in
// [-amp, amp]. It writes random quant bits directly, which is much faster than
// drawing floats and quantizing them; the bulk of a multi-gigabyte model is
// written this way.
func (t TensorType) randomRow(dst []byte, r *rand.ChaCha8, amp float32) {
	switch t {
	case F32:
		for i := 0; i < len(dst); i += 4 {
			binary.LittleEndian.PutUint32(dst[i:], math.Float32bits(uniform(r, amp)))
		}
		return
	case F16:
		for i := 0; i < len(dst); i += 2 {
			binary.LittleEndian.PutUint16(dst[i:], float32ToHalf(uniform(r, amp)))
		}
		return
	}
	r.Read(dst)
	bb := t.blockBytes()
	switch t {
	case Q8_0, Q4_0:
		// value = d*q with q in -127..127 (Q8_0) or -8..7 (Q4_0).
		div := float32(127)
		if t == Q4_0 {
			div = 8
		}
		d := float32ToHalf(amp / div)
		for i := 0; i < len(dst); i += bb {
			binary.LittleEndian.PutUint16(dst[i:], d)
		}
	case Q4_K, Q5_K:
		// value = d*sc*q - dmin*m with q in 0..15 (Q4_K) or 0..31 (Q5_K);
		// centre it on zero.
		const sc = 32
		half := float32(7.5)
		if t == Q5_K {
			half = 15.5
		}
		d := amp / (half * sc)
		var scales [12]byte
		packScalesK4(&scales, [8]uint8{sc, sc, sc, sc, sc, sc, sc, sc}, [8]uint8{sc, sc, sc, sc, sc, sc, sc, sc})
		hd, hmin := float32ToHalf(d), float32ToHalf(half*d)
		for i := 0; i < len(dst); i += bb {
			binary.LittleEndian.PutUint16(dst[i:], hd)
			binary.LittleEndian.PutUint16(dst[i+2:], hmin)
			copy(dst[i+4:i+16], scales[:])
		}
	case Q6_K:
		// value = d*sc*(q-32) with q in 0..63.
		const sc = 64
		hd := float32ToHalf(amp / (32 * sc))
		for i := 0; i < len(dst); i += bb {
			for j := range 16 {
				dst[i+192+j] = sc
			}
			binary.LittleEndian.PutUint16(dst[i+208:], hd)
		}
	default:
		panic("gguf: unsupported tensor type " + t.String())
	}
}

func uniform(r *rand.ChaCha8, amp float32) float32 {
	// 24 random bits give a uniform float in [0,1).
	u := float32(r.Uint64()>>40) / (1 << 24)
	return (2*u - 1) * amp
}

func amaxSigned(x []float32) (amax, signed float32) {
	for _, v := range x {
		if a := float32(math.Abs(float64(v))); a > amax {
			amax, signed = a, v
		}
	}
	return amax, signed
}

func roundInt(v float32) int { return int(math.RoundToEven(float64(v))) }

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }

// quantizeQ8_0 follows ggml's quantize_row_q8_0_ref.
func quantizeQ8_0(blk []byte, x []float32) {
	amax, _ := amaxSigned(x)
	d := amax / 127
	var id float32
	if d != 0 {
		id = 1 / d
	}
	binary.LittleEndian.PutUint16(blk, float32ToHalf(d))
	for j, v := range x {
		blk[2+j] = byte(int8(clampInt(roundInt(v*id), -127, 127)))
	}
}

// quantizeQ4_0 follows ggml's quantize_row_q4_0_ref.
func quantizeQ4_0(blk []byte, x []float32) {
	_, m := amaxSigned(x)
	d := m / -8
	var id float32
	if d != 0 {
		id = 1 / d
	}
	binary.LittleEndian.PutUint16(blk, float32ToHalf(d))
	for j := range 16 {
		q0 := min(15, int(x[j]*id+8.5))
		q1 := min(15, int(x[j+16]*id+8.5))
		blk[2+j] = byte(q0) | byte(q1)<<4
	}
}

// packScalesK4 stores eight 6-bit scales and mins the way get_scale_min_k4 reads them.
func packScalesK4(dst *[12]byte, sc, m [8]uint8) {
	*dst = [12]byte{}
	for j := range 8 {
		ls, lm := min(63, sc[j]), min(63, m[j])
		if j < 4 {
			dst[j] = ls
			dst[j+4] = lm
		} else {
			dst[j+4] = (ls & 0xF) | (lm&0xF)<<4
			dst[j-4] |= (ls >> 4) << 6
			dst[j] |= (lm >> 4) << 6
		}
	}
}

func scaleMinK4(j int, q []byte) (sc, m uint8) {
	if j < 4 {
		return q[j] & 63, q[j+4] & 63
	}
	return (q[j+4] & 0xF) | (q[j-4]>>6)<<4, (q[j+4] >> 4) | (q[j]>>6)<<4
}

// affineK computes the per-32 affine scales of the K-quants with levels
// 0..maxQ and returns d, dmin and the 6-bit scale/min codes.
func affineK(x []float32, maxQ float32) (d, dmin float32, ls, lm [8]uint8) {
	var scales, mins [8]float32
	for j := range 8 {
		sub := x[j*32 : j*32+32]
		lo, hi := float32(0), float32(0)
		for _, v := range sub {
			lo, hi = min(lo, v), max(hi, v)
		}
		scales[j] = (hi - lo) / maxQ
		mins[j] = -lo
	}
	var maxScale, maxMin float32
	for j := range 8 {
		maxScale, maxMin = max(maxScale, scales[j]), max(maxMin, mins[j])
	}
	d = halfToFloat32(float32ToHalf(maxScale / 63))
	dmin = halfToFloat32(float32ToHalf(maxMin / 63))
	for j := range 8 {
		if d > 0 {
			ls[j] = uint8(clampInt(roundInt(scales[j]/d), 0, 63))
		}
		if dmin > 0 {
			lm[j] = uint8(clampInt(roundInt(mins[j]/dmin), 0, 63))
		}
	}
	return d, dmin, ls, lm
}

// quantizeQ5_K is a plain version of ggml's quantize_row_q5_K_ref: as Q4_K
// with 5-bit codes, the fifth bit kept in qh.
func quantizeQ5_K(blk []byte, x []float32) {
	d, dmin, ls, lm := affineK(x, 31)
	binary.LittleEndian.PutUint16(blk, float32ToHalf(d))
	binary.LittleEndian.PutUint16(blk[2:], float32ToHalf(dmin))
	var packed [12]byte
	packScalesK4(&packed, ls, lm)
	copy(blk[4:16], packed[:])
	var L [256]uint8
	for j := range 8 {
		step, off := d*float32(ls[j]), dmin*float32(lm[j])
		for i := range 32 {
			if step > 0 {
				L[j*32+i] = uint8(clampInt(roundInt((x[j*32+i]+off)/step), 0, 31))
			}
		}
	}
	qh, ql := blk[16:48], blk[48:176]
	clear(qh)
	m1, m2 := uint8(1), uint8(2)
	for n := 0; n < 256; n += 64 {
		for j := range 32 {
			l1, l2 := L[n+j], L[n+j+32]
			if l1 > 15 {
				l1 -= 16
				qh[j] |= m1
			}
			if l2 > 15 {
				l2 -= 16
				qh[j] |= m2
			}
			ql[n/2+j] = l1 | l2<<4
		}
		m1 <<= 2
		m2 <<= 2
	}
}

func dequantizeQ5_K(y []float32, blk []byte) {
	d := halfToFloat32(binary.LittleEndian.Uint16(blk))
	dmin := halfToFloat32(binary.LittleEndian.Uint16(blk[2:]))
	scales, qh, ql := blk[4:16], blk[16:48], blk[48:176]
	is := 0
	u1, u2 := uint8(1), uint8(2)
	for j := 0; j < 256; j += 64 {
		sc, m := scaleMinK4(is, scales)
		d1, m1 := d*float32(sc), dmin*float32(m)
		sc, m = scaleMinK4(is+1, scales)
		d2, m2 := d*float32(sc), dmin*float32(m)
		for l := range 32 {
			h1, h2 := float32(0), float32(0)
			if qh[l]&u1 != 0 {
				h1 = 16
			}
			if qh[l]&u2 != 0 {
				h2 = 16
			}
			y[j+l] = d1*(float32(ql[l]&0xF)+h1) - m1
			y[j+32+l] = d2*(float32(ql[l]>>4)+h2) - m2
		}
		ql = ql[32:]
		is += 2
		u1 <<= 2
		u2 <<= 2
	}
}

// quantizeQ4_K is a plain (not error-minimising) version of ggml's
// quantize_row_q4_K_ref: per 32 values an affine 4-bit code, with the scales
// and mins themselves stored as 6-bit multiples of d and dmin.
func quantizeQ4_K(blk []byte, x []float32) {
	d, dmin, ls, lm := affineK(x, 15)
	binary.LittleEndian.PutUint16(blk, float32ToHalf(d))
	binary.LittleEndian.PutUint16(blk[2:], float32ToHalf(dmin))
	var packed [12]byte
	packScalesK4(&packed, ls, lm)
	copy(blk[4:16], packed[:])
	var L [256]uint8
	for j := range 8 {
		step := d * float32(ls[j])
		off := dmin * float32(lm[j])
		for i := range 32 {
			if step > 0 {
				L[j*32+i] = uint8(clampInt(roundInt((x[j*32+i]+off)/step), 0, 15))
			}
		}
	}
	qs := blk[16:]
	for j := 0; j < 256; j += 64 {
		for l := range 32 {
			qs[j/2+l] = L[j+l] | L[j+l+32]<<4
		}
	}
}

func dequantizeQ4_K(y []float32, blk []byte) {
	d := halfToFloat32(binary.LittleEndian.Uint16(blk))
	dmin := halfToFloat32(binary.LittleEndian.Uint16(blk[2:]))
	scales := blk[4:16]
	q := blk[16:]
	is := 0
	for j := 0; j < 256; j += 64 {
		sc, m := scaleMinK4(is, scales)
		d1, m1 := d*float32(sc), dmin*float32(m)
		sc, m = scaleMinK4(is+1, scales)
		d2, m2 := d*float32(sc), dmin*float32(m)
		for l := range 32 {
			y[j+l] = d1*float32(q[l]&0xF) - m1
			y[j+32+l] = d2*float32(q[l]>>4) - m2
		}
		q = q[32:]
		is += 2
	}
}

// quantizeQ6_K is a plain version of ggml's quantize_row_q6_K_ref: per 16
// values a signed 6-bit code, with int8 sub-scales relative to d.
func quantizeQ6_K(blk []byte, x []float32) {
	var scales [16]float32
	var maxAbsScale, maxScale float32
	for j := range 16 {
		_, m := amaxSigned(x[j*16 : j*16+16])
		scales[j] = m / -32
		if a := float32(math.Abs(float64(scales[j]))); a > maxAbsScale {
			maxAbsScale, maxScale = a, scales[j]
		}
	}
	ql, qh, sc := blk[0:128], blk[128:192], blk[192:208]
	clear(blk)
	if maxAbsScale == 0 {
		return // d = 0: every value decodes to zero
	}
	iscale := -128 / maxScale
	d := halfToFloat32(float32ToHalf(1 / iscale))
	binary.LittleEndian.PutUint16(blk[208:], float32ToHalf(1/iscale))
	var L [256]uint8
	for j := range 16 {
		s := int8(clampInt(roundInt(iscale*scales[j]), -128, 127))
		sc[j] = byte(s)
		step := d * float32(s)
		for i := range 16 {
			q := 0
			if step != 0 {
				q = clampInt(roundInt(x[j*16+i]/step), -32, 31)
			}
			L[j*16+i] = uint8(q + 32)
		}
	}
	for j := 0; j < 256; j += 128 {
		for l := range 32 {
			q1, q2 := L[j+l]&0xF, L[j+l+32]&0xF
			q3, q4 := L[j+l+64]&0xF, L[j+l+96]&0xF
			ql[j/2+l] = q1 | q3<<4
			ql[j/2+l+32] = q2 | q4<<4
			qh[j/4+l] = L[j+l]>>4 | (L[j+l+32]>>4)<<2 | (L[j+l+64]>>4)<<4 | (L[j+l+96]>>4)<<6
		}
	}
}

func dequantizeQ6_K(y []float32, blk []byte) {
	d := halfToFloat32(binary.LittleEndian.Uint16(blk[208:]))
	ql, qh, sc := blk[0:128], blk[128:192], blk[192:208]
	for n := 0; n < 256; n += 128 {
		for l := range 32 {
			is := l / 16
			q1 := int(ql[l]&0xF|((qh[l]>>0)&3)<<4) - 32
			q2 := int(ql[l+32]&0xF|((qh[l]>>2)&3)<<4) - 32
			q3 := int(ql[l]>>4|((qh[l]>>4)&3)<<4) - 32
			q4 := int(ql[l+32]>>4|((qh[l]>>6)&3)<<4) - 32
			y[n+l] = d * float32(int8(sc[is])) * float32(q1)
			y[n+l+32] = d * float32(int8(sc[is+2])) * float32(q2)
			y[n+l+64] = d * float32(int8(sc[is+4])) * float32(q3)
			y[n+l+96] = d * float32(int8(sc[is+6])) * float32(q4)
		}
		ql, qh, sc = ql[64:], qh[32:], sc[8:]
	}
}

// float32ToHalf converts to IEEE 754 binary16, rounding to nearest even.
func float32ToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23&0xFF) - 127 + 15
	mant := b & 0x7FFFFF
	switch {
	case b&0x7FFFFFFF == 0:
		return sign
	case int(b>>23&0xFF) == 0xFF: // inf or NaN
		if mant != 0 {
			return sign | 0x7E00
		}
		return sign | 0x7C00
	case exp >= 0x1F:
		return sign | 0x7C00
	case exp <= 0:
		if exp < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint(14 - exp)
		half := mant >> shift
		rem := mant & (1<<shift - 1)
		mid := uint32(1) << (shift - 1)
		if rem > mid || (rem == mid && half&1 == 1) {
			half++
		}
		return sign | uint16(half)
	}
	half := uint32(exp)<<10 | mant>>13
	rem := mant & 0x1FFF
	if rem > 0x1000 || (rem == 0x1000 && half&1 == 1) {
		half++ // may carry into the exponent, which is the right result
	}
	return sign | uint16(half)
}

func halfToFloat32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1F
	mant := uint32(h & 0x3FF)
	switch {
	case exp == 0:
		if mant == 0 {
			return math.Float32frombits(sign)
		}
		return float32(math.Copysign(float64(mant)*math.Pow(2, -24), float64(int32(sign)|1)))
	case exp == 0x1F:
		return math.Float32frombits(sign | 0x7F800000 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}
