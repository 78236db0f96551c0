package theory

import (
	"fmt"
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/curate"

	"github.com/selfconsume/selfconsume/data"
)

// linearMap is D Phi at one state as an operator, never formed as a
// matrix: per context c it maps an ambient vector d (index i*V + y) to
//
//	(D Phi d)_i = sum_k S_ik d_k + sum_k H_ik DC_k,c d_k,
//
// with DC_k,c the curation law's Jacobian at p_k(.|c) (only for the models
// some model consumes curated; curate.RowJacobian, factored where the law
// allows), followed by the projection onto the
// sum-zero vectors of every model (the tangent space; the projection
// removes roundoff off it, which the law's degree-K extension could grow).
// On sum-zero vectors this is the tangent block of JacobianBlocks, so its
// eigenvalues are those of the block plus n zeros. The law Jacobians of a
// context are made with its operator (op) and dropped with it. For the
// quadrature law (finite K >= 3, Tau > 0) they are factored: memory and the
// cost of one product O(n_cur Q V + n^2 V) per context, Q the quadrature
// nodes (about 50), and O(Q V) to make one; the other laws keep V x V
// matrices (O(n_cur V^2)). The dense blocks need C (n(V-1))^2 memory.
type linearMap struct {
	s  *System
	ps []*data.Table
}

// linearAt returns D Phi at ps as a linearMap.
func (s *System) linearAt(ps []*data.Table) *linearMap {
	return &linearMap{s: s, ps: ps}
}

// size returns the length of a context's ambient vector, n V.
func (l *linearMap) size() int { return len(l.s.Models) * l.s.Real.V }

// dim returns the dimension of a context's tangent space, n (V-1).
func (l *linearMap) dim() int { return len(l.s.Models) * (l.s.Real.V - 1) }

// op returns the product with D Phi on context c: op(x, y) sets y.
func (l *linearMap) op(c int) func(x, y []float64) {
	s := l.s
	n, v := len(s.Models), s.Real.V
	jac := make([]*curate.RowJacobian, n)
	for k := range s.Models {
		used := false
		for _, m := range s.Models {
			used = used || m.Curated[k] > 0
		}
		if used {
			jac[k] = s.lawRowJacobian(l.ps[k], s.CurateReward[s.Models[k].Pop], c)
		}
	}
	tmp := make([]float64, v)
	return func(x, y []float64) {
		for k := range y {
			y[k] = 0
		}
		for k := 0; k < n; k++ {
			xk := x[k*v : (k+1)*v]
			for i, m := range s.Models {
				axpy(y[i*v:(i+1)*v], m.Raw[k], xk)
			}
			if jac[k] == nil {
				continue
			}
			jac[k].MulVec(xk, tmp)
			for i, m := range s.Models {
				axpy(y[i*v:(i+1)*v], m.Curated[k], tmp)
			}
		}
		project(y, n, v)
	}
}

// project subtracts from every model's block of x (length V) its mean.
func project(x []float64, n, v int) {
	for i := 0; i < n; i++ {
		blk := x[i*v : (i+1)*v]
		mean := 0.0
		for _, a := range blk {
			mean += a
		}
		mean /= float64(v)
		for k := range blk {
			blk[k] -= mean
		}
	}
}

// radiusSeed seeds the start vectors of the Krylov iterations, so that the
// matrix-free spectral radius is the same number on every run.
const radiusSeed = 0x5eed

// radius returns the spectral radius of D Phi on the tangent space, the
// largest over contexts of krylovRadius from a seeded random sum-zero start
// (contexts in parallel); ok is false if some context did not converge.
func (l *linearMap) radius() (float64, bool) {
	nc := l.s.Real.C
	n, v := len(l.s.Models), l.s.Real.V
	rhos := make([]float64, nc)
	oks := make([]bool, nc)
	perContext(nc, func(c int) {
		rng := rand.New(rand.NewPCG(radiusSeed, uint64(c)))
		start := make([]float64, l.size())
		for k := range start {
			start[k] = rng.NormFloat64()
		}
		project(start, n, v)
		rhos[c], oks[c] = krylovRadius(l.size(), l.dim(), l.op(c), start)
	})
	rho, ok := 0.0, true
	for c := range rhos {
		rho = max(rho, rhos[c])
		ok = ok && oks[c]
	}
	return rho, ok
}

// solve returns x with (I - D Phi) x = b on every context (b and x whole
// ambient states per context: b[c] of length n V, sum-zero per model), by
// GMRES (contexts in parallel); ok is false if some context's solve did
// not reach SolveTol.
func (l *linearMap) solve(b [][]float64) ([][]float64, bool) {
	x := make([][]float64, len(b))
	oks := make([]bool, len(b))
	perContext(len(b), func(c int) {
		x[c], oks[c] = gmres(l.size(), l.op(c), b[c])
	})
	for _, ok := range oks {
		if !ok {
			return x, false
		}
	}
	return x, true
}

// newtonFree is newton with the step solved by GMRES (SolveTol): a solve
// that does not converge counts as singular.
func (s *System) newtonFree(p, phi []*data.Table) ([]*data.Table, int) {
	n, v, nc := len(s.Models), s.Real.V, s.Real.C
	rhs := make([][]float64, nc)
	for c := range rhs {
		r := make([]float64, n*v)
		for i := 0; i < n; i++ {
			pr, fr := p[i].Row(c), phi[i].Row(c)
			for y := range pr {
				r[i*v+y] = fr[y] - pr[y]
			}
		}
		project(r, n, v)
		rhs[c] = r
	}
	d, ok := s.linearAt(p).solve(rhs)
	if !ok {
		return nil, newtonSingular
	}
	out := cloneState(p)
	for c := 0; c < nc; c++ {
		for i := 0; i < n; i++ {
			row := out[i].Row(c)
			axpy(row, 1, d[c][i*v:(i+1)*v])
			if st := acceptRow(row); st != newtonOK {
				return nil, st
			}
		}
	}
	return out, newtonOK
}

// influenceFree fills Influence's dp*/dlambda (total) and the isolated
// one-hop response (iso, model k's own entry already set) without the
// blocks: per context, iso_i = (D Phi (e_k dphi))_i for i != k and total
// solves (I - D Phi) total = e_k dphi by GMRES.
func (s *System) influenceFree(k int, dphi *data.Table, ps, total, iso []*data.Table) error {
	n, v, nc := len(s.Models), s.Real.V, s.Real.C
	l := s.linearAt(ps)
	oks := make([]bool, nc)
	perContext(nc, func(c int) {
		op := l.op(c)
		rhs := make([]float64, n*v)
		copy(rhs[k*v:(k+1)*v], dphi.Row(c))
		hop := make([]float64, n*v)
		op(rhs, hop)
		var d []float64
		d, oks[c] = gmres(n*v, op, rhs)
		for i := 0; i < n; i++ {
			if i != k {
				copy(iso[i].Row(c), hop[i*v:(i+1)*v])
			}
			copy(total[i].Row(c), d[i*v:(i+1)*v])
		}
	})
	for _, ok := range oks {
		if !ok {
			return fmt.Errorf("theory: I - D Phi is singular or nearly so: GMRES did not reach %g", SolveTol)
		}
	}
	return nil
}
