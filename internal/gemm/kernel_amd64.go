//go:build !noasm

package gemm

//go:generate go run ./genkernels

import "golang.org/x/sys/cpu"

// The assembly kernels of kernel_amd64.s: 6 rows by two vector registers of
// columns (AVX2: 16 float32 or 8 float64 columns; AVX-512: twice that).
var (
	kernelsAVX2 = kernelSet{name: "AVX2/FMA", f32: kernelF32, add32: kernelF32Add, nr32: 16,
		f64: kernelF64, add64: kernelF64Add, nr64: 8}
	kernelsAVX512 = kernelSet{name: "AVX-512", f32: kernelF32x512, add32: kernelF32x512Add, nr32: 32,
		f64: kernelF64x512, add64: kernelF64x512Add, nr64: 16}
)

// withoutKernels says why Implementation runs no kernels on this CPU.
func withoutKernels() string { return "no AVX2/FMA" }

// detectKernels picks the widest kernels this CPU (and OS) supports.
func detectKernels() kernelSet {
	switch {
	case cpu.X86.HasAVX512F:
		return kernelsAVX512
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return kernelsAVX2
	}
	return kernelSet{}
}

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

// kernelF32x512 overwrites tile (6 x 32, row-major) with the product of the
// packed panels a (k x 6) and b (k x 32). AVX-512F.
//
//go:noescape
func kernelF32x512(k int, a, b, tile *float32)

// kernelF64x512 overwrites tile (6 x 16, row-major) with the product of the
// packed panels a (k x 6) and b (k x 16). AVX-512F.
//
//go:noescape
func kernelF64x512(k int, a, b, tile *float64)

// kernelF32Add adds the product of the packed panels a (k x 6) and b
// (k x 16) to the 6 x 16 block of C at c (row stride ldc). AVX2 and FMA.
//
//go:noescape
func kernelF32Add(k int, a, b, c *float32, ldc int)

// kernelF64Add adds the product of the packed panels a (k x 6) and b
// (k x 8) to the 6 x 8 block of C at c (row stride ldc). AVX2 and FMA.
//
//go:noescape
func kernelF64Add(k int, a, b, c *float64, ldc int)

// kernelF32x512Add adds the product of the packed panels a (k x 6) and b
// (k x 32) to the 6 x 32 block of C at c (row stride ldc). AVX-512F.
//
//go:noescape
func kernelF32x512Add(k int, a, b, c *float32, ldc int)

// kernelF64x512Add adds the product of the packed panels a (k x 6) and b
// (k x 16) to the 6 x 16 block of C at c (row stride ldc). AVX-512F.
//
//go:noescape
func kernelF64x512Add(k int, a, b, c *float64, ldc int)
