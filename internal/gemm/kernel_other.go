//go:build !amd64 || noasm

package gemm

// detectKernels finds no assembly kernels off amd64 or with the noasm tag:
// the multiply is gonum's.
func detectKernels() kernelSet { return kernelSet{} }
