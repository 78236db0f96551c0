package report

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/selfconsume/selfconsume/runfolder"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// planTables plans one heat-map figure per categorical model: p(token|context)
// at the first, middle and last generation and at the predicted fixed point.
func planTables(r *run) ([]figurePlan, []Skipped) {
	const what = "Categorical heat maps p(token | context)"
	if r.tables == nil {
		return nil, []Skipped{{what, runfolder.TablesFile + " not in the run folder (categorical models only)"}}
	}
	var plans []figurePlan
	for _, m := range r.models {
		gens := r.tables.gens(m)
		if len(gens) == 0 {
			continue
		}
		caption := fmt.Sprintf("Model %s's conditional table p(token | context) at generations %s", m, joinInts(firstMidLast(gens)))
		if r.predTables.get(m, -1) != nil {
			caption += " and at the theory's predicted fixed point"
		} else {
			caption += fmt.Sprintf(" (no predicted fixed point: %s absent or without generation -1)", runfolder.PredictionTablesFile)
		}
		caption += "; one colour scale for the four panels, on a square-root scale so that small probabilities stay distinct from dropped ones (black). Rows are contexts, columns tokens."
		plans = append(plans, figurePlan{
			file: "plots/tables-" + fileSafe(m) + ".png", section: "Categorical tables",
			title: "Heat maps of p(token | context) for " + m, caption: caption,
			build: func() *layout { return r.tablesFigure(m) },
		})
	}
	return plans, nil
}

// heatPanel is one table to draw with its panel title.
type heatPanel struct {
	title string
	tab   *probTable
}

func (r *run) tablesFigure(model string) *layout {
	gens := r.tables.gens(model)
	var panels []heatPanel
	for i, g := range firstMidLast(gens) {
		t := fmt.Sprintf("%s · generation %d", model, g)
		switch {
		case i == 0 && len(gens) > 1:
			t += " (first)"
		case g == gens[len(gens)-1] && len(gens) > 1:
			t += " (last)"
		case len(gens) > 2:
			t += " (middle)"
		}
		panels = append(panels, heatPanel{t, r.tables.get(model, g)})
	}
	if pt := r.predTables.get(model, -1); pt != nil {
		panels = append(panels, heatPanel{model + " · predicted fixed point", pt})
	}
	tabs := make([]*probTable, len(panels))
	for i, p := range panels {
		tabs[i] = p.tab
	}
	contexts, tokens := tableAxes(tabs...)
	if len(contexts) == 0 || len(tokens) == 0 {
		return nil
	}
	vmax := 0.0
	grids := make([]*grid, len(panels))
	for i, p := range panels {
		grids[i] = tableGrid(p.tab, contexts, tokens)
		if _, hi, ok := grids[i].zRange(); ok {
			vmax = math.Max(vmax, hi)
		}
	}
	if vmax <= 0 {
		vmax = 1
	}
	// Colours follow sqrt(p), so that small probabilities stay distinct
	// from dropped (zero) ones next to a collapsed peak.
	cm := moreland.ExtendedBlackBody()
	cm.SetMin(0)
	cm.SetMax(math.Sqrt(vmax))
	pal := cm.Palette(256)

	rows := [][]*plot.Plot{{nil, nil}, {nil, nil}}
	for i, p := range panels {
		rows[i/2][i%2] = heatPlot(p.title, grids[i], pal, vmax, contexts, tokens)
	}
	bar := newPlot("", "probability p(token | context), square-root scale", "")
	bar.HideY()
	bar.X.Padding = 0
	bar.X.Tick.Marker = sqrtTicks{}
	bar.Add(&plotter.ColorBar{ColorMap: cm})
	return &layout{
		w: figWidth, h: gridSide, panels: rows,
		footer: bar, footerH: 0.8 * vg.Inch, footerInset: 1.2 * vg.Inch,
	}
}

// tableGrid lays a table out as a grid: columns are tokens, rows contexts.
func tableGrid(t *probTable, contexts, tokens []string) *grid {
	g := &grid{xs: make([]float64, len(tokens)), ys: make([]float64, len(contexts)), z: make([][]float64, len(contexts))}
	for c := range tokens {
		g.xs[c] = float64(c)
	}
	for r, ctx := range contexts {
		g.ys[r] = float64(r)
		g.z[r] = make([]float64, len(tokens))
		for c, tok := range tokens {
			v, ok := t.p[[2]string{ctx, tok}]
			if !ok {
				v = math.NaN()
			}
			g.z[r][c] = v
		}
	}
	return g
}

// heatPlot draws one table panel; context 0 is at the top, as in a matrix.
func heatPlot(title string, g *grid, pal palette.Palette, vmax float64, contexts, tokens []string) *plot.Plot {
	p := newPlot(title, "token", "context")
	p.Add(&cellMap{g: g, pal: pal.Colors(), max: vmax})
	p.X.Padding, p.Y.Padding = 0, 0
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	p.X.Tick.Marker = labelTicks{labels: tokens, max: 8}
	p.Y.Tick.Marker = labelTicks{labels: contexts, max: 8}
	p.Title.TextStyle.Font.Size = labelSize
	return p
}

// cellMap draws a grid of unit cells centred on whole coordinates, each
// filled with the palette colour of sqrt(value / max), values in [0, max]
// (light grey for NaN). Unlike plotter.HeatMap it overlaps neighbouring cells by a fraction
// of a pixel, so no anti-aliasing seams show between them.
type cellMap struct {
	g   *grid
	pal []color.Color
	max float64
}

// cellOverlap is how far each cell reaches into its neighbours.
const cellOverlap = vg.Length(0.3)

// Plot implements plot.Plotter.
func (m *cellMap) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	cols, rows := m.g.Dims()
	for i := range cols {
		x0, x1 := trX(m.g.X(i)-0.5), trX(m.g.X(i)+0.5)
		if x0 > x1 {
			x0, x1 = x1, x0
		}
		for j := range rows {
			y0, y1 := trY(m.g.Y(j)-0.5), trY(m.g.Y(j)+0.5)
			if y0 > y1 {
				y0, y1 = y1, y0
			}
			v := m.g.Z(i, j)
			col := lightGrey
			if !math.IsNaN(v) {
				k := int(math.Round(math.Sqrt(math.Max(0, math.Min(1, v/m.max))) * float64(len(m.pal)-1)))
				col = colorNRGBA(m.pal[k])
			}
			var pa vg.Path
			pa.Move(vg.Point{X: x0 - cellOverlap, Y: y0 - cellOverlap})
			pa.Line(vg.Point{X: x1 + cellOverlap, Y: y0 - cellOverlap})
			pa.Line(vg.Point{X: x1 + cellOverlap, Y: y1 + cellOverlap})
			pa.Line(vg.Point{X: x0 - cellOverlap, Y: y1 + cellOverlap})
			pa.Close()
			c.SetColor(col)
			c.Fill(pa)
		}
	}
}

// DataRange implements plot.DataRanger.
func (m *cellMap) DataRange() (xmin, xmax, ymin, ymax float64) {
	cols, rows := m.g.Dims()
	return -0.5, float64(cols) - 0.5, -0.5, float64(rows) - 0.5
}

// colorNRGBA converts any colour to NRGBA.
func colorNRGBA(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

// sqrtTicks labels an axis of square-rooted probabilities with the
// probabilities themselves.
type sqrtTicks struct{}

// Ticks implements plot.Ticker.
func (sqrtTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for _, p := range []float64{0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1} {
		v := math.Sqrt(p)
		if v < lo-1e-12 || v > hi+1e-12 {
			continue
		}
		t := plot.Tick{Value: v}
		if p == 0 || p == 0.05 || p == 0.1 || p == 0.2 || p == 0.4 || p == 0.6 || p == 0.8 || p == 1 {
			t.Label = strconv.FormatFloat(p, 'g', -1, 64)
		}
		ts = append(ts, t)
	}
	return ts
}
