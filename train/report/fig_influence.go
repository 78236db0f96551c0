package report

import (
	"fmt"
	"math"
	"slices"

	"github.com/selfconsume/selfconsume/runfolder"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// planInfluence plans the influence figure: predicted (with feedback),
// isolated and measured self- and cross-influence per knob and model.
func planInfluence(r *run) ([]figurePlan, []Skipped) {
	const what = "Self- and cross-influence"
	if len(r.influence) == 0 {
		return nil, []Skipped{{what, runfolder.InfluenceFile + " not in the run folder and " + runfolder.TheoryFile + " lists no influence"}}
	}
	caption := "dJ/dλ of each model's alignment J_i^pop(i) for a raise of the curation knob λ: the prediction with feedback (implicit function theorem at the fixed point, filled circles), the isolated effect without feedback (open triangles)"
	if r.measured {
		caption += ", and the measured effect from paired runs at λ ± δ with its 95% interval (black squares)."
	} else {
		caption += "; nothing measured (" + runfolder.InfluenceFile + " absent)."
	}
	return []figurePlan{{
		file: "plots/influence.png", section: "Influence", title: what, caption: caption,
		build: r.influenceFigure,
	}}, nil
}

// influenceKind says whether a row is self- or cross-influence, when the
// knob names a model.
func (r *run) influenceKind(in runfolder.InfluenceRow) string {
	if !slices.Contains(r.models, in.Knob) {
		return ""
	}
	if in.Knob == in.Model {
		return "self"
	}
	return "cross"
}

func (r *run) influenceFigure() *layout {
	p := newPlot("Self- and cross-influence of curation", "knob → affected model", "influence dJ/dλ (reward per unit share)")
	gridLines(p)
	lb := newLegendBuilder(r.colors)
	labels := make([]string, len(r.influence))
	var errs errPoints
	var measured plotter.XYs
	lo, hi := 0.0, 0.0
	for i, in := range r.influence {
		kind := r.influenceKind(in)
		if kind != "" {
			kind = " (" + kind + ")"
		}
		labels[i] = fmt.Sprintf("λ %s%s\n%s, r_%s", in.Knob, kind, in.Model, in.Population)
		if in.Label != "" {
			labels[i] += "\ntheory: " + in.Label
		}
		c := r.colors.of(in.Model)
		x := float64(i)
		addGlyph(p, x-0.22, in.Predicted, draw.GlyphStyle{Color: c, Radius: vg.Points(5), Shape: draw.CircleGlyph{}})
		addGlyph(p, x, in.Isolated, draw.GlyphStyle{Color: c, Radius: vg.Points(5.5), Shape: thickTriangle{}})
		if finite(in.Measured) {
			measured = append(measured, plotter.XY{X: x + 0.22, Y: in.Measured})
			if finite(in.CILow) && finite(in.CIHigh) {
				errs.add(x+0.22, in.Measured, math.Min(in.CILow, in.Measured), math.Max(in.CIHigh, in.Measured))
			}
		}
		lb.model(in.Model, false)
		for _, v := range []float64{in.Predicted, in.Isolated, in.Measured, in.CILow, in.CIHigh} {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	n := float64(len(r.influence))
	addHLine(p, 0, -0.5, n-0.5, draw.LineStyle{Color: midGrey, Width: vg.Points(1)})
	if eb := errs.bars(draw.LineStyle{Color: black, Width: vg.Points(1.3)}); eb != nil {
		p.Add(eb)
	}
	measuredStyle := draw.GlyphStyle{Color: black, Radius: vg.Points(4), Shape: draw.BoxGlyph{}}
	if len(measured) > 0 {
		if sc, err := plotter.NewScatter(measured); err == nil {
			sc.GlyphStyle = measuredStyle
			p.Add(sc)
		}
	}
	lb.key("predicted, with feedback", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: darkGrey, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}})
	lb.key("isolated, no feedback", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: darkGrey, Radius: vg.Points(5.5), Shape: thickTriangle{}}})
	if len(measured) > 0 {
		lb.key("measured, 95% interval", &plotter.Scatter{GlyphStyle: measuredStyle})
	}
	p.X.Tick.Marker = labelTicks{labels: labels, max: 12}
	p.X.Min, p.X.Max = -0.5, n-0.5
	span := hi - lo
	if span == 0 {
		span = 1
	}
	p.Y.Min, p.Y.Max = lo-0.08*span, hi+0.08*span
	return &layout{w: figWidth, h: singleHeight, panels: [][]*plot.Plot{{p}}, legend: lb.legend()}
}

// addGlyph adds one marker when y is finite.
func addGlyph(p *plot.Plot, x, y float64, sty draw.GlyphStyle) {
	if !finite(y) {
		return
	}
	if sc, err := plotter.NewScatter(plotter.XYs{{X: x, Y: y}}); err == nil {
		sc.GlyphStyle = sty
		p.Add(sc)
	}
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// thickTriangle is an open triangle with a 1.8-point outline.
type thickTriangle struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (thickTriangle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.8)})
	r := sty.Radius
	dx := r * vg.Length(math.Cos(math.Pi/6))
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X - dx, Y: pt.Y - r/2})
	p.Line(vg.Point{X: pt.X + dx, Y: pt.Y - r/2})
	p.Close()
	c.Stroke(p)
}
