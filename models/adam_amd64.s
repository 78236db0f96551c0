//go:build !noasm

#include "textflag.h"

// func adamF32AVX2(w, grad, m, v *float32, n int, c *[8]float32)
// c = {1-b1, b1, 1-b2, b2, corr1, corr2, -eta, eps}. n is a multiple of 8.
// Only IEEE-exact vector operations (no fused multiply-add), in the order
// of adamUpdate, so the result has the same bits.
TEXT ·adamF32AVX2(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	VBROADCASTSS 0(AX), Y8   // 1-b1
	VBROADCASTSS 4(AX), Y9   // b1
	VBROADCASTSS 8(AX), Y10  // 1-b2
	VBROADCASTSS 12(AX), Y11 // b2
	VBROADCASTSS 16(AX), Y12 // corr1
	VBROADCASTSS 20(AX), Y13 // corr2
	VBROADCASTSS 24(AX), Y14 // -eta
	VBROADCASTSS 28(AX), Y15 // eps
	VXORPS Y7, Y7, Y7
	SHRQ $3, CX
	JEQ done

loop:
	VMOVUPS (SI), Y0         // g
	VMULPS Y8, Y0, Y1        // g*(1-b1)
	VMOVUPS (R8), Y2
	VMULPS Y9, Y2, Y2        // m*b1
	VADDPS Y2, Y1, Y1        // m' = g*(1-b1) + m*b1
	VMOVUPS Y1, (R8)
	VMULPS Y0, Y0, Y3        // g*g
	VMULPS Y10, Y3, Y3       // (g*g)*(1-b2)
	VMOVUPS (R9), Y4
	VMULPS Y11, Y4, Y4       // v*b2
	VADDPS Y4, Y3, Y3        // v' = (g*g)*(1-b2) + v*b2
	VMOVUPS Y3, (R9)
	VMULPS Y12, Y1, Y1       // m'*corr1
	VMULPS Y14, Y1, Y1       // *(-eta)
	VMULPS Y13, Y3, Y3       // v'*corr2
	VSQRTPS Y3, Y3
	VADDPS Y15, Y3, Y3       // sqrt(v'*corr2) + eps
	VDIVPS Y3, Y1, Y1        // step
	VMOVUPS (DI), Y5
	VADDPS Y1, Y5, Y5        // w + step
	VMOVUPS Y5, (DI)
	VMOVUPS Y7, (SI)         // g = 0
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ loop

done:
	VZEROUPPER
	RET
