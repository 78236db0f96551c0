//go:build !openblas

package openblas

// Built reports whether the binary was built with the openblas tag.
const Built = false

// Implementation returns nil: this build has no OpenBLAS.
func Implementation() BLAS { return nil }
