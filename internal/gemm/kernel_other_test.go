//go:build !amd64 || noasm

package gemm

// asmKernels lists no assembly kernels off amd64 or with the noasm tag.
func asmKernels() []testKernels { return nil }
