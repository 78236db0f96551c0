package models

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The AVX2 ReLU loops give the Go loops' bits, NaN, zeros of both signs and
// tails included.
func TestReLUVectorMatchesGo(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 9))
	for _, n := range []int{1, 8, 13, 64, 67} {
		x, dy := make([]float32, n), make([]float32, n)
		for i := range x {
			x[i], dy[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
		}
		x[0] = float32(math.Copysign(0, -1))
		if n > 3 {
			x[1], x[2], x[3] = 0, float32(math.NaN()), float32(math.Inf(-1))
		}
		var y, dx [2][]float32
		for k := range y {
			y[k], dx[k] = make([]float32, n), make([]float32, n)
		}
		reluForward(y[0], x) // plain Go
		reluBackward(dx[0], x, dy)
		reluForward32(y[1], x) // vector where the CPU has AVX2
		reluBackward32(dx[1], x, dy)
		for i := range x {
			for _, pair := range [][2]float32{{y[0][i], y[1][i]}, {dx[0][i], dx[1][i]}} {
				a, b := pair[0], pair[1]
				if math.Float32bits(a) != math.Float32bits(b) && !(a != a && b != b) {
					t.Fatalf("n=%d i=%d x=%v: Go %v, vector %v", n, i, x[i], a, b)
				}
			}
		}
	}
}
