package data

import (
	"fmt"
	"math"
)

// Table is a row-stochastic C x V table p(y|c), stored row-major.
type Table struct {
	C, V int
	P    []float64
}

// NewTable returns a C x V table of zeros.
func NewTable(c, v int) *Table {
	return &Table{C: c, V: v, P: make([]float64, c*v)}
}

// UniformTable returns the C x V table with every row uniform.
func UniformTable(c, v int) *Table {
	t := NewTable(c, v)
	for i := range t.P {
		t.P[i] = 1 / float64(v)
	}
	return t
}

// Row returns row c, aliased to the table's storage.
func (t *Table) Row(c int) []float64 { return t.P[c*t.V : (c+1)*t.V] }

// At returns p(y|c).
func (t *Table) At(c, y int) float64 { return t.P[c*t.V+y] }

// Clone returns a deep copy.
func (t *Table) Clone() *Table {
	return &Table{C: t.C, V: t.V, P: append([]float64(nil), t.P...)}
}

// Normalize rescales every row to sum to one. A row of zeros is an error.
func (t *Table) Normalize() error {
	for c := 0; c < t.C; c++ {
		row := t.Row(c)
		s := 0.0
		for _, v := range row {
			s += v
		}
		if !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("row %d sums to %g", c, s)
		}
		for i := range row {
			row[i] /= s
		}
	}
	return nil
}

// Validate checks that the table is row-stochastic within tol.
func (t *Table) Validate(tol float64) error {
	if len(t.P) != t.C*t.V {
		return fmt.Errorf("table has %d cells, want %d x %d", len(t.P), t.C, t.V)
	}
	for c := 0; c < t.C; c++ {
		s := 0.0
		for y, v := range t.Row(c) {
			if v < 0 || math.IsNaN(v) {
				return fmt.Errorf("p(%d|%d) = %g", y, c, v)
			}
			s += v
		}
		if math.Abs(s-1) > tol {
			return fmt.Errorf("row %d sums to %g", c, s)
		}
	}
	return nil
}

// Expect returns sum_c w[c] sum_y p(y|c) f(c,y), with f given as a table of
// the same shape (not necessarily stochastic).
func (t *Table) Expect(w []float64, f *Table) float64 {
	s := 0.0
	for c := 0; c < t.C; c++ {
		row, fr := t.Row(c), f.Row(c)
		rs := 0.0
		for y, p := range row {
			rs += p * fr[y]
		}
		s += w[c] * rs
	}
	return s
}

// KL returns the context-weighted divergence
// sum_c w[c] sum_y t(y|c) log(t(y|c)/u(y|c)) in nats (+Inf where u is 0 on a
// cell t charges).
func (t *Table) KL(w []float64, u *Table) float64 {
	s := 0.0
	for c := 0; c < t.C; c++ {
		tr, ur := t.Row(c), u.Row(c)
		k := 0.0
		for y, tv := range tr {
			if tv > 0 {
				k += tv * math.Log(tv/ur[y])
			}
		}
		s += w[c] * k
	}
	return s
}

// TV returns the context-weighted total variation distance
// sum_c w[c] (1/2) sum_y |t(y|c) - u(y|c)| between two tables of one shape.
func (t *Table) TV(w []float64, u *Table) float64 {
	s := 0.0
	for c := 0; c < t.C; c++ {
		tr, ur := t.Row(c), u.Row(c)
		d := 0.0
		for y := range tr {
			d += math.Abs(tr[y] - ur[y])
		}
		s += w[c] * d / 2
	}
	return s
}
