// Package gemm is the harness's pure-Go matrix multiply. Its one job: a
// packed, register-blocked Sgemm and Dgemm with AVX2/FMA and AVX-512
// micro-kernels in Go assembly (B packed; A's full six-row panels read in
// place, as stored or transposed, only a last partial panel packed; with
// beta 0, whole tiles set into C without clearing it first), behind gonum's BLAS interface
// (Implementation), so that gorgonia's training graphs and the plain-Go
// forward passes multiply faster without cgo. Every other BLAS routine, and
// the multiply itself on CPUs without AVX2 and FMA, for shapes too thin to
// fill a kernel tile, or in a build with the noasm tag, is gonum's.
//
// The package installs nothing: package models chooses the BLAS
// (models.UseBackend). The assembly, kernel_amd64.s, is written by the
// generator in genkernels (go generate ./internal/gemm), whose test fails
// when the committed file differs from what it writes.
package gemm
