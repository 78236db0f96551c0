package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkSgemm times the float32 multiplies of the harness's networks
// (batch 256 and a 4096-row forward pass through 128 x 128 layers; NN is
// forward, NT the input gradient, TN the weight gradient; the thin shapes
// are a flow conditioner's 1 -> 128 and 128 -> 2 layers) with this package
// and with gonum; b.SetBytes counts FLOPs, so MB/s reads as MFLOP/s.
func BenchmarkSgemm(b *testing.B) {
	shapes := []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
	}{
		{"NN256x128x128", blas.NoTrans, blas.NoTrans, 256, 128, 128},
		{"NT256x128x128", blas.NoTrans, blas.Trans, 256, 128, 128},
		{"TN128x128x256", blas.Trans, blas.NoTrans, 128, 128, 256},
		{"NN4096x128x128", blas.NoTrans, blas.NoTrans, 4096, 128, 128},
		{"NN256x2x128", blas.NoTrans, blas.NoTrans, 256, 2, 128},
		{"NT256x128x2", blas.NoTrans, blas.Trans, 256, 128, 2},
		{"TN128x2x256", blas.Trans, blas.NoTrans, 128, 2, 256},
		{"TN1x128x256", blas.Trans, blas.NoTrans, 1, 128, 256},
		{"NN256x128x1", blas.NoTrans, blas.NoTrans, 256, 128, 1},
		{"NT256x128x1", blas.NoTrans, blas.Trans, 256, 128, 1},
	}
	impls := []struct {
		name string
		f    func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
	}{
		{"gemm", Implementation{}.Sgemm},
		{"gonum", gonum.Implementation{}.Sgemm},
	}
	for _, s := range shapes {
		for _, impl := range impls {
			b.Run(fmt.Sprintf("%s/%s", s.name, impl.name), func(b *testing.B) {
				tc := gemmCase{s.tA, s.tB, s.m, s.n, s.k, 0, 1, 0}
				x, lda, y, ldb, c, ldc := operands[float32](tc, rand.New(rand.NewPCG(1, 1)))
				b.SetBytes(int64(2 * s.m * s.n * s.k))
				for b.Loop() {
					impl.f(s.tA, s.tB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, c, ldc)
				}
			})
		}
	}
}
