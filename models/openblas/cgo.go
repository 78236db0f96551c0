//go:build openblas

package openblas

/*
#cgo LDFLAGS: -l:libopenblas.so.0
void openblas_set_num_threads(int);
*/
import "C"

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
	G "gorgonia.org/gorgonia"

	// Imported so that its init, which installs the pure-Go multiply, runs
	// before this one replaces it.
	_ "selfconsume/models"
)

// Backend names the BLAS the build uses.
var Backend = "OpenBLAS (cgo, gonum/netlib), 1 thread per call"

func init() {
	// Models train in parallel goroutines; OpenBLAS's own threads on top
	// cut throughput to a third (PERFORMANCE.md).
	C.openblas_set_num_threads(1)
	impl := netlib.Implementation{}
	G.Use(impl)
	blas64.Use(impl)
	blas32.Use(impl)
}
