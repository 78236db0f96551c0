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
}

// maxNR is the widest kernel's width: tiles are sized for it.
const maxNR = 32

// active is the kernel set this CPU runs; empty (f32 nil) without AVX2 and
// FMA, and then every multiply is gonum's.
var active = detectKernels()
