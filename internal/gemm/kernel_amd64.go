//go:build !noasm

package gemm

//go:generate go run ./genkernels

import "golang.org/x/sys/cpu"

// The assembly kernels of kernel_amd64.s: 6 rows by two vector registers of
// columns (AVX2: 16 float32 or 8 float64 columns; AVX-512: twice that).
var (
	kernelsAVX2 = kernelSet{name: "AVX2/FMA", f32: kernelF32, add32: kernelF32Add, nr32: 16,
		f64: kernelF64, add64: kernelF64Add, nr64: 8, set32: kernelF32Set, set64: kernelF64Set,
		dir32: &direct[float32]{kernelF32N, kernelF32NAdd, kernelF32T, kernelF32TAdd, kernelF32NSet, kernelF32TSet},
		dir64: &direct[float64]{kernelF64N, kernelF64NAdd, kernelF64T, kernelF64TAdd, kernelF64NSet, kernelF64TSet}}
	kernelsAVX512 = kernelSet{name: "AVX-512", f32: kernelF32x512, add32: kernelF32x512Add, nr32: 32,
		f64: kernelF64x512, add64: kernelF64x512Add, nr64: 16, set32: kernelF32x512Set, set64: kernelF64x512Set,
		dir32: &direct[float32]{kernelF32x512N, kernelF32x512NAdd, kernelF32x512T, kernelF32x512TAdd, kernelF32x512NSet, kernelF32x512TSet},
		dir64: &direct[float64]{kernelF64x512N, kernelF64x512NAdd, kernelF64x512T, kernelF64x512TAdd, kernelF64x512NSet, kernelF64x512TSet}}
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

// kernelF32N is kernelF32 reading A in place, six rows lda elements apart. AVX2 and FMA.
//
//go:noescape
func kernelF32N(k int, a, b, tile *float32, lda int)

// kernelF32NAdd is kernelF32Add reading A in place, six rows lda elements apart. AVX2 and FMA.
//
//go:noescape
func kernelF32NAdd(k int, a, b, c *float32, ldc, lda int)

// kernelF32T is kernelF32 reading A in place and transposed, six adjacent elements per step, the steps lda elements apart. AVX2 and FMA.
//
//go:noescape
func kernelF32T(k int, a, b, tile *float32, lda int)

// kernelF32TAdd is kernelF32Add reading A in place and transposed, six adjacent elements per step, the steps lda elements apart. AVX2 and FMA.
//
//go:noescape
func kernelF32TAdd(k int, a, b, c *float32, ldc, lda int)

// kernelF32x512N is kernelF32x512 reading A in place, six rows lda elements apart. AVX-512F.
//
//go:noescape
func kernelF32x512N(k int, a, b, tile *float32, lda int)

// kernelF32x512NAdd is kernelF32x512Add reading A in place, six rows lda elements apart. AVX-512F.
//
//go:noescape
func kernelF32x512NAdd(k int, a, b, c *float32, ldc, lda int)

// kernelF32x512T is kernelF32x512 reading A in place and transposed, six adjacent elements per step, the steps lda elements apart. AVX-512F.
//
//go:noescape
func kernelF32x512T(k int, a, b, tile *float32, lda int)

// kernelF32x512TAdd is kernelF32x512Add reading A in place and transposed, six adjacent elements per step, the steps lda elements apart. AVX-512F.
//
//go:noescape
func kernelF32x512TAdd(k int, a, b, c *float32, ldc, lda int)

// kernelF64N is kernelF64 reading A in place, six rows lda elements apart. AVX2 and FMA.
//
//go:noescape
func kernelF64N(k int, a, b, tile *float64, lda int)

// kernelF64NAdd is kernelF64Add reading A in place, six rows lda elements apart. AVX2 and FMA.
//
//go:noescape
func kernelF64NAdd(k int, a, b, c *float64, ldc, lda int)

// kernelF64T is kernelF64 reading A in place and transposed, six adjacent elements per step, the steps lda elements apart. AVX2 and FMA.
//
//go:noescape
func kernelF64T(k int, a, b, tile *float64, lda int)

// kernelF64TAdd is kernelF64Add reading A in place and transposed, six adjacent elements per step, the steps lda elements apart. AVX2 and FMA.
//
//go:noescape
func kernelF64TAdd(k int, a, b, c *float64, ldc, lda int)

// kernelF64x512N is kernelF64x512 reading A in place, six rows lda elements apart. AVX-512F.
//
//go:noescape
func kernelF64x512N(k int, a, b, tile *float64, lda int)

// kernelF64x512NAdd is kernelF64x512Add reading A in place, six rows lda elements apart. AVX-512F.
//
//go:noescape
func kernelF64x512NAdd(k int, a, b, c *float64, ldc, lda int)

// kernelF64x512T is kernelF64x512 reading A in place and transposed, six adjacent elements per step, the steps lda elements apart. AVX-512F.
//
//go:noescape
func kernelF64x512T(k int, a, b, tile *float64, lda int)

// kernelF64x512TAdd is kernelF64x512Add reading A in place and transposed, six adjacent elements per step, the steps lda elements apart. AVX-512F.
//
//go:noescape
func kernelF64x512TAdd(k int, a, b, c *float64, ldc, lda int)

// kernelF32Set is kernelF32Add setting C to the tile plus +0 instead of
// adding it. AVX2 and FMA.
//
//go:noescape
func kernelF32Set(k int, a, b, c *float32, ldc int)

// kernelF32NSet is kernelF32NAdd setting C to the tile plus +0 instead
// of adding it. AVX2 and FMA.
//
//go:noescape
func kernelF32NSet(k int, a, b, c *float32, ldc, lda int)

// kernelF32TSet is kernelF32TAdd setting C to the tile plus +0 instead
// of adding it. AVX2 and FMA.
//
//go:noescape
func kernelF32TSet(k int, a, b, c *float32, ldc, lda int)

// kernelF32x512Set is kernelF32x512Add setting C to the tile plus +0 instead of
// adding it. AVX-512F.
//
//go:noescape
func kernelF32x512Set(k int, a, b, c *float32, ldc int)

// kernelF32x512NSet is kernelF32x512NAdd setting C to the tile plus +0 instead
// of adding it. AVX-512F.
//
//go:noescape
func kernelF32x512NSet(k int, a, b, c *float32, ldc, lda int)

// kernelF32x512TSet is kernelF32x512TAdd setting C to the tile plus +0 instead
// of adding it. AVX-512F.
//
//go:noescape
func kernelF32x512TSet(k int, a, b, c *float32, ldc, lda int)

// kernelF64Set is kernelF64Add setting C to the tile plus +0 instead of
// adding it. AVX2 and FMA.
//
//go:noescape
func kernelF64Set(k int, a, b, c *float64, ldc int)

// kernelF64NSet is kernelF64NAdd setting C to the tile plus +0 instead
// of adding it. AVX2 and FMA.
//
//go:noescape
func kernelF64NSet(k int, a, b, c *float64, ldc, lda int)

// kernelF64TSet is kernelF64TAdd setting C to the tile plus +0 instead
// of adding it. AVX2 and FMA.
//
//go:noescape
func kernelF64TSet(k int, a, b, c *float64, ldc, lda int)

// kernelF64x512Set is kernelF64x512Add setting C to the tile plus +0 instead of
// adding it. AVX-512F.
//
//go:noescape
func kernelF64x512Set(k int, a, b, c *float64, ldc int)

// kernelF64x512NSet is kernelF64x512NAdd setting C to the tile plus +0 instead
// of adding it. AVX-512F.
//
//go:noescape
func kernelF64x512NSet(k int, a, b, c *float64, ldc, lda int)

// kernelF64x512TSet is kernelF64x512TAdd setting C to the tile plus +0 instead
// of adding it. AVX-512F.
//
//go:noescape
func kernelF64x512TSet(k int, a, b, c *float64, ldc, lda int)
