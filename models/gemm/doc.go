// Package gemm is the harness's pure-Go matrix multiply: packed,
// register-blocked Sgemm and Dgemm with AVX2/FMA micro-kernels in Go
// assembly, behind gonum's BLAS interface so that gorgonia's training graphs
// and the plain-Go forward passes multiply faster without cgo. Every other
// BLAS routine, and the multiply itself on CPUs without AVX2 and FMA or for
// shapes too thin to fill a kernel tile, is gonum's.
package gemm
