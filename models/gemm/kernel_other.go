//go:build !amd64

package gemm

// Kernel widths of the Go kernel; without the assembly kernels the multiply
// is gonum's, so these only size the workspaces.
const (
	nrF32 = 16
	nrF64 = 8
)

const haveKernels = false

var (
	kernelF32 = kernelGo[float32](nrF32)
	kernelF64 = kernelGo[float64](nrF64)
)
