package theory

import (
	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// The curation law enters the theory through the functions of this file:
// its value on a table (applyLaw) and its Jacobians, per table as V x V
// matrices (lawJacobians) or per row as an operator (lawRowJacobian). Large tables are done on all cores, row by row; every row
// is computed alone, so the numbers do not depend on the scheduling.

// parallelCells is the table size (contexts times tokens) from which the
// rows are spread over the cores.
const parallelCells = 8192

// rowsParallel runs f for every row 0..n-1, on all cores when cells (the
// table's size) is at least parallelCells.
func rowsParallel(n, cells int, f func(c int)) {
	if cells < parallelCells {
		for c := 0; c < n; c++ {
			f(c)
		}
		return
	}
	perContext(n, f)
}

// applyLaw returns the law applied to every row of p with the curator's
// reward table r (curate.Law.ApplyTable).
func (s *System) applyLaw(p, r *data.Table) *data.Table {
	out := data.NewTable(p.C, p.V)
	rowsParallel(p.C, p.C*p.V, func(c int) {
		s.Law.Apply(p.Row(c), r.Row(c), out.Row(c))
	})
	return out
}

// lawJacobians returns the law's V x V Jacobian (row-major, see
// curate.Law.Deriv) at every row of p with the reward table r.
func (s *System) lawJacobians(p, r *data.Table) [][]float64 {
	v := p.V
	out := make([][]float64, p.C)
	rowsParallel(p.C, p.C*p.V, func(c int) {
		out[c] = make([]float64, v*v)
		s.Law.Deriv(p.Row(c), r.Row(c), out[c])
	})
	return out
}

// lawRowJacobian returns the law's Jacobian at row c of p with the reward
// table r, as an operator: the law's own (curate.RowJacobianer, e.g.
// curate.Law's factored quadrature Jacobian), or its dense Deriv.
func (s *System) lawRowJacobian(p, r *data.Table, c int) *curate.RowJacobian {
	if rj, ok := s.Law.(curate.RowJacobianer); ok {
		return rj.RowJacobian(p.Row(c), r.Row(c))
	}
	return curate.DenseRowJacobian(s.Law, p.Row(c), r.Row(c))
}
