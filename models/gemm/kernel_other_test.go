//go:build !amd64

package gemm

// asmKernels lists no assembly kernels off amd64.
func asmKernels() []testKernels { return nil }
