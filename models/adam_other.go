//go:build !amd64 || noasm

package models

// adamF32 runs the float32 Adam update in Go (there is no vector kernel in
// this build).
func adamF32(w, g, m, v []float32, corr1, corr2, negEta, eps float32, _ bool) {
	adamUpdate(w, g, m, v, corr1, corr2, negEta, eps, float32Sqrt)
}
