//go:build !amd64 || noasm

package gemm

import "runtime"

// withoutKernels says why Implementation runs no kernels in this build.
func withoutKernels() string {
	if runtime.GOARCH == "amd64" {
		return "noasm build"
	}
	return "no assembly kernels on " + runtime.GOARCH
}

// detectKernels finds no assembly kernels off amd64 or with the noasm tag:
// the multiply is gonum's.
func detectKernels() kernelSet { return kernelSet{} }
