package theory

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"selfconsume/data"
)

// Fixed-point solver limits.
const (
	// maxIterations caps the plain Phi iterations of FixedPoint.
	maxIterations = 20000
	// maxNewton caps the Newton steps of FixedPoint.
	maxNewton = 50
	// newtonBelow is the residual under which Newton steps are tried.
	newtonBelow = 1e-2
	// newtonCooldown is how many plain iterations follow a rejected Newton step.
	newtonCooldown = 20
)

// FixedPoint is a solution of p = Phi(p) with its diagnostics.
type FixedPoint struct {
	P []*data.Table // p*, one table per model
	J [][]float64   // J[i][a] at p* (see System.Rewards)
	// Residual is the largest TV distance between a row of Phi(P) and the
	// same row of P, over models and contexts.
	Residual    float64
	Iterations  int     // plain Phi iterations used
	NewtonSteps int     // accepted Newton steps
	Rho         float64 // spectral radius of D Phi at P on the tangent space
}

// GenerationsTo returns the predicted generations for the distance to p* to
// shrink by eps: log(eps)/log(Rho).
func (fp FixedPoint) GenerationsTo(eps float64) float64 { return GenerationsTo(fp.Rho, eps) }

// FixedPoint solves p = Phi(p) to a residual of tol (row TV, see
// FixedPoint.Residual), starting from p0 (nil: Start). It iterates Phi and,
// once the residual is below 1e-2, tries Newton steps on Phi(p) - p in the
// tangent space, (I - D Phi) delta = Phi(p) - p per context; a Newton step
// is kept only if it at least halves the residual (negative entries are
// clipped and the row renormalised), otherwise iteration resumes. Without
// real data the fixed point may sit on the boundary of the simplex where
// I - D Phi is singular; iteration then does the work, slowly. An error is
// returned, with the best state found, if tol is not reached.
func (s *System) FixedPoint(p0 []*data.Table, tol float64) (FixedPoint, error) {
	if err := s.Validate(); err != nil {
		return FixedPoint{}, err
	}
	if !(tol > 0) {
		return FixedPoint{}, fmt.Errorf("theory: fixed-point tolerance %g; need > 0", tol)
	}
	if p0 == nil {
		p0 = s.Start()
	}
	s.mustState(p0)
	p := cloneState(p0)
	next := s.Step(p)
	res := maxRowTV(next, p)
	fp := FixedPoint{Iterations: 1}
	cooldown := 0
	for res > tol && fp.Iterations < maxIterations {
		if res < newtonBelow && fp.NewtonSteps < maxNewton && cooldown == 0 {
			if cand, ok := s.newton(p, next); ok {
				cn := s.Step(cand)
				if cr := maxRowTV(cn, cand); cr <= res/2 || cr <= tol {
					p, next, res = cand, cn, cr
					fp.NewtonSteps++
					continue
				}
			}
			cooldown = newtonCooldown
		}
		if cooldown > 0 {
			cooldown--
		}
		p, next = next, s.Step(next)
		res = maxRowTV(next, p)
		fp.Iterations++
	}
	fp.P, fp.Residual = p, res
	fp.J = s.Rewards(p)
	fp.Rho = s.SpectralRadius(p)
	if res > tol {
		return fp, fmt.Errorf("theory: fixed point not reached: residual %.3g > %.3g after %d iterations and %d Newton steps",
			res, tol, fp.Iterations, fp.NewtonSteps)
	}
	return fp, nil
}

// newton returns p + delta with (I - D Phi(p)) delta = Phi(p) - p on the
// tangent space of every context, rows clipped at 0 and renormalised; ok is
// false if a block is singular or the step is not finite.
func (s *System) newton(p, phi []*data.Table) ([]*data.Table, bool) {
	n, v := len(s.Models), s.Real.V
	w := v - 1
	blocks := s.JacobianBlocks(p)
	out := cloneState(p)
	for c, blk := range blocks {
		a := mat.NewDense(n*w, n*w, nil)
		a.Sub(eye(n*w), blk)
		rhs := mat.NewVecDense(n*w, nil)
		for i := 0; i < n; i++ {
			for y := 0; y < w; y++ {
				rhs.SetVec(i*w+y, phi[i].At(c, y)-p[i].At(c, y))
			}
		}
		var d mat.VecDense
		if err := d.SolveVec(a, rhs); err != nil {
			return nil, false
		}
		for i := 0; i < n; i++ {
			row := out[i].Row(c)
			last := 0.0
			for y := 0; y < w; y++ {
				row[y] += d.AtVec(i*w + y)
				last += d.AtVec(i*w + y)
			}
			row[w] -= last
			if !fixRow(row) {
				return nil, false
			}
		}
	}
	return out, true
}

// fixRow clips negative entries of a row to 0 and renormalises it; false if
// the row is not finite or has no mass left.
func fixRow(row []float64) bool {
	sum := 0.0
	for y, x := range row {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
		if x < 0 {
			row[y] = 0
		}
		sum += row[y]
	}
	if !(sum > 0) {
		return false
	}
	for y := range row {
		row[y] /= sum
	}
	return true
}

// eye returns the n x n identity.
func eye(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		m.Set(i, i, 1)
	}
	return m
}

// cloneState deep-copies a state.
func cloneState(ps []*data.Table) []*data.Table {
	out := make([]*data.Table, len(ps))
	for i, p := range ps {
		out[i] = p.Clone()
	}
	return out
}
