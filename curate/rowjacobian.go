package curate

import (
	"gonum.org/v1/gonum/blas/blas64"
)

// RowJacobian is the Jacobian of the law at one row (see Law.Deriv) as an
// operator: MulVec applies it without the V x V matrix where the law
// allows. For finite K >= 3 at Tau > 0 (the quadrature case) it keeps the
// quadrature's factors, DC = diag(H) + diag(p) G with
// G(x,z) = sum over nodes f(x) e(z): O(nodes V) memory and time per product
// instead of O(V^2), and made in O(nodes V) instead of O(nodes V^2); the
// other laws keep the dense matrix.
type RowJacobian struct {
	v     int
	dense []float64   // V x V row-major, or nil
	h, p  []float64   // factored: H and the normalised p
	f, e  [][]float64 // factored: per node
}

// factoredSpread is the reward spread, in temperatures, below which the
// quadrature's Jacobian is kept factored (luceQuad's fast path).
const factoredSpread = 600

// RowJacobian returns the Jacobian of C at the row p with rewards r.
func (l Law) RowJacobian(p, r []float64) *RowJacobian {
	v := len(p)
	if !l.Infinite && l.K >= 3 && l.Tau > 0 {
		q := l.mustRow(p, r, v)
		lv := luceLogV(q, r, l.Tau, l.K, true, l.Fast)
		if spread(lv) < factoredSpread {
			j := &RowJacobian{v: v}
			luceQuadFactors(l.K, l.Fast, q, lv, make([]float64, v), nil, nil, nil, j)
			return j
		}
	}
	return DenseRowJacobian(l, p, r)
}

var _ RowJacobianer = Law{}

// RowJacobianer is an Operator that gives its Jacobian at a row as an
// operator, cheaper to make and apply than Deriv's V x V matrix (Law does,
// for the quadrature case); the matrix-free theory uses it when present.
type RowJacobianer interface {
	RowJacobian(p, r []float64) *RowJacobian
}

// DenseRowJacobian is op's Jacobian at the row p with rewards r, made
// from Deriv's V x V matrix.
func DenseRowJacobian(op Operator, p, r []float64) *RowJacobian {
	v := len(p)
	j := &RowJacobian{v: v, dense: make([]float64, v*v)}
	op.Deriv(p, r, j.dense)
	return j
}

// MulVec sets out = DC d.
func (j *RowJacobian) MulVec(d, out []float64) {
	v := j.v
	if j.dense != nil {
		for x := 0; x < v; x++ {
			row, sum := j.dense[x*v:(x+1)*v], 0.0
			for z, a := range row {
				sum += a * d[z]
			}
			out[x] = sum
		}
		return
	}
	for x := 0; x < v; x++ {
		out[x] = 0
	}
	dv, ov := blas64.Vector{N: v, Inc: 1, Data: d}, blas64.Vector{N: v, Inc: 1, Data: out}
	for n, e := range j.e {
		c := blas64.Dot(blas64.Vector{N: v, Inc: 1, Data: e}, dv)
		if c == 0 {
			continue
		}
		blas64.Axpy(c, blas64.Vector{N: v, Inc: 1, Data: j.f[n]}, ov)
	}
	for x := 0; x < v; x++ {
		out[x] = j.h[x]*d[x] + j.p[x]*out[x]
	}
}
