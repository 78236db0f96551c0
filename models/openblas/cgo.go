//go:build openblas

package openblas

/*
#cgo LDFLAGS: -l:libopenblas.so.0
void openblas_set_num_threads(int);
*/
import "C"

import (
	"gonum.org/v1/netlib/blas/netlib"

	// Its init, which installs the pure-Go multiply, runs before this one
	// replaces it.
	"github.com/selfconsume/selfconsume/models"
)

// Backend names the BLAS the build uses.
var Backend = "OpenBLAS (cgo, gonum/netlib), 1 thread per call"

func init() {
	// Models train in parallel goroutines; OpenBLAS's own threads on top
	// cut throughput to a third (measured on two cores).
	C.openblas_set_num_threads(1)
	models.UseBLAS(netlib.Implementation{})
}
