//go:build !amd64 || noasm

package flow

const haveAVX2 = false

func affineReLUAVX2(dst, x *float32, n int, w, b float32)       { panic("no AVX2") }
func reluMulAdd2AVX2(am, as, x *float32, n int, wm, ws float32) { panic("no AVX2") }
func biasReLUAVX2(row, b *float32, n int)                       { panic("no AVX2") }
func maskGradAVX2(dst, y, dy *float32, n int)                   { panic("no AVX2") }
func addRowAVX2(sum, row *float32, n int)                       { panic("no AVX2") }
func outerRowAVX2(dst, w *float32, n int, s float32)            { panic("no AVX2") }
func outerBiasReLUAVX2(dst, w, b *float32, n int, s float32)    { panic("no AVX2") }
