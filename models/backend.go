package models

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	G "gorgonia.org/gorgonia"

	"github.com/selfconsume/selfconsume/models/gemm"
)

// init hands gorgonia's training graphs and the plain-Go forward passes the
// packed AVX2/FMA multiply of package gemm (gonum's BLAS otherwise). The
// openblas build tag replaces it after this runs.
func init() { UseBLAS(gemm.Implementation{}) }

// UseBLAS installs b for gorgonia's graphs (G.Use) and for gonum's blas32
// and blas64, which the plain-Go forward passes call. Not safe while
// networks train.
func UseBLAS(b G.BLAS) {
	G.Use(b)
	blas32.Use(b)
	blas64.Use(b)
}
