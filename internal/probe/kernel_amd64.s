#include "textflag.h"

// func dotQ8AVX2(w, x *byte, nb int) float32
//
// The dot product of nb Q8_0 blocks of w with nb Q8_0 blocks of x, as
// llama.cpp's ggml_vec_dot_q8_0_q8_0 computes it with AVX2: a block is an
// fp16 scale followed by 32 int8 weights (34 bytes); per block the int8
// products are summed pairwise (vpsignb + vpmaddubsw + vpmaddwd), converted
// to float and accumulated times the product of the two scales.
TEXT ·dotQ8AVX2(SB), NOSPLIT, $0-28
	MOVQ w+0(FP), SI
	MOVQ x+8(FP), DI
	MOVQ nb+16(FP), CX
	VXORPS Y0, Y0, Y0
	VPCMPEQW Y15, Y15, Y15
	VPSRLW $15, Y15, Y15
	TESTQ CX, CX
	JZ done
loop:
	VPBROADCASTW (SI), X6
	VCVTPH2PS X6, Y6
	VPBROADCASTW (DI), X7
	VCVTPH2PS X7, Y7
	VMULPS Y7, Y6, Y6
	VMOVDQU 2(SI), Y1
	VMOVDQU 2(DI), Y2
	VPSIGNB Y1, Y1, Y3
	VPSIGNB Y1, Y2, Y4
	VPMADDUBSW Y4, Y3, Y5
	VPMADDWD Y15, Y5, Y5
	VCVTDQ2PS Y5, Y5
	VFMADD231PS Y6, Y5, Y0
	ADDQ $34, SI
	ADDQ $34, DI
	DECQ CX
	JNZ loop
done:
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VZEROUPPER
	MOVSS X0, ret+24(FP)
	RET

// func dotQ4KAVX2(w, x *byte, nb int) float32
//
// The dot product of nb Q4_K blocks of w with nb Q8_K blocks of x, as
// llama.cpp's ggml_vec_dot_q4_K_q8_K computes it with AVX2 (the K-quant
// decode kernel, docs/probe.md "Kernels"). A Q4_K block (144 bytes) holds
// 256 weights: fp16 d and dmin, 12 bytes of 6-bit scales and mins for
// eight sub-blocks of 32, and 128 bytes of 4-bit weights. A Q8_K block
// (292 bytes): a float32 scale, 256 int8 activations and 16 int16 sums
// of 16 activations each. Per block the scales are unpacked with ggml's
// shifts and masks, the nibbles multiplied with vpmaddubsw, weighted with
// their sub-block scale by vpmaddwd, and the mins subtracted through the
// activation sums.
TEXT ·dotQ4KAVX2(SB), NOSPLIT, $0-28
	MOVQ w+0(FP), SI
	MOVQ x+8(FP), DI
	MOVQ nb+16(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS X9, X9, X9
	MOVL $0x0f0f0f0f, AX
	VMOVD AX, X15
	VPBROADCASTD X15, Y15
	TESTQ CX, CX
	JZ q4kdone

q4kloop:
	// d = x.d × w.d (8 lanes), dmin = x.d × w.dmin (4 lanes)
	VBROADCASTSS (DI), Y11
	VPBROADCASTW (SI), X12
	VCVTPH2PS X12, Y12
	VMULPS Y11, Y12, Y12
	VPBROADCASTW 2(SI), X10
	VCVTPH2PS X10, X10
	VMULPS X11, X10, X10

	// The 6-bit scales and mins into 8 + 8 bytes (ggml's utmp).
	MOVL 4(SI), R8
	MOVL 8(SI), R9
	MOVL 12(SI), R10
	MOVL R10, R11
	SHRL $4, R11
	ANDL $0x0f0f0f0f, R11
	MOVL R9, R12
	SHRL $6, R12
	ANDL $0x03030303, R12
	SHLL $4, R12
	ORL R12, R11
	MOVL R8, R12
	SHRL $6, R12
	ANDL $0x03030303, R12
	SHLL $4, R12
	ANDL $0x0f0f0f0f, R10
	ORL R12, R10
	ANDL $0x3f3f3f3f, R9
	ANDL $0x3f3f3f3f, R8
	VMOVD R8, X1
	VPINSRD $1, R10, X1, X1
	VPINSRD $2, R9, X1, X1
	VPINSRD $3, R11, X1, X1
	VPMOVZXBW X1, Y2

	// The mins times the activation sums of their sub-blocks.
	VMOVDQU 260(DI), Y3
	VEXTRACTI128 $1, Y3, X4
	VPHADDW X4, X3, X5
	VEXTRACTI128 $1, Y2, X6
	VPMADDWD X5, X6, X7
	VCVTDQ2PS X7, X7
	VFNMADD231PS X10, X7, X9

	// The scales in both lanes, then 4 × 64 weights.
	VINSERTI128 $1, X2, Y2, Y13
	VPXOR Y14, Y14, Y14
#define Q4K_64(j) \
	VPSHUFB q4kScaleShuffle<>+(64*j)(SB), Y13, Y1; \
	VPSHUFB q4kScaleShuffle<>+(64*j+32)(SB), Y13, Y3; \
	VMOVDQU (16+32*j)(SI), Y4; \
	VPAND Y15, Y4, Y5; \
	VPSRLW $4, Y4, Y4; \
	VPAND Y15, Y4, Y4; \
	VMOVDQU (4+64*j)(DI), Y6; \
	VPMADDUBSW Y6, Y5, Y5; \
	VPMADDWD Y1, Y5, Y5; \
	VMOVDQU (36+64*j)(DI), Y7; \
	VPMADDUBSW Y7, Y4, Y4; \
	VPMADDWD Y3, Y4, Y4; \
	VPADDD Y4, Y5, Y5; \
	VPADDD Y5, Y14, Y14
	Q4K_64(0)
	Q4K_64(1)
	Q4K_64(2)
	Q4K_64(3)
#undef Q4K_64

	VCVTDQ2PS Y14, Y14
	VFMADD231PS Y12, Y14, Y0
	ADDQ $144, SI
	ADDQ $292, DI
	DECQ CX
	JNZ q4kloop

q4kdone:
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VADDPS X9, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VZEROUPPER
	MOVSS X0, ret+24(FP)
	RET

// q4kScaleShuffle: eight vpshufb masks; mask i repeats the bytes of the
// 16-bit scale i in every word of both lanes (ggml's get_scale_shuffle_k4).
DATA q4kScaleShuffle<>+0(SB)/8, $0x0100010001000100
DATA q4kScaleShuffle<>+8(SB)/8, $0x0100010001000100
DATA q4kScaleShuffle<>+16(SB)/8, $0x0100010001000100
DATA q4kScaleShuffle<>+24(SB)/8, $0x0100010001000100
DATA q4kScaleShuffle<>+32(SB)/8, $0x0302030203020302
DATA q4kScaleShuffle<>+40(SB)/8, $0x0302030203020302
DATA q4kScaleShuffle<>+48(SB)/8, $0x0302030203020302
DATA q4kScaleShuffle<>+56(SB)/8, $0x0302030203020302
DATA q4kScaleShuffle<>+64(SB)/8, $0x0504050405040504
DATA q4kScaleShuffle<>+72(SB)/8, $0x0504050405040504
DATA q4kScaleShuffle<>+80(SB)/8, $0x0504050405040504
DATA q4kScaleShuffle<>+88(SB)/8, $0x0504050405040504
DATA q4kScaleShuffle<>+96(SB)/8, $0x0706070607060706
DATA q4kScaleShuffle<>+104(SB)/8, $0x0706070607060706
DATA q4kScaleShuffle<>+112(SB)/8, $0x0706070607060706
DATA q4kScaleShuffle<>+120(SB)/8, $0x0706070607060706
DATA q4kScaleShuffle<>+128(SB)/8, $0x0908090809080908
DATA q4kScaleShuffle<>+136(SB)/8, $0x0908090809080908
DATA q4kScaleShuffle<>+144(SB)/8, $0x0908090809080908
DATA q4kScaleShuffle<>+152(SB)/8, $0x0908090809080908
DATA q4kScaleShuffle<>+160(SB)/8, $0x0b0a0b0a0b0a0b0a
DATA q4kScaleShuffle<>+168(SB)/8, $0x0b0a0b0a0b0a0b0a
DATA q4kScaleShuffle<>+176(SB)/8, $0x0b0a0b0a0b0a0b0a
DATA q4kScaleShuffle<>+184(SB)/8, $0x0b0a0b0a0b0a0b0a
DATA q4kScaleShuffle<>+192(SB)/8, $0x0d0c0d0c0d0c0d0c
DATA q4kScaleShuffle<>+200(SB)/8, $0x0d0c0d0c0d0c0d0c
DATA q4kScaleShuffle<>+208(SB)/8, $0x0d0c0d0c0d0c0d0c
DATA q4kScaleShuffle<>+216(SB)/8, $0x0d0c0d0c0d0c0d0c
DATA q4kScaleShuffle<>+224(SB)/8, $0x0f0e0f0e0f0e0f0e
DATA q4kScaleShuffle<>+232(SB)/8, $0x0f0e0f0e0f0e0f0e
DATA q4kScaleShuffle<>+240(SB)/8, $0x0f0e0f0e0f0e0f0e
DATA q4kScaleShuffle<>+248(SB)/8, $0x0f0e0f0e0f0e0f0e
GLOBL q4kScaleShuffle<>(SB), RODATA|NOPTR, $256
