package models

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	G "gorgonia.org/gorgonia"

	"selfconsume/models/gemm"
)

// init hands gorgonia's training graphs and the plain-Go forward passes the
// packed AVX2/FMA multiply of package gemm (gonum's BLAS otherwise). The
// openblas build tag replaces it after this runs.
func init() {
	impl := gemm.Implementation{}
	G.Use(impl)
	blas32.Use(impl)
	blas64.Use(impl)
}
