//go:build !noasm

package flow

import "golang.org/x/sys/cpu"

var haveAVX2 = cpu.X86.HasAVX2

// affineReLUAVX2 is affineReLU on n float32s (a multiple of 8).
//
//go:noescape
func affineReLUAVX2(dst, x *float32, n int, w, b float32)

// reluMulAdd2AVX2 is reluMulAdd2 on n float32s (a multiple of 8).
//
//go:noescape
func reluMulAdd2AVX2(am, as, x *float32, n int, wm, ws float32)

// biasReLUAVX2 is addBiasReLU on n float32s (a multiple of 8).
//
//go:noescape
func biasReLUAVX2(row, b *float32, n int)

// maskGradAVX2 is maskGrad (into dst) on n float32s (a multiple of 8).
//
//go:noescape
func maskGradAVX2(dst, y, dy *float32, n int)

// addRowAVX2 adds row to sum, n float32s (a multiple of 8).
//
//go:noescape
func addRowAVX2(sum, row *float32, n int)

// outerRowAVX2 is outerRow on n float32s (a multiple of 8).
//
//go:noescape
func outerRowAVX2(dst, w *float32, n int, s float32)

// outerBiasReLUAVX2 is outerBiasReLU on n float32s (a multiple of 8).
//
//go:noescape
func outerBiasReLUAVX2(dst, w, b *float32, n int, s float32)
