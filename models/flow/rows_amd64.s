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
