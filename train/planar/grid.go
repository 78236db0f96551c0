package planar

import (
	"math"
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// planeGrid is a regular grid of cells over a box of the plane: densities
// evaluated at the cell centres and scaled by the cell area give a
// finite-support distribution, on which the theory of the categorical case
// runs unchanged (one context, one token per cell).
type planeGrid struct {
	res     int
	lo, hi  [2]float64
	centres []float64 // pairs, row-major: cell (ix, iy) at index iy*res + ix
	area    float64
}

func newPlaneGrid(bounds [4]float64, res int) planeGrid {
	g := planeGrid{res: res, lo: [2]float64{bounds[0], bounds[2]}, hi: [2]float64{bounds[1], bounds[3]}}
	dx, dy := (g.hi[0]-g.lo[0])/float64(res), (g.hi[1]-g.lo[1])/float64(res)
	g.area = dx * dy
	g.centres = make([]float64, 0, 2*res*res)
	for iy := 0; iy < res; iy++ {
		for ix := 0; ix < res; ix++ {
			g.centres = append(g.centres, g.lo[0]+(float64(ix)+0.5)*dx, g.lo[1]+(float64(iy)+0.5)*dy)
		}
	}
	return g
}

// cells is the number of cells.
func (g planeGrid) cells() int { return g.res * g.res }

// table turns log-densities at the cell centres into a 1 x cells table of
// cell masses, renormalised over the box.
func (g planeGrid) table(logp []float64) *data.Table {
	t := data.NewTable(1, g.cells())
	mx := math.Inf(-1)
	for _, l := range logp {
		mx = math.Max(mx, l)
	}
	s := 0.0
	for i, l := range logp {
		t.P[i] = math.Exp(l - mx)
		s += t.P[i]
	}
	for i := range t.P {
		// A flow's density is never 0; a cell far in its tail underflows.
		// The floor keeps KL finite (and huge) there.
		t.P[i] = math.Max(t.P[i]/s, 1e-300)
	}
	return t
}

// values evaluates f at every cell centre as a 1 x cells table.
func (g planeGrid) values(f func(x [2]float64) float64) *data.Table {
	t := data.NewTable(1, g.cells())
	for i := range t.P {
		t.P[i] = f([2]float64{g.centres[2*i], g.centres[2*i+1]})
	}
	return t
}

// planeBounds returns the configured box, or one around the real modes with
// a margin of four standard deviations (moons: 1.5).
func planeBounds(p config.PlaneConfig, modes [][2]float64) [4]float64 {
	if len(p.Bounds) == 4 {
		return [4]float64{p.Bounds[0], p.Bounds[1], p.Bounds[2], p.Bounds[3]}
	}
	pad := 4*p.Std + 0.5
	if p.Shape == "moons" {
		pad = 1.5
	}
	b := [4]float64{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}
	for _, m := range modes {
		b[0], b[1] = math.Min(b[0], m[0]-pad), math.Max(b[1], m[0]+pad)
		b[2], b[3] = math.Min(b[2], m[1]-pad), math.Max(b[3], m[1]+pad)
	}
	return b
}

// energyDistance is the energy distance 2E|X-Y| - E|X-X'| - E|Y-Y'| between
// two point sets (pairs), a metric between distributions that is 0 only
// when they are equal.
func energyDistance(x, y []float64) float64 {
	mean := func(a, b []float64, same bool) float64 {
		s, n := 0.0, 0
		for i := 0; i+1 < len(a); i += 2 {
			start := 0
			if same {
				start = i + 2
			}
			for j := start; j+1 < len(b); j += 2 {
				s += math.Hypot(a[i]-b[j], a[i+1]-b[j+1])
				n++
			}
		}
		return s / float64(n)
	}
	return 2*mean(x, y, false) - mean(x, x, true) - mean(y, y, true)
}

// planarRewardTables are the populations' true rewards on the theory grid's
// cells.
func planarRewardTables(cfg config.Config) ([]*data.Table, error) {
	pc := *cfg.Data.Plane
	plane, err := planeOf(pc)
	if err != nil {
		return nil, err
	}
	rs, err := planeRewards(cfg)
	if err != nil {
		return nil, err
	}
	grid := newPlaneGrid(planeBounds(pc, plane.Modes()), pc.Resolution)
	out := make([]*data.Table, len(rs))
	for i, r := range rs {
		out[i] = grid.values(r.At)
	}
	return out, nil
}

// gridCSV is world_grid.csv: every cell of the grid by its token index, its
// column ix and row iy, its centre and its edges.
func (g planeGrid) gridCSV() []byte {
	dx, dy := (g.hi[0]-g.lo[0])/float64(g.res), (g.hi[1]-g.lo[1])/float64(g.res)
	return runfolder.Fill(runfolder.WorldGridColumns, func(row func(...string)) {
		for k := 0; k < g.cells(); k++ {
			ix, iy := k%g.res, k/g.res
			row(strconv.Itoa(k), strconv.Itoa(ix), strconv.Itoa(iy), runfolder.FormatFloat(g.centres[2*k]), runfolder.FormatFloat(g.centres[2*k+1]),
				runfolder.FormatFloat(g.lo[0]+float64(ix)*dx), runfolder.FormatFloat(g.lo[0]+float64(ix+1)*dx),
				runfolder.FormatFloat(g.lo[1]+float64(iy)*dy), runfolder.FormatFloat(g.lo[1]+float64(iy+1)*dy))
		}
	})
}
