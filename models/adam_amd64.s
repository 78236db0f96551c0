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

// func adamF32AVX512(w, grad, m, v *float32, n int, c *[8]float32)
// adamF32AVX2 sixteen at a time (n a multiple of 16): the same operations
// in the same order, each exact per element, so the same bits.
TEXT ·adamF32AVX512(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	VBROADCASTSS 0(AX), Z8   // 1-b1
	VBROADCASTSS 4(AX), Z9   // b1
	VBROADCASTSS 8(AX), Z10  // 1-b2
	VBROADCASTSS 12(AX), Z11 // b2
	VBROADCASTSS 16(AX), Z12 // corr1
	VBROADCASTSS 20(AX), Z13 // corr2
	VBROADCASTSS 24(AX), Z14 // -eta
	VBROADCASTSS 28(AX), Z15 // eps
	VPXORD Z7, Z7, Z7
	SHRQ $4, CX
	JEQ done512

loop512:
	VMOVUPS (SI), Z0         // g
	VMULPS Z8, Z0, Z1        // g*(1-b1)
	VMOVUPS (R8), Z2
	VMULPS Z9, Z2, Z2        // m*b1
	VADDPS Z2, Z1, Z1        // m' = g*(1-b1) + m*b1
	VMOVUPS Z1, (R8)
	VMULPS Z0, Z0, Z3        // g*g
	VMULPS Z10, Z3, Z3       // (g*g)*(1-b2)
	VMOVUPS (R9), Z4
	VMULPS Z11, Z4, Z4       // v*b2
	VADDPS Z4, Z3, Z3        // v' = (g*g)*(1-b2) + v*b2
	VMOVUPS Z3, (R9)
	VMULPS Z12, Z1, Z1       // m'*corr1
	VMULPS Z14, Z1, Z1       // *(-eta)
	VMULPS Z13, Z3, Z3       // v'*corr2
	VSQRTPS Z3, Z3
	VADDPS Z15, Z3, Z3       // sqrt(v'*corr2) + eps
	VDIVPS Z3, Z1, Z1        // step
	VMOVUPS (DI), Z5
	VADDPS Z1, Z5, Z5        // w + step
	VMOVUPS Z5, (DI)
	VMOVUPS Z7, (SI)         // g = 0
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, R8
	ADDQ $64, R9
	DECQ CX
	JNZ loop512

done512:
	VZEROUPPER
	RET
