//go:build !noasm

#include "textflag.h"

// max(v, 0) is VMAXPS with 0 first: it returns v unless 0 > v, so NaN
// passes through as in Go's max. (A negative zero stays negative where Go's
// max gives +0; added to a sum or multiplied into one it changes no bit.)

// func affineReLUAVX2(dst, x *float32, n int, w, b float32)
TEXT ·affineReLUAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS w+24(FP), Y1
	VBROADCASTSS b+28(FP), Y2
	VXORPS Y3, Y3, Y3
	SHRQ $3, CX
	JEQ affine_done

affine_loop:
	VMOVUPS (SI), Y0
	VMULPS Y1, Y0, Y0 // x*w
	VADDPS Y2, Y0, Y0 // + b
	VMAXPS Y0, Y3, Y0 // max(., 0)
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ affine_loop

affine_done:
	VZEROUPPER
	RET

// func reluMulAdd2AVX2(am, as, x *float32, n int, wm, ws float32)
TEXT ·reluMulAdd2AVX2(SB), NOSPLIT, $0-40
	MOVQ am+0(FP), DI
	MOVQ as+8(FP), R8
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	VBROADCASTSS wm+32(FP), Y1
	VBROADCASTSS ws+36(FP), Y2
	VXORPS Y3, Y3, Y3
	SHRQ $3, CX
	JEQ relu_done

relu_loop:
	VMOVUPS (SI), Y0
	VMAXPS Y0, Y3, Y0 // v = max(x, 0)
	VMULPS Y1, Y0, Y4 // v*wm
	VADDPS (DI), Y4, Y4
	VMOVUPS Y4, (DI)
	VMULPS Y2, Y0, Y5 // v*ws
	VADDPS (R8), Y5, Y5
	VMOVUPS Y5, (R8)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	DECQ CX
	JNZ relu_loop

relu_done:
	VZEROUPPER
	RET

// The fused layers' passes. The ReLU mask is Rectify's: 1.0 where the value
// is >= 0 (ordered compare, so NaN gives 0), else 0.0, then one multiply.
DATA one32<>+0(SB)/4, $0x3f800000
GLOBL one32<>(SB), RODATA|NOPTR, $4

// func biasReLUAVX2(row, b *float32, n int)
TEXT ·biasReLUAVX2(SB), NOSPLIT, $0-24
	MOVQ row+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS one32<>(SB), Y1
	VXORPS Y2, Y2, Y2
	SHRQ $3, CX
	JEQ bias_done

bias_loop:
	VMOVUPS (DI), Y0
	VADDPS (SI), Y0, Y0    // p = row + b
	VCMPPS $13, Y2, Y0, Y3 // p >= 0 (GE, ordered)
	VANDPS Y1, Y3, Y3      // 1.0 or 0.0
	VMULPS Y3, Y0, Y0      // p * m
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ bias_loop

bias_done:
	VZEROUPPER
	RET

// func maskGradAVX2(dst, y, dy *float32, n int)
TEXT ·maskGradAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ dy+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS one32<>(SB), Y1
	VXORPS Y2, Y2, Y2
	SHRQ $3, CX
	JEQ mask_done

mask_loop:
	VMOVUPS (SI), Y0
	VCMPPS $0x1e, Y2, Y0, Y3 // y > 0 (GT, ordered)
	VPCMPEQD Y2, Y0, Y4      // y is +0 (all bits clear)
	VORPS Y4, Y3, Y3
	VANDPS Y1, Y3, Y3        // 1.0 or 0.0
	VMULPS (DX), Y3, Y3      // m * dy
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ mask_loop

mask_done:
	VZEROUPPER
	RET

// func addRowAVX2(sum, row *float32, n int)
TEXT ·addRowAVX2(SB), NOSPLIT, $0-24
	MOVQ sum+0(FP), DI
	MOVQ row+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JEQ add_done

add_loop:
	VMOVUPS (DI), Y0
	VADDPS (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ add_loop

add_done:
	VZEROUPPER
	RET

// A product with one shared dimension, row by row: dst = s*w + 0 (adding
// +0 turns a -0 product into +0, as the multiply's sums into a cleared
// output do), then, for the first layer's forward, + b and the ReLU.

// func outerRowAVX2(dst, w *float32, n int, s float32)
TEXT ·outerRowAVX2(SB), NOSPLIT, $0-28
	MOVQ dst+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS s+24(FP), Y1
	VXORPS Y2, Y2, Y2
	SHRQ $3, CX
	JEQ outer_done

outer_loop:
	VMULPS (SI), Y1, Y0 // s*w
	VADDPS Y2, Y0, Y0   // + 0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ outer_loop

outer_done:
	VZEROUPPER
	RET

// func outerBiasReLUAVX2(dst, w, b *float32, n int, s float32)
TEXT ·outerBiasReLUAVX2(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS s+32(FP), Y1
	VBROADCASTSS one32<>(SB), Y4
	VXORPS Y2, Y2, Y2
	SHRQ $3, CX
	JEQ obr_done

obr_loop:
	VMULPS (SI), Y1, Y0    // s*w
	VADDPS Y2, Y0, Y0      // + 0
	VADDPS (DX), Y0, Y0    // p = . + b
	VCMPPS $13, Y2, Y0, Y3 // p >= 0 (GE, ordered)
	VANDPS Y4, Y3, Y3      // 1.0 or 0.0
	VMULPS Y3, Y0, Y0      // p * m
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ obr_loop

obr_done:
	VZEROUPPER
	RET
