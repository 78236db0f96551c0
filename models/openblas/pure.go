//go:build !openblas

package openblas

import "github.com/selfconsume/selfconsume/models/gemm"

// Backend names the BLAS the build uses.
var Backend = gemm.Name()
