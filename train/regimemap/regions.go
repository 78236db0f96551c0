package regimemap

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Region is one model's part of the map, read off its aligned rows: the
// cells of every label and the feedback-inversion cells.
type Region struct {
	Model, Population, Role string
	Labels                  map[string][]Cell // label ("" when the cell has no influence) -> cells, in cell order
	// Inversion are the cells where feedback flips the sign of the
	// isolated effect; ToHarm those of them where the total is negative
	// (coupling alone makes curation backfire), the others turn a harm
	// into a gain.
	Inversion, ToHarm []Cell
}

// Regions extracts each model's region from a map's rows, models in the
// order they first appear.
func Regions(rows []Row) []Region {
	var out []Region
	at := map[string]int{}
	for _, r := range rows {
		if !r.Aligned {
			continue
		}
		k, ok := at[r.Model]
		if !ok {
			k = len(out)
			at[r.Model] = k
			out = append(out, Region{Model: r.Model, Population: r.Population, Role: r.Role, Labels: map[string][]Cell{}})
		}
		g := &out[k]
		g.Labels[r.Label] = append(g.Labels[r.Label], r.Cell)
		if r.Inversion {
			g.Inversion = append(g.Inversion, r.Cell)
			if r.Total < 0 {
				g.ToHarm = append(g.ToHarm, r.Cell)
			}
		}
	}
	return out
}

// LabelNames returns the region's labels, most cells first (ties by name).
func (g Region) LabelNames() []string {
	var names []string
	for l := range g.Labels {
		names = append(names, l)
	}
	slices.SortFunc(names, func(a, b string) int {
		if d := len(g.Labels[b]) - len(g.Labels[a]); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return names
}

// Span describes where cells lie: the range of x and y values they cover,
// e.g. "x 0.25 to 1, y 0 to 0.5".
func Span(cells []Cell) string {
	if len(cells) == 0 {
		return "nowhere"
	}
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, c := range cells {
		x0, x1 = math.Min(x0, c.X), math.Max(x1, c.X)
		y0, y1 = math.Min(y0, c.Y), math.Max(y1, c.Y)
	}
	rng := func(a, b float64) string {
		if a == b {
			return fmt.Sprintf("%.4g", a)
		}
		return fmt.Sprintf("%.4g to %.4g", a, b)
	}
	return "x " + rng(x0, x1) + ", y " + rng(y0, y1)
}
