package gemm

// kernelSet is a pair of micro-kernels, their widths (columns per tile) and,
// optionally, their variants that add a whole tile into C.
type kernelSet struct {
	name  string
	f32   kernelFunc[float32]
	add32 addKernelFunc[float32]
	nr32  int
	f64   kernelFunc[float64]
	add64 addKernelFunc[float64]
	nr64  int
	// set32 and set64 set a whole tile into C (plus +0) instead of adding
	// it (nil: C is cleared first and the tile added).
	set32 addKernelFunc[float32]
	set64 addKernelFunc[float64]
	// dir32 and dir64 read A in place (nil: A is always packed).
	dir32 *direct[float32]
	dir64 *direct[float64]
}

// direct holds the kernels that read a full six-row panel of A where it
// is instead of from the packed copy: n for A as stored (rows lda elements
// apart), t for A transposed (six adjacent elements per step, steps lda
// elements apart); each as a kernel into the tile, one adding into C and
// one setting C.
type direct[T scalar] struct {
	n    directFunc[T]
	nAdd directAddFunc[T]
	t    directFunc[T]
	tAdd directAddFunc[T]
	nSet directAddFunc[T] // set variants (used only with kernelSet's set kernels)
	tSet directAddFunc[T]
}

// directFunc is kernelFunc reading A in place with leading dimension lda.
type directFunc[T scalar] func(k int, a, b, tile *T, lda int)

// directAddFunc is addKernelFunc reading A in place with leading dimension
// lda.
type directAddFunc[T scalar] func(k int, a, b, c *T, ldc, lda int)

// maxNR is the widest kernel's width: tiles are sized for it.
const maxNR = 32

// active is the kernel set this CPU runs; empty (f32 nil) without AVX2 and
// FMA, and then every multiply is gonum's.
var active = detectKernels()
