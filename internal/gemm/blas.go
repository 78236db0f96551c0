package gemm

import (
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's BLAS with Sgemm and Dgemm replaced by the packed
// multiply when the CPU has AVX2 and FMA (AVX-512 kernels when it has
// AVX-512F). It satisfies gorgonia's BLAS
// (gorgonia.Use) and gonum's blas.Float32 and blas.Float64 (blas32.Use,
// blas64.Use).
type Implementation struct {
	gonum.Implementation
}

// Accelerated reports whether this CPU runs the assembly kernels; without
// them Implementation is gonum's BLAS unchanged.
func Accelerated() bool { return active.f32 != nil }

var (
	poolF32 = sync.Pool{New: func() any {
		return &workspace[float32]{a: make([]float32, mc*kc), b: make([]float32, kc*nc), tile: make([]float32, mr*maxNR)}
	}}
	poolF64 = sync.Pool{New: func() any {
		return &workspace[float64]{a: make([]float64, mc*kc), b: make([]float64, kc*nc), tile: make([]float64, mr*maxNR)}
	}}
)

// Sgemm computes C = alpha*op(A)*op(B) + beta*C in float32 (row-major, as
// gonum's Sgemm).
func (impl Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	route(impl.Implementation.Sgemm, impl.Implementation.Sgemv, active.f32, active.add32, active.set32, active.dir32, active.nr32, &poolF32,
		tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm computes C = alpha*op(A)*op(B) + beta*C in float64 (row-major, as
// gonum's Dgemm).
func (impl Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	route(impl.Implementation.Dgemm, impl.Implementation.Dgemv, active.f64, active.add64, active.set64, active.dir64, active.nr64, &poolF64,
		tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmFunc is gonum's Sgemm or Dgemm.
type gemmFunc[T scalar] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// route sends a multiply to gemv (a single row or column), to the kernels
// (worthKernel), or to gonum's gemm: without the kernels, for products thin
// on both sides, and for bad arguments, which gonum then rejects with its
// own panic.
func route[T scalar](gonumGemm gemmFunc[T], gonumGemv gemvFunc[T], kernel kernelFunc[T], add, set addKernelFunc[T], dir *direct[T], nr int, pool *sync.Pool,
	tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if Accelerated() && valid(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc) {
		if asGemv(gonumGemv, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
			return
		}
		if worthKernel(m, n, k) {
			multiply(kernel, add, set, dir, nr, pool, tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			return
		}
	}
	gonumGemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemvFunc is gonum's Sgemv or Dgemv.
type gemvFunc[T scalar] func(tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)

// asGemv computes a product with a single row or column as a matrix-vector
// product (gonum's gemv: one dot product or axpy per row, where gonum's gemm
// would loop over length-1 vectors) and reports whether it did. Arguments
// are already checked.
func asGemv[T scalar](gemv gemvFunc[T], tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) bool {
	if k == 0 || m == 0 || n == 0 {
		return false
	}
	switch {
	case n == 1:
		// c[:,0] = op(A) x, x = op(B)[:,0]: B[p*ldb] (k x 1) or B[p] (1 x k).
		incX := ldb
		if tB != blas.NoTrans {
			incX = 1
		}
		rows, cols := m, k
		if tA != blas.NoTrans {
			rows, cols = k, m
		}
		gemv(tA, rows, cols, alpha, a, lda, b, incX, beta, c, ldc)
		return true
	case m == 1:
		// c[0,:] = op(B)^T x, x = op(A)[0,:]: A[p] (1 x k) or A[p*lda] (k x 1).
		incX := 1
		if tA != blas.NoTrans {
			incX = lda
		}
		// op(B)^T is B (n x k) when transposed, else B^T of B (k x n).
		tb, rows, cols := blas.Trans, k, n
		if tB != blas.NoTrans {
			tb, rows, cols = blas.NoTrans, n, k
		}
		gemv(tb, rows, cols, alpha, b, ldb, a, incX, beta, c, 1)
		return true
	}
	return false
}

// worthKernel says whether a multiply fills enough of a kernel tile to beat
// gonum (BenchmarkSgemm): one side at least 8 long (multiply turns a
// product around so that its long side is the kernel's width) and the other
// at least 2. Products thin on both sides go to gonum. The rule does not
// depend on the kernel's width, and the AVX2 and AVX-512 kernels sum in the
// same order, so both give the same bits (TestKernelsAgreeBitwise).
func worthKernel(m, n, k int) bool {
	return max(m, n) >= 8 && min(m, n) >= 2 && k >= 1
}

// valid checks a multiply's arguments as gonum does; a call that fails is
// handed to gonum, which panics with its own message.
func valid(tA, tB blas.Transpose, m, n, k, lenA, lda, lenB, ldb, lenC, ldc int) bool {
	okT := func(t blas.Transpose) bool { return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans }
	if !okT(tA) || !okT(tB) || m < 0 || n < 0 || k < 0 {
		return false
	}
	rowsA, colsA := m, k
	if tA != blas.NoTrans {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if tB != blas.NoTrans {
		rowsB, colsB = n, k
	}
	fits := func(rows, cols, ld, length int) bool {
		return ld >= max(1, cols) && (rows == 0 || cols == 0 || length >= ld*(rows-1)+cols)
	}
	return fits(rowsA, colsA, lda, lenA) && fits(rowsB, colsB, ldb, lenB) && fits(m, n, ldc, lenC)
}

// Name says which multiply Implementation runs on this CPU.
func Name() string {
	if Accelerated() {
		return "pure Go (gonum, " + active.name + " gemm kernels)"
	}
	return "pure Go (gonum; " + withoutKernels() + ", gemm kernels off)"
}
