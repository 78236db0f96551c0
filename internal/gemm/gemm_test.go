package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// gemmCase is one multiply: shapes, transposes, leading-dimension padding
// and scalars.
type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	pad         int
	alpha, beta float64
}

// gemmCases covers every transpose pair, edges that are not multiples of
// the tile or block sizes, blocks over kc/mc/nc, padded strides and the
// scalar special cases.
func gemmCases() []gemmCase {
	var cases []gemmCase
	shapes := [][3]int{{6, 16, 4}, {7, 17, 5}, {13, 9, 33}, {96, 128, 128}, {97, 130, 257}, {256, 128, 128}, {200, 1030, 70}, {3, 8, 300}, {128, 128, 256}, {256, 2, 128}, {128, 3, 256}, {256, 128, 1}, {1, 128, 256}, {2, 1, 9}}
	scalars := [][2]float64{{1, 0}, {1, 1}, {-0.5, 2}, {0.25, -1}}
	i := 0
	for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
		for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, s := range shapes {
				sc := scalars[i%len(scalars)]
				cases = append(cases, gemmCase{tA, tB, s[0], s[1], s[2], i % 3, sc[0], sc[1]})
				i++
			}
		}
	}
	return cases
}

// stored returns the rows and columns of A and B as stored (op(A) is m x k,
// op(B) k x n).
func (tc gemmCase) stored() (rowsA, colsA, rowsB, colsB int) {
	rowsA, colsA = tc.m, tc.k
	if tc.tA != blas.NoTrans {
		rowsA, colsA = tc.k, tc.m
	}
	rowsB, colsB = tc.k, tc.n
	if tc.tB != blas.NoTrans {
		rowsB, colsB = tc.n, tc.k
	}
	return rowsA, colsA, rowsB, colsB
}

// operands makes A, B and C for a case with the given padding of every
// leading dimension, filled from a seeded source.
func operands[T scalar](tc gemmCase, rng *rand.Rand) (a []T, lda int, b []T, ldb int, c []T, ldc int) {
	rowsA, colsA, rowsB, colsB := tc.stored()
	lda, ldb, ldc = colsA+tc.pad, colsB+tc.pad, tc.n+tc.pad
	fill := func(n int) []T {
		s := make([]T, n)
		for i := range s {
			s[i] = T(rng.NormFloat64())
		}
		return s
	}
	return fill(rowsA * lda), lda, fill(rowsB * ldb), ldb, fill(tc.m * ldc), ldc
}

// multiplyFunc computes one case into c.
type multiplyFunc[T scalar] func(tc gemmCase, a []T, lda int, b []T, ldb int, c []T, ldc int)

// withKernel is multiply with the given kernels (add, set and dir may be
// nil).
func withKernel[T scalar](kernel kernelFunc[T], add, set addKernelFunc[T], dir *direct[T], nr int, pool *sync.Pool) multiplyFunc[T] {
	return func(tc gemmCase, a []T, lda int, b []T, ldb int, c []T, ldc int) {
		multiply(kernel, add, set, dir, nr, pool, tc.tA != blas.NoTrans, tc.tB != blas.NoTrans, tc.m, tc.n, tc.k, T(tc.alpha), a, lda, b, ldb, T(tc.beta), c, ldc)
	}
}

// checkAgainstGonum runs one case through compute and through gonum, and
// fails if an element differs by more than (k+2) eps times the sum of the
// absolute terms that make it, or if C's padding changed.
func checkAgainstGonum[T scalar](t *testing.T, tc gemmCase, compute multiplyFunc[T], eps float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(tc.m*1000+tc.n), uint64(tc.k)))
	a, lda, b, ldb, c, ldc := operands[T](tc, rng)
	want, bound := gonumReference(tc, a, lda, b, ldb, c, ldc)
	compute(tc, a, lda, b, ldb, c, ldc)
	checkClose(t, "", tc, c, want, bound, ldc, eps)
	for i := 0; i < tc.m; i++ {
		for j := tc.n; j < ldc; j++ { // padding untouched
			if c[i*ldc+j] != want[i*ldc+j] {
				t.Fatalf("padding C[%d,%d] changed", i, j)
			}
		}
	}
}

// gonumReference returns C after gonum's multiply of the case (want, a copy;
// c is not changed) and, per element, the sum of the absolute terms that
// make it, |alpha| sum |a b| + |beta c| (bound).
func gonumReference[T scalar](tc gemmCase, a []T, lda int, b []T, ldb int, c []T, ldc int) (want []T, bound []float64) {
	want = append([]T(nil), c...)
	absOf := func(s []T) []T {
		out := make([]T, len(s))
		for i, v := range s {
			out[i] = T(math.Abs(float64(v)))
		}
		return out
	}
	ref := gonum.Implementation{}
	switch any(a).(type) {
	case []float32:
		ref.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), any(a).([]float32), lda, any(b).([]float32), ldb, float32(tc.beta), any(want).([]float32), ldc)
		ab := any(absOf(c)).([]float32)
		ref.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(math.Abs(tc.alpha)), any(absOf(a)).([]float32), lda, any(absOf(b)).([]float32), ldb, float32(math.Abs(tc.beta)), ab, ldc)
		for _, v := range ab {
			bound = append(bound, float64(v))
		}
	case []float64:
		ref.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, any(a).([]float64), lda, any(b).([]float64), ldb, tc.beta, any(want).([]float64), ldc)
		ab := any(absOf(c)).([]float64)
		ref.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, math.Abs(tc.alpha), any(absOf(a)).([]float64), lda, any(absOf(b)).([]float64), ldb, math.Abs(tc.beta), ab, ldc)
		bound = ab
	}
	return want, bound
}

// checkClose fails if an element of the m x n matrix C differs from gonum's
// by more than (k+2) eps times the sum of its absolute terms: both sums
// round at most k+1 times. A NaN fails. name prefixes the message.
func checkClose[T scalar](t *testing.T, name string, tc gemmCase, c, want []T, bound []float64, ldc int, eps float64) {
	t.Helper()
	tol := float64(tc.k+2) * eps
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			at := i*ldc + j
			if d := math.Abs(float64(c[at] - want[at])); !(d <= tol*bound[at]+1e-30) {
				t.Fatalf("%sC[%d,%d] = %g, gonum %g: |difference| %.3g > %.3g", name, i, j, c[at], want[at], d, tol*bound[at])
			}
		}
	}
}

// testKernels is a kernel set under test, skipped where the CPU lacks it.
type testKernels struct {
	name string
	set  kernelSet
	skip bool
}

func TestMultiplyMatchesGonum(t *testing.T) {
	t.Parallel()
	const eps32, eps64 = 0x1p-24, 0x1p-53
	kernels := append([]testKernels{
		{"go16", kernelSet{f32: kernelGo[float32](16), nr32: 16, f64: kernelGo[float64](8), nr64: 8}, false},
		{"go32", kernelSet{f32: kernelGo[float32](32), nr32: 32, f64: kernelGo[float64](16), nr64: 16}, false},
	}, asmKernels()...)
	for _, kn := range kernels {
		for _, tc := range gemmCases() {
			name := fmt.Sprintf("%s/%v%v/%dx%dx%d/pad%d", kn.name, tc.tA == blas.Trans, tc.tB == blas.Trans, tc.m, tc.n, tc.k, tc.pad)
			t.Run(name, func(t *testing.T) {
				if kn.skip {
					t.Skip("CPU without these instructions")
				}
				checkAgainstGonum(t, tc, withKernel(kn.set.f32, kn.set.add32, kn.set.set32, kn.set.dir32, kn.set.nr32, &poolF32), eps32)
				checkAgainstGonum(t, tc, withKernel(kn.set.f64, kn.set.add64, kn.set.set64, kn.set.dir64, kn.set.nr64, &poolF64), eps64)
			})
		}
	}
}

// TestImplementationRoutes checks the BLAS entry points on every route:
// kernel, transposed kernel, gemv for single rows and columns, and gonum for
// products thin on both sides, with every transpose pair, padded strides and
// general scalars; bad arguments still panic as gonum does.
func TestImplementationRoutes(t *testing.T) {
	t.Parallel()
	const eps32, eps64 = 0x1p-24, 0x1p-53
	var impl Implementation
	sgemm := func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
		impl.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc)
	}
	dgemm := func(tc gemmCase, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
		impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	}
	for _, s := range [][3]int{{64, 64, 64}, {256, 2, 128}, {2, 256, 128}, {1, 128, 128}, {2, 3, 4}, {300, 1, 128}, {1, 1, 7}, {5, 1, 1}, {1, 9, 1}} {
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				tc := gemmCase{tA, tB, s[0], s[1], s[2], 1, -0.5, 2}
				t.Run(fmt.Sprintf("%v%v/%dx%dx%d", tA == blas.Trans, tB == blas.Trans, s[0], s[1], s[2]), func(t *testing.T) {
					checkAgainstGonum(t, tc, sgemm, eps32)
					checkAgainstGonum(t, tc, dgemm, eps64)
				})
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Fatal("short C did not panic")
		}
	}()
	impl.Sgemm(blas.NoTrans, blas.NoTrans, 64, 64, 64, 1, make([]float32, 64*64), 64, make([]float32, 64*64), 64, 0, make([]float32, 10), 64)
}
