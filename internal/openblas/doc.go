// Package openblas is the harness's cgo BLAS. Its one job: hand package
// models OpenBLAS (through gonum/netlib, one thread per call) when the
// binary is built with the openblas tag (cgo; Debian's libopenblas0):
//
//	apt-get install libopenblas0 && go build -tags openblas ./cmd/selfconsume
//
// Without the tag Built is false, Implementation returns nil and the build
// stays pure Go. The package installs nothing: models.UseBackend does.
package openblas

import "gonum.org/v1/gonum/blas"

// BLAS is what gorgonia's Use and gonum's blas32.Use and blas64.Use take.
type BLAS interface {
	blas.Float32
	blas.Float64
	blas.Complex64
	blas.Complex128
}

// Name describes the OpenBLAS backend.
const Name = "OpenBLAS (cgo, gonum/netlib), 1 thread per call"
