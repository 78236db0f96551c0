package report

import (
	"fmt"
	"image/color"
	"math"

	"github.com/selfconsume/selfconsume/runfolder"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxScatter is the most samples drawn per panel (every k-th is kept).
const maxScatter = 800

// planDensities plans one figure per 2-D model: its density with samples,
// the curating population's reward contours and the real modes, at the
// first, middle and last recorded generation.
func planDensities(r *run) ([]figurePlan, []Skipped) {
	const what = "2-D densities with samples"
	if !r.found[runfolder.SamplesFile] && !r.found[runfolder.DensityFile] {
		return nil, []Skipped{{what, runfolder.SamplesFile + " and " + runfolder.DensityFile + " not in the run folder (2-D models only)"}}
	}
	var plans []figurePlan
	for _, m := range r.models {
		gens := r.plane.gens(m)
		if len(gens) == 0 {
			continue
		}
		caption := fmt.Sprintf("Model %s at generations %s: ", m, joinInts(firstMidLast(gens)))
		var parts []string
		if r.plane.density[m] != nil {
			parts = append(parts, "its density (grey, darker is denser, square-root scale shared by the panels)")
		}
		if r.plane.samples[m] != nil {
			parts = append(parts, fmt.Sprintf("samples (dots, at most %d shown)", maxScatter))
		}
		if pop, g := r.rewardGridFor(m); g != nil {
			parts = append(parts, fmt.Sprintf("contours of population %s's reward (dashed)", pop))
		}
		if len(r.plane.modes) > 0 {
			parts = append(parts, "the real modes (crosses)")
		}
		caption += joinAnd(parts) + "."
		plans = append(plans, figurePlan{
			file: "plots/density-" + fileSafe(m) + ".png", section: "2-D densities",
			title: "Density and samples of " + m, caption: caption,
			build: func() *layout { return r.densityFigure(m) },
		})
	}
	return plans, nil
}

// rewardGridFor returns the reward field of the population curating model,
// or of the first population with a field when the config does not say.
func (r *run) rewardGridFor(model string) (string, *grid) {
	if pop := r.cfg.population(model); pop != "" {
		if g := r.plane.reward[pop]; g != nil {
			return pop, g
		}
	}
	for _, pop := range r.plane.pops.list {
		if g := r.plane.reward[pop]; g != nil {
			return pop, g
		}
	}
	return "", nil
}

// greys is a white-to-dark-grey palette for densities, leaving the model
// colours for the samples.
type greys []color.Color

// Colors implements palette.Palette.
func (g greys) Colors() []color.Color { return g }

func newGreys(n int) greys {
	g := make(greys, n)
	for i := range g {
		v := uint8(math.Round(255 - float64(i)/float64(n-1)*(255-45)))
		g[i] = color.NRGBA{v, v, v, 0xFF}
	}
	return g
}

func (r *run) densityFigure(model string) *layout {
	gens := firstMidLast(r.plane.gens(model))
	c := r.colors.of(model)
	pop, rg := r.rewardGridFor(model)

	// One box for every panel, square so that circles look round.
	lo, hi := math.Inf(1), math.Inf(-1)
	extend := func(v float64) { lo, hi = math.Min(lo, v), math.Max(hi, v) }
	vmax := 0.0
	for _, g := range gens {
		if d := r.plane.density[model][g]; d != nil {
			x0, x1, y0, y1 := plotter.NewHeatMap(d, newGreys(2)).DataRange()
			extend(x0)
			extend(x1)
			extend(y0)
			extend(y1)
			if _, h, ok := d.zRange(); ok {
				vmax = math.Max(vmax, math.Sqrt(math.Max(h, 0)))
			}
		}
		for _, pt := range r.plane.samples[model][g] {
			extend(pt[0])
			extend(pt[1])
		}
	}
	for _, md := range r.plane.modes {
		extend(md.x)
		extend(md.y)
	}
	if !(lo < hi) {
		lo, hi = -1, 1
	}
	if vmax <= 0 {
		vmax = 1
	}
	pal := newGreys(128)

	lb := newLegendBuilder(r.colors)
	rows := [][]*plot.Plot{{nil, nil}, {nil, nil}}
	for i, g := range gens {
		p := newPlot(fmt.Sprintf("%s · generation %d", model, g), "x₁", "x₂")
		p.Title.TextStyle.Font.Size = labelSize
		if d := r.plane.density[model][g]; d != nil {
			h := plotter.NewHeatMap(sqrtGrid{d}, pal)
			h.Min, h.Max = 0, vmax
			h.Rasterized = true
			p.Add(h)
			lb.key("density (darker = higher)", &plotter.Polygon{Color: pal[len(pal)*2/3]})
		}
		if rg != nil {
			if zl, zh, ok := rg.zRange(); ok && zl < zh {
				levels := make([]float64, 7)
				for k := range levels {
					levels[k] = zl + (zh-zl)*float64(k+1)/8
				}
				ct := plotter.NewContour(rg, levels, nil)
				ct.LineStyles = []draw.LineStyle{{Color: darkGrey, Width: vg.Points(0.9), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}}
				p.Add(ct)
				lb.key(fmt.Sprintf("reward r_%s contours", pop), &plotter.Line{LineStyle: ct.LineStyles[0]})
			}
		}
		if pts := r.plane.samples[model][g]; len(pts) > 0 {
			step := (len(pts) + maxScatter - 1) / maxScatter
			var xys plotter.XYs
			for k := 0; k < len(pts); k += step {
				xys = append(xys, plotter.XY{X: pts[k][0], Y: pts[k][1]})
			}
			if sc, err := plotter.NewScatter(xys); err == nil {
				sc.GlyphStyle = draw.GlyphStyle{Color: withAlpha(c, 0.45), Radius: vg.Points(1.1), Shape: draw.CircleGlyph{}}
				p.Add(sc)
				lb.key(model+" samples", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: c, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}})
			}
		}
		if len(r.plane.modes) > 0 {
			var xys plotter.XYs
			for _, md := range r.plane.modes {
				xys = append(xys, plotter.XY{X: md.x, Y: md.y})
			}
			if sc, err := plotter.NewScatter(xys); err == nil {
				sc.GlyphStyle = draw.GlyphStyle{Color: black, Radius: vg.Points(4.5), Shape: haloCross{}}
				p.Add(sc)
				lb.key("real modes", &plotter.Scatter{GlyphStyle: sc.GlyphStyle})
			}
		}
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
		p.X.Padding, p.Y.Padding = 0, 0
		rows[i/2][i%2] = p
	}
	return &layout{w: figWidth, h: gridSide, panels: rows, legend: lb.legend(), legendTile: &[2]int{1, 1}}
}

// haloCross is a "+" mark with a white halo, visible on any background
// and thin enough to leave the density under it visible.
type haloCross struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (haloCross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	var p vg.Path
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Move(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X, Y: pt.Y + r})
	c.SetLineStyle(draw.LineStyle{Color: color.White, Width: vg.Points(3.2)})
	c.Stroke(p)
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.4)})
	c.Stroke(p)
}

// sqrtGrid shows a non-negative field on a square-root scale, so that low
// densities stay visible next to a collapsed peak.
type sqrtGrid struct{ *grid }

// Z returns the square root of the value (NaN stays NaN; negatives are 0).
func (g sqrtGrid) Z(c, r int) float64 { return math.Sqrt(math.Max(g.grid.Z(c, r), 0)) }
