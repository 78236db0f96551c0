package data

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Categorical is a real conditional distribution: contexts drawn from
// Context, tokens from Cond(.|c).
type Categorical struct {
	Context []float64
	Cond    *Table
}

// Dirichlet draws every row of a C x V table from a symmetric Dirichlet with
// the given concentration: small values give peaked rows, large ones flat rows.
func Dirichlet(rng *rand.Rand, c, v int, concentration float64) *Table {
	t := NewTable(c, v)
	for i := 0; i < c; i++ {
		row := t.Row(i)
		for {
			s := 0.0
			for y := range row {
				row[y] = Gamma(rng, concentration)
				s += row[y]
			}
			if s > 0 {
				for y := range row {
					row[y] /= s
				}
				break
			}
		}
	}
	return t
}

// Zipf gives every row the Zipf law p(rank k) proportional to 1/k^exponent,
// over a token order drawn afresh for each context.
func Zipf(rng *rand.Rand, c, v int, exponent float64) *Table {
	t := NewTable(c, v)
	for i := 0; i < c; i++ {
		row := t.Row(i)
		perm := rng.Perm(v)
		for k, y := range perm {
			row[y] = math.Pow(float64(k+1), -exponent)
		}
	}
	if err := t.Normalize(); err != nil {
		panic(err) // cannot happen: every entry is positive
	}
	return t
}

// FromRows builds a table from explicit rows, normalising each.
func FromRows(rows [][]float64) (*Table, error) {
	if len(rows) == 0 || len(rows[0]) == 0 {
		return nil, fmt.Errorf("empty table")
	}
	t := NewTable(len(rows), len(rows[0]))
	for c, r := range rows {
		if len(r) != t.V {
			return nil, fmt.Errorf("row %d has %d entries, row 0 has %d", c, len(r), t.V)
		}
		for y, v := range r {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("row %d entry %d is %g; entries must be finite and >= 0", c, y, v)
			}
		}
		copy(t.Row(c), r)
	}
	if err := t.Normalize(); err != nil {
		return nil, err
	}
	return t, nil
}

// UniformContext returns the uniform distribution over c contexts.
func UniformContext(c int) []float64 {
	w := make([]float64, c)
	for i := range w {
		w[i] = 1 / float64(c)
	}
	return w
}

// Gamma draws from Gamma(shape, 1) (Marsaglia and Tsang; shape < 1 by boosting).
func Gamma(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		u := rng.Float64()
		return Gamma(rng, shape+1) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}
