package models

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Adam is gorgonia's AdamSolver (default betas 0.9 and 0.999, epsilon 1e-8,
// no batch scaling, clipping or regularisation) done in place: the same
// arithmetic in the same order and precision, so the same bits
// (TestAdamMatchesGorgonia), without the dozen temporary tensors
// gorgonia's Step allocates per parameter per step. Like gorgonia's, Step
// zeroes each gradient after using it, since the tape machine adds into it.
type Adam struct {
	lr    float64
	iter  int
	m, v  []any     // per parameter: []float32 or []float64 moment estimates
	grads []G.Value // Step's buffer of the dual values' derivatives
	// plainGo runs the float32 update in Go even where the vector kernel
	// could (tests hold both to gorgonia's bits).
	plainGo bool
}

// Adam's fixed constants (gorgonia's defaults).
const (
	adamBeta1 = 0.9
	adamBeta2 = 0.999
	adamEps   = 1e-8
)

// NewAdam returns Adam with the given learning rate, zero moments and step
// count zero.
func NewAdam(lr float64) *Adam { return &Adam{lr: lr} }

// SetLR changes the learning rate of the following steps, keeping the
// moments and the step count.
func (a *Adam) SetLR(lr float64) { a.lr = lr }

// Step updates every parameter from its gradient (its dual value's
// derivative, which the tape machine fills).
func (a *Adam) Step(params G.Nodes) error {
	if cap(a.grads) < len(params) {
		a.grads = make([]G.Value, len(params))
	}
	grads := a.grads[:len(params)]
	for i, n := range params {
		gv, err := n.Grad()
		if err != nil {
			return fmt.Errorf("adam: %s: %w", n.Name(), err)
		}
		grads[i] = gv
	}
	return a.StepGrads(params, grads)
}

// StepGrads updates every parameter from the gradient given for it.
func (a *Adam) StepGrads(params G.Nodes, grads []G.Value) error {
	if a.m == nil {
		a.m = make([]any, len(params))
		a.v = make([]any, len(params))
	}
	if len(params) != len(a.m) || len(grads) != len(params) {
		return fmt.Errorf("adam: %d parameters and %d gradients, was %d", len(params), len(grads), len(a.m))
	}
	a.iter++
	c1 := 1 - math.Pow(adamBeta1, float64(a.iter))
	c2 := 1 - math.Pow(adamBeta2, float64(a.iter))
	for i, n := range params {
		w, okW := n.Value().(*tensor.Dense)
		g, okG := grads[i].(*tensor.Dense)
		if !okW || !okG || w.Dtype() != g.Dtype() || w.Shape().TotalSize() != g.Shape().TotalSize() {
			return fmt.Errorf("adam: %s or its gradient is not a dense tensor of its size", n.Name())
		}
		switch w.Dtype() {
		case tensor.Float32:
			wd := w.Float32s()
			if a.m[i] == nil {
				a.m[i], a.v[i] = make([]float32, len(wd)), make([]float32, len(wd))
			}
			adamF32(wd, g.Float32s(), a.m[i].([]float32), a.v[i].([]float32),
				float32(1)/float32(c1), float32(1)/float32(c2), -float32(a.lr), float32(adamEps), !a.plainGo)
		case tensor.Float64:
			wd := w.Float64s()
			if a.m[i] == nil {
				a.m[i], a.v[i] = make([]float64, len(wd)), make([]float64, len(wd))
			}
			adamUpdate(wd, g.Float64s(), a.m[i].([]float64), a.v[i].([]float64),
				1/c1, 1/c2, -a.lr, adamEps, math.Sqrt)
		default:
			return fmt.Errorf("adam: %s has dtype %v", n.Name(), w.Dtype())
		}
	}
	return nil
}

// float32Sqrt rounds the float64 root to float32, which is the
// correctly rounded float32 root, as gorgonia's math32.Sqrt.
func float32Sqrt(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// adamUpdate is one Adam step on one parameter, written as gorgonia's Step
// computes it: m = m*b1 + g*(1-b1); v = v*b2 + (g*g)*(1-b2);
// w += ((m*corr1)*negEta) / (sqrt(v*corr2) + eps); g = 0.
func adamUpdate[T float32 | float64](w, g, m, v []T, corr1, corr2, negEta, eps T, sqrt func(T) T) {
	var b1, b2 T = adamBeta1, adamBeta2
	omb1, omb2 := 1-b1, 1-b2
	g = g[:len(w)]
	m = m[:len(w)]
	v = v[:len(w)]
	for j := range w {
		gj := g[j]
		mj := gj*omb1 + m[j]*b1
		vj := (gj*gj)*omb2 + v[j]*b2
		m[j], v[j] = mj, vj
		w[j] += (mj * corr1 * negEta) / (sqrt(vj*corr2) + eps)
		g[j] = 0
	}
}
