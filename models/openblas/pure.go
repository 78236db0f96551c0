//go:build !openblas

package openblas

// Backend names the BLAS the build uses.
const Backend = "pure Go (gonum)"
