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
