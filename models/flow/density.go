package flow

import (
	"fmt"
	"math/rand/v2"
)

// LogProb writes log p(x) (nats) of each point of x (pairs) to out, which
// must hold len(x)/2 values. It runs the plain-Go pass in float64 over the
// current parameters, for any number of points.
func (f *Flow) LogProb(x []float64, out []float64) {
	if len(out) < len(x)/2 {
		panic(fmt.Sprintf("flow: LogProb of %d points into %d outputs", len(x)/2, len(out)))
	}
	f.net64().logProb(x, out[:len(x)/2])
}

// Sample draws n points (2n numbers, pairs) exactly from the flow: base
// points from rng's standard normals, in order, then the inverse pass in
// float64 through the conditioners' piecewise-linear form (pwlNet), the
// same function as the layers' up to rounding. The result depends only on
// rng's state and the parameters, not on GOMAXPROCS.
func (f *Flow) Sample(rng *rand.Rand, n int) []float64 {
	z := baseNormals(rng, n)
	f.pieces().invert(z)
	return z
}

// baseNormals draws n base points (pairs) from rng's standard normals.
func baseNormals(rng *rand.Rand, n int) []float64 {
	z := make([]float64, 2*n)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	return z
}
