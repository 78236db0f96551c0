//go:build !amd64

package gemm

// detectKernels finds no assembly kernels off amd64: the multiply is gonum's.
func detectKernels() kernelSet { return kernelSet{} }
