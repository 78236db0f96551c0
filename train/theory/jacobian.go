package theory

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/mat"

	"github.com/selfconsume/selfconsume/data"
)

// Tangent basis. The state is one row-stochastic table per model, and Phi
// acts on each context separately, so D Phi is block diagonal over contexts.
// On context c the tangent space is the product over models of the sum-zero
// vectors of length V; a tangent vector d is represented by its first V-1
// entries per model (the last entry is minus their sum). Block c is the
// n(V-1) x n(V-1) matrix in these coordinates, row and column index
// i*(V-1) + y for model i and token y < V-1. The full Jacobian stacks the
// blocks on the diagonal, index c*n*(V-1) + i*(V-1) + y. The basis is not
// orthonormal, but eigenvalues (hence the spectral radius) do not depend on
// the basis.

// derivs returns, for every model j consumed curated by some model, the
// Jacobian of C_pop(j) at p_j for each context (V x V, row-major), else nil.
func (s *System) derivs(ps []*data.Table) [][][]float64 {
	out := make([][][]float64, len(s.Models))
	for j := range s.Models {
		used := false
		for _, m := range s.Models {
			used = used || m.Curated[j] > 0
		}
		if used {
			out[j] = s.lawJacobians(ps[j], s.CurateReward[s.Models[j].Pop])
		}
	}
	return out
}

// ambientBlock returns D Phi on context c in ambient coordinates
// (nV x nV, index i*V + y): S_ik I + H_ik DC_pop(k)(p_k).
func (s *System) ambientBlock(dc [][][]float64, c int) *mat.Dense {
	n, v := len(s.Models), s.Real.V
	d := mat.NewDense(n*v, n*v, nil)
	for i, m := range s.Models {
		for k := range s.Models {
			for x := 0; x < v; x++ {
				if m.Raw[k] != 0 {
					d.Set(i*v+x, k*v+x, m.Raw[k])
				}
				if m.Curated[k] == 0 {
					continue
				}
				row := dc[k][c][x*v : (x+1)*v]
				for z, g := range row {
					d.Set(i*v+x, k*v+z, d.At(i*v+x, k*v+z)+m.Curated[k]*g)
				}
			}
		}
	}
	return d
}

// toTangent restricts an ambient nV x nV map (that preserves sum-zero
// vectors) to the tangent coordinates described above.
func toTangent(d *mat.Dense, n, v int) *mat.Dense {
	w := v - 1
	t := mat.NewDense(n*w, n*w, nil)
	for i := 0; i < n; i++ {
		for x := 0; x < w; x++ {
			for k := 0; k < n; k++ {
				last := d.At(i*v+x, k*v+w)
				for z := 0; z < w; z++ {
					t.Set(i*w+x, k*w+z, d.At(i*v+x, k*v+z)-last)
				}
			}
		}
	}
	return t
}

// JacobianBlocks returns D Phi at ps restricted to the tangent space, one
// n(V-1) x n(V-1) block per context, in the basis described above.
func (s *System) JacobianBlocks(ps []*data.Table) []*mat.Dense {
	s.mustState(ps)
	dc := s.derivs(ps)
	out := make([]*mat.Dense, s.Real.C)
	for c := range out {
		out[c] = toTangent(s.ambientBlock(dc, c), len(s.Models), s.Real.V)
	}
	return out
}

// Jacobian returns D Phi at ps on the tangent space of the product of
// simplices (sum-zero per model and context) as one block-diagonal matrix of
// size C n (V-1); see JacobianBlocks for the basis. For large systems prefer
// the blocks.
func (s *System) Jacobian(ps []*data.Table) *mat.Dense {
	blocks := s.JacobianBlocks(ps)
	b := len(s.Models) * (s.Real.V - 1)
	full := mat.NewDense(len(blocks)*b, len(blocks)*b, nil)
	for c, blk := range blocks {
		full.Slice(c*b, (c+1)*b, c*b, (c+1)*b).(*mat.Dense).Copy(blk)
	}
	return full
}

// SpectralRadius returns max |lambda| over the eigenvalues of the square
// matrix m (NaN if the eigen-decomposition fails).
func SpectralRadius(m mat.Matrix) float64 {
	r, c := m.Dims()
	if r == 0 || c == 0 {
		return 0
	}
	var e mat.Eigen
	if !e.Factorize(m, mat.EigenNone) {
		return math.NaN()
	}
	rho := 0.0
	for _, l := range e.Values(nil) {
		rho = math.Max(rho, cmplx.Abs(l))
	}
	return rho
}

// SpectralRadius returns the spectral radius of D Phi at ps on the tangent
// space: the largest over the context blocks (formed, or matrix-free by
// Krylov-Schur to RadiusTol; see MatrixFree). Below 1 the state ps, if a
// fixed point, is locally stable and distances to it shrink like rho^t.
func (s *System) SpectralRadius(ps []*data.Table) float64 {
	if s.MatrixFree() {
		s.mustState(ps)
		return s.spectralRadiusFree(s.linearAt(ps))
	}
	rho := 0.0
	for _, b := range s.JacobianBlocks(ps) {
		rho = math.Max(rho, SpectralRadius(b))
	}
	return rho
}

// GenerationsTo returns the predicted number of generations for a distance
// to the fixed point to shrink by the factor eps (0 < eps < 1) at linear
// rate rho: log(eps)/log(rho); +Inf when rho is not below 1 - 1e-9 (see
// Stable) and 0 when rho == 0.
func GenerationsTo(rho, eps float64) float64 {
	switch {
	case rho >= 1-neutralTol:
		return math.Inf(1)
	case rho <= 0:
		return 0
	}
	return math.Log(eps) / math.Log(rho)
}
