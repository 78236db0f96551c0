//go:build !noasm

#include "textflag.h"

// The ReLU mask as Rectify computes it: 1.0 where x >= 0 (ordered compare,
// so NaN gives 0), else 0.0; then one multiply, as in reluForward and
// reluBackward.
DATA one32<>+0(SB)/4, $0x3f800000
GLOBL one32<>(SB), RODATA|NOPTR, $4

// func reluForwardAVX2(y, x *float32, n int)
TEXT ·reluForwardAVX2(SB), NOSPLIT, $0-24
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS one32<>(SB), Y1
	VXORPS Y2, Y2, Y2
	SHRQ $3, CX
	JEQ fwd_done

fwd_loop:
	VMOVUPS (SI), Y0
	VCMPPS $13, Y2, Y0, Y3 // x >= 0 (GE, ordered)
	VANDPS Y1, Y3, Y3      // 1.0 or 0.0
	VMULPS Y3, Y0, Y0      // x * m
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ fwd_loop

fwd_done:
	VZEROUPPER
	RET

// func reluBackwardAVX2(dx, x, dy *float32, n int)
TEXT ·reluBackwardAVX2(SB), NOSPLIT, $0-32
	MOVQ dx+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dy+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS one32<>(SB), Y1
	VXORPS Y2, Y2, Y2
	SHRQ $3, CX
	JEQ bwd_done

bwd_loop:
	VMOVUPS (SI), Y0
	VCMPPS $13, Y2, Y0, Y3 // x >= 0
	VANDPS Y1, Y3, Y3      // m
	VMULPS (DX), Y3, Y3    // m * dy
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ bwd_loop

bwd_done:
	VZEROUPPER
	RET
