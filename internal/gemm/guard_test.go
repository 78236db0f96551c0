package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// guard is the number of sentinel elements before and after each operand.
const guard = 40

// sentinel is what fills the buffers around the operands. Around A and B
// (read only) it is a quiet NaN with a payload: any read that reaches a sum
// makes that sum NaN, and any write changes its bits. Around C it is a
// finite number near 1.24 with an odd bit pattern, since a NaN would keep
// its bits when a kernel adds a product into it; any store, scaling or
// addition of a nonzero product changes it.
func sentinel[T scalar](nan bool) T {
	var v T
	switch p := any(&v).(type) {
	case *float32:
		*p = math.Float32frombits(0x3f9e3779)
		if nan {
			*p = math.Float32frombits(0x7fc0dead)
		}
	case *float64:
		*p = math.Float64frombits(0x3ff3c6ef372fe94f)
		if nan {
			*p = math.Float64frombits(0x7ff8deadbeefcafe)
		}
	}
	return v
}

// bitsOf returns v's bit pattern.
func bitsOf[T scalar](v T) uint64 {
	switch x := any(v).(type) {
	case float32:
		return uint64(math.Float32bits(x))
	case float64:
		return math.Float64bits(x)
	}
	panic("unreachable")
}

// guarded is a rows x cols matrix with leading dimension ld inside a buffer:
// guard sentinels before and after it and sentinels in the padding columns
// of every row; the matrix elements come from rng.
type guarded[T scalar] struct {
	buf            []T
	rows, cols, ld int
	nan            bool // which sentinel
}

func newGuarded[T scalar](rows, cols, ld int, nan bool, rng *rand.Rand) guarded[T] {
	g := guarded[T]{buf: make([]T, 2*guard+(rows-1)*ld+cols), rows: rows, cols: cols, ld: ld, nan: nan}
	s := sentinel[T](nan)
	for i := range g.buf {
		g.buf[i] = s
	}
	m := g.matrix()
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			m[i*ld+j] = T(rng.NormFloat64())
		}
	}
	return g
}

// matrix is the slice a multiply gets: from the first element to the last,
// capacity included, so that a write past it lands on a guard.
func (g guarded[T]) matrix() []T {
	n := (g.rows-1)*g.ld + g.cols
	return g.buf[guard : guard+n : guard+n]
}

// checkSentinels fails if any element outside the matrix lost its
// sentinel's bits.
func (g guarded[T]) checkSentinels(t *testing.T, name string) {
	t.Helper()
	s := bitsOf(sentinel[T](g.nan))
	for i, v := range g.buf {
		at := i - guard
		inside := at >= 0 && at < (g.rows-1)*g.ld+g.cols && at%g.ld < g.cols
		if !inside && bitsOf(v) != s {
			t.Fatalf("%s sentinel at offset %d from the matrix (row %d, column %d of ld %d) overwritten with %g",
				name, at, floorDiv(at, g.ld), at-floorDiv(at, g.ld)*g.ld, g.ld, v)
		}
	}
}

// floorDiv is a/b rounded down.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// guardShapes are m x n x k products on every route: kernel tiles with
// partial rows and columns (mr 6; nr 8, 16 or 32), the mc, kc and nc block
// edges, the transposed product of thin results, gemv for a single row or
// column, and gonum for products thin on both sides.
var guardShapes = [][3]int{
	{6, 16, 8}, {7, 17, 9}, {5, 31, 3}, {13, 33, 20}, {12, 64, 1},
	{97, 40, 20}, {20, 9, 257}, {8, 1025, 2},
	{40, 3, 10}, {33, 2, 5}, {1, 50, 20}, {50, 1, 20}, {3, 2, 4}, {1, 1, 1},
}

// multiplyPaths are the ways a multiply runs: Implementation (every route,
// on this CPU's kernels) and multiply with each kernel set, through the tile
// and adding whole tiles into C.
func multiplyPaths[T scalar]() map[string]multiplyFunc[T] {
	paths := map[string]multiplyFunc[T]{}
	var impl Implementation
	switch any(paths).(type) {
	case map[string]multiplyFunc[float32]:
		paths["Implementation"] = any(multiplyFunc[float32](func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
			impl.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc)
		})).(multiplyFunc[T])
	case map[string]multiplyFunc[float64]:
		paths["Implementation"] = any(multiplyFunc[float64](func(tc gemmCase, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
			impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
		})).(multiplyFunc[T])
	}
	return paths
}

// TestMultiplyWritesOnlyC runs every product of guardShapes, with every
// transpose pair and leading dimensions equal to and wider than the
// matrices, on every path (Implementation, and multiply with the Go
// reference kernels and each assembly kernel set this CPU has, through the
// tile and adding whole tiles into C). A, B and C sit in buffers of
// sentinels (before, after, and in the padding columns). The multiply must
// leave every sentinel's bits and all of A and B as they were, and agree
// with gonum within (k+2) eps times the sum of the absolute terms (a
// sentinel read into a sum makes it NaN, which fails too).
func TestMultiplyWritesOnlyC(t *testing.T) {
	t.Parallel()
	sets := append([]testKernels{
		{"go16", kernelSet{f32: kernelGo[float32](16), nr32: 16, f64: kernelGo[float64](8), nr64: 8}, false},
		{"go32", kernelSet{f32: kernelGo[float32](32), nr32: 32, f64: kernelGo[float64](16), nr64: 16}, false},
	}, asmKernels()...)
	paths32, paths64 := multiplyPaths[float32](), multiplyPaths[float64]()
	for _, kn := range sets {
		if kn.skip {
			continue
		}
		paths32[kn.name] = withKernel(kn.set.f32, nil, nil, nil, kn.set.nr32, &poolF32)
		paths64[kn.name] = withKernel(kn.set.f64, nil, nil, nil, kn.set.nr64, &poolF64)
		if kn.set.add32 != nil {
			paths32[kn.name+"+add"] = withKernel(kn.set.f32, kn.set.add32, nil, nil, kn.set.nr32, &poolF32)
			paths64[kn.name+"+add"] = withKernel(kn.set.f64, kn.set.add64, nil, nil, kn.set.nr64, &poolF64)
			paths32[kn.name+"+add+set"] = withKernel(kn.set.f32, kn.set.add32, kn.set.set32, nil, kn.set.nr32, &poolF32)
			paths64[kn.name+"+add+set"] = withKernel(kn.set.f64, kn.set.add64, kn.set.set64, nil, kn.set.nr64, &poolF64)
		}
		if kn.set.dir32 != nil {
			paths32[kn.name+"+direct"] = withKernel(kn.set.f32, nil, nil, kn.set.dir32, kn.set.nr32, &poolF32)
			paths64[kn.name+"+direct"] = withKernel(kn.set.f64, nil, nil, kn.set.dir64, kn.set.nr64, &poolF64)
			paths32[kn.name+"+add+direct"] = withKernel(kn.set.f32, kn.set.add32, nil, kn.set.dir32, kn.set.nr32, &poolF32)
			paths64[kn.name+"+add+direct"] = withKernel(kn.set.f64, kn.set.add64, nil, kn.set.dir64, kn.set.nr64, &poolF64)
			paths32[kn.name+"+add+set+direct"] = withKernel(kn.set.f32, kn.set.add32, kn.set.set32, kn.set.dir32, kn.set.nr32, &poolF32)
			paths64[kn.name+"+add+set+direct"] = withKernel(kn.set.f64, kn.set.add64, kn.set.set64, kn.set.dir64, kn.set.nr64, &poolF64)
		}
	}
	scalars := [][2]float64{{1, 0}, {1, 1}, {0.25, -0.5}}
	i := 0
	for _, s := range guardShapes {
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				for _, pad := range []int{0, 3} {
					sc := scalars[i%len(scalars)]
					i++
					tc := gemmCase{tA, tB, s[0], s[1], s[2], pad, sc[0], sc[1]}
					for name, f := range paths32 {
						checkGuarded(t, name, tc, f, 0x1p-24)
					}
					for name, f := range paths64 {
						checkGuarded(t, name, tc, f, 0x1p-53)
					}
				}
			}
		}
	}
}

// checkGuarded runs one case on one path with guarded operands.
func checkGuarded[T scalar](t *testing.T, path string, tc gemmCase, compute multiplyFunc[T], eps float64) {
	t.Helper()
	rowsA, colsA, rowsB, colsB := tc.stored()
	rng := rand.New(rand.NewPCG(uint64(tc.m), uint64(tc.n*1000+tc.k)))
	// Each leading dimension gets its own padding, so that A, B and C differ.
	ga := newGuarded[T](rowsA, colsA, colsA+tc.pad, true, rng)
	gb := newGuarded[T](rowsB, colsB, colsB+2*tc.pad, true, rng)
	gc := newGuarded[T](tc.m, tc.n, tc.n+tc.pad+tc.pad/2, false, rng)
	a, b, c := ga.matrix(), gb.matrix(), gc.matrix()
	a0, b0 := append([]T(nil), ga.buf...), append([]T(nil), gb.buf...)
	want, bound := gonumReference(tc, a, ga.ld, b, gb.ld, c, gc.ld)
	compute(tc, a, ga.ld, b, gb.ld, c, gc.ld)
	name := fmt.Sprintf("%s %T %v%v %dx%dx%d lda %d ldb %d ldc %d: ", path, a[0], tc.tA == blas.Trans, tc.tB == blas.Trans, tc.m, tc.n, tc.k, ga.ld, gb.ld, gc.ld)
	gc.checkSentinels(t, name+"C")
	for i := range a0 {
		if bitsOf(a0[i]) != bitsOf(ga.buf[i]) {
			t.Fatalf("%sA's buffer changed at %d", name, i-guard)
		}
	}
	for i := range b0 {
		if bitsOf(b0[i]) != bitsOf(gb.buf[i]) {
			t.Fatalf("%sB's buffer changed at %d", name, i-guard)
		}
	}
	checkClose(t, name, tc, c, want, bound, gc.ld, eps)
}
