// Package openblas routes the harness's matrix multiplies to OpenBLAS when
// built with the openblas tag (cgo; Debian's libopenblas0):
//
//	apt-get install libopenblas0 && go build -tags openblas ./cmd/selfconsume
//
// Without the tag it does nothing and the build stays pure Go, multiplying
// with package gemm's kernels (installed by package models). Import it for
// its side effect; Backend says which BLAS is in use.
package openblas
