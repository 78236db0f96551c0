//go:build amd64

package gemm

import "golang.org/x/sys/cpu"

// Kernel widths: 6 rows by two 256-bit registers of columns.
const (
	nrF32 = 16
	nrF64 = 8
)

var haveKernels = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kernelF32 overwrites tile (6 x 16, row-major) with the product of the
// packed panels a (k x 6) and b (k x 16). AVX2 and FMA.
//
//go:noescape
func kernelF32(k int, a, b, tile *float32)

// kernelF64 overwrites tile (6 x 8, row-major) with the product of the
// packed panels a (k x 6) and b (k x 8). AVX2 and FMA.
//
//go:noescape
func kernelF64(k int, a, b, tile *float64)
