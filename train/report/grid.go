package report

import (
	"math"
	"slices"
)

// grid is a field on a rectangular grid; it implements plotter.GridXYZ.
// z[r][c] is the value at (xs[c], ys[r]); missing cells are NaN.
type grid struct {
	xs, ys []float64
	z      [][]float64
}

// Dims returns the number of columns and rows.
func (g *grid) Dims() (c, r int) { return len(g.xs), len(g.ys) }

// Z returns the value at column c, row r.
func (g *grid) Z(c, r int) float64 { return g.z[r][c] }

// X returns the x coordinate of column c.
func (g *grid) X(c int) float64 { return g.xs[c] }

// Y returns the y coordinate of row r.
func (g *grid) Y(r int) float64 { return g.ys[r] }

// zRange returns the smallest and largest finite values; ok is false when
// there is none.
func (g *grid) zRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range g.z {
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi, lo <= hi
}

// gridBuilder collects (x, y, z) cells of a regular grid in any order.
type gridBuilder struct{ x, y, z []float64 }

func (b *gridBuilder) add(x, y, z float64) {
	b.x = append(b.x, x)
	b.y = append(b.y, y)
	b.z = append(b.z, z)
}

// build returns the grid, or nil when it has fewer than two distinct x or y
// coordinates (no area to draw).
func (b *gridBuilder) build() *grid {
	xs, ys := uniqueSorted(b.x), uniqueSorted(b.y)
	if len(xs) < 2 || len(ys) < 2 {
		return nil
	}
	g := &grid{xs: xs, ys: ys, z: make([][]float64, len(ys))}
	for r := range g.z {
		g.z[r] = make([]float64, len(xs))
		for c := range g.z[r] {
			g.z[r][c] = math.NaN()
		}
	}
	for i := range b.z {
		c, _ := slices.BinarySearch(xs, b.x[i])
		r, _ := slices.BinarySearch(ys, b.y[i])
		g.z[r][c] = b.z[i]
	}
	return g
}

func uniqueSorted(v []float64) []float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return slices.Compact(s)
}
