//go:build !openblas

package openblas

import "selfconsume/models/gemm"

// Backend names the BLAS the build uses.
var Backend = gemm.Name()
