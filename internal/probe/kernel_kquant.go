package probe

import (
	"encoding/binary"
	"math"
)

// The K-quant decode kernel: llama.cpp decodes a Q4_K_M model with
// ggml_vec_dot_q4_K_q8_K, whose unpacking of 4-bit weights and 6-bit
// scales costs more arithmetic per byte than Q8_0. Where the memory is
// fast enough, that arithmetic and not the memory limits a thread team
// (docs/probe.md, "K-quant kernel"), so the probe measures it instead of
// scaling the Q8_0 kernel by a constant.

const (
	// q4kBlock is one Q4_K block: fp16 d and dmin, 12 bytes of 6-bit
	// scales and mins, 128 bytes holding 256 4-bit weights.
	q4kBlock = 144
	// q8kBlock is one Q8_K block of activations: a float32 scale, 256
	// int8 values and 16 int16 sums of 16 values each.
	q8kBlock = 292
	// q4kRowBlocks: a row of 4096 weights is 16 blocks, 2304 bytes.
	q4kRowBlocks = 4096 / 256
	q4kRowBytes  = q4kRowBlocks * q4kBlock
)

// dotQ4KGo is the Q4_K × Q8_K dot product in plain Go, following
// ggml's dequantize_row_q4_K: weight = d·scale·q − dmin·min for the
// sub-block of 32 it lies in. The reference for the SIMD kernel and the
// kernel where there is none.
func dotQ4KGo(w, x []byte, nb int) float32 {
	var acc float32
	for b := range nb {
		wb, xb := w[b*q4kBlock:(b+1)*q4kBlock], x[b*q8kBlock:(b+1)*q8kBlock]
		xd := math.Float32frombits(binary.LittleEndian.Uint32(xb))
		d := xd * halfToFloat(binary.LittleEndian.Uint16(wb))
		dmin := xd * halfToFloat(binary.LittleEndian.Uint16(wb[2:]))
		var sumScaled, sumMins int32
		for j := range 8 {
			scale, min := scaleMinK4(j, wb[4:16])
			var dot int32
			for l := range 32 {
				q := wb[16+j/2*32+l]
				if j%2 == 1 {
					q >>= 4
				}
				dot += int32(q&0x0f) * int32(int8(xb[4+j*32+l]))
			}
			sumScaled += int32(scale) * dot
			pair := int32(int16(binary.LittleEndian.Uint16(xb[260+4*j:]))) + int32(int16(binary.LittleEndian.Uint16(xb[262+4*j:])))
			sumMins += int32(min) * pair
		}
		acc += d*float32(sumScaled) - dmin*float32(sumMins)
	}
	return acc
}

// scaleMinK4 is ggml's get_scale_min_k4: the 6-bit scale and min of
// sub-block j from a Q4_K block's 12 scale bytes.
func scaleMinK4(j int, q []byte) (scale, min byte) {
	if j < 4 {
		return q[j] & 63, q[j+4] & 63
	}
	return q[j+4]&0x0f | (q[j-4]>>6)<<4, q[j+4]>>4 | (q[j]>>6)<<4
}

// fillQ8K writes Q8_K activation blocks: scale 1/127, values in
// -127..127 and their true sums per 16.
func fillQ8K(b []byte, seed int) {
	for i := 0; i+q8kBlock <= len(b); i += q8kBlock {
		binary.LittleEndian.PutUint32(b[i:], math.Float32bits(1.0/127))
		for g := range 16 {
			var sum int16
			for l := range 16 {
				v := int8((i/q8kBlock*17+(g*16+l)*seed)%255 - 127)
				b[i+4+g*16+l] = byte(v)
				sum += int16(v)
			}
			binary.LittleEndian.PutUint16(b[i+260+2*g:], uint16(sum))
		}
	}
}

// fillQ4K writes Q4_K blocks with d 1/64, dmin 1/256 and varied scales,
// mins and weights.
func fillQ4K(b []byte, seed int) {
	for i := 0; i+q4kBlock <= len(b); i += q4kBlock {
		binary.LittleEndian.PutUint16(b[i:], 0x2400)   // 1/64
		binary.LittleEndian.PutUint16(b[i+2:], 0x1c00) // 1/256
		for j := 4; j < q4kBlock; j++ {
			b[i+j] = byte((i/q4kBlock*29 + j*seed) % 256)
		}
	}
}
