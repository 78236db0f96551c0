//go:build openblas

package openblas

/*
#cgo LDFLAGS: -l:libopenblas.so.0
void openblas_set_num_threads(int);
*/
import "C"

import "gonum.org/v1/netlib/blas/netlib"

// Built reports whether the binary was built with the openblas tag.
const Built = true

// Implementation sets OpenBLAS to one thread per call and returns it:
// models train in parallel goroutines, and OpenBLAS's own threads on top
// cut throughput to a third (measured on two cores).
func Implementation() BLAS {
	C.openblas_set_num_threads(1)
	return netlib.Implementation{}
}
