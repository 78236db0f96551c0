package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// curveStyle is how a curve is stroked. By convention solid is empirical,
// dashed is the theory's prediction, dotted a secondary empirical quantity
// or a reference level.
type curveStyle int

const (
	solid curveStyle = iota
	dashed
	dotted
)

// lineStyle returns the stroke of a curve of the given colour and style.
func lineStyle(c color.Color, st curveStyle) draw.LineStyle {
	ls := draw.LineStyle{Color: c, Width: vg.Points(2)}
	switch st {
	case dashed:
		ls.Width = vg.Points(1.8)
		ls.Dashes = []vg.Length{vg.Points(7), vg.Points(4)}
	case dotted:
		ls.Width = vg.Points(1.8)
		ls.Dashes = []vg.Length{vg.Points(1.5), vg.Points(3)}
	}
	return ls
}

// markerLimit is the largest number of generations drawn with point markers.
const markerLimit = 15

// addCurve adds a series as a line in the given colour and style, with its
// 95% band when it has one. On a log axis (see logAxis) values are drawn as
// their base-10 logarithm: non-positive means are left out and the band is
// clipped a decade below the mean. It reports whether anything was added.
func addCurve(p *plot.Plot, s *series, c color.NRGBA, st curveStyle, logY bool) bool {
	if s == nil {
		return false
	}
	var line, upper, lower plotter.XYs
	for i, g := range s.gens {
		m, h := s.mean[i], s.half[i]
		if logY && m <= 0 {
			continue
		}
		x := float64(g)
		lo, hi := m-h, m+h
		if logY {
			lo = math.Log10(math.Max(lo, m/10))
			m, hi = math.Log10(m), math.Log10(hi)
		}
		line = append(line, plotter.XY{X: x, Y: m})
		upper = append(upper, plotter.XY{X: x, Y: hi})
		lower = append(lower, plotter.XY{X: x, Y: lo})
	}
	if len(line) == 0 {
		return false
	}
	if s.banded() && len(line) > 1 {
		addBand(p, upper, lower, c)
	}
	if l, err := plotter.NewLine(line); err == nil {
		l.LineStyle = lineStyle(c, st)
		p.Add(l)
	}
	if len(line) <= markerLimit {
		if sc, err := plotter.NewScatter(line); err == nil {
			sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
			if st != solid {
				sc.GlyphStyle.Shape = draw.RingGlyph{}
			}
			p.Add(sc)
		}
	}
	return true
}

// addHLine adds a horizontal reference line at y over [x0, x1].
func addHLine(p *plot.Plot, y, x0, x1 float64, ls draw.LineStyle) {
	if math.IsNaN(y) || math.IsInf(y, 0) {
		return
	}
	if l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y}, {X: x1, Y: y}}); err == nil {
		l.LineStyle = ls
		p.Add(l)
	}
}

// legendBuilder collects a figure's legend: one entry per model (its
// colour), then the keys that explain line styles and markers.
type legendBuilder struct {
	models names
	band   map[string]bool
	colors colorMap
	lead   []legendKey // keys shown before the others
	keys   []legendKey
	keySet map[string]bool
}

type legendKey struct {
	text   string
	thumbs []plot.Thumbnailer
}

func newLegendBuilder(colors colorMap) *legendBuilder {
	return &legendBuilder{band: make(map[string]bool), colors: colors, keySet: make(map[string]bool)}
}

// model adds a model's entry; band says whether a 95% band goes with it.
func (b *legendBuilder) model(name string, band bool) {
	b.models.add(name)
	b.band[name] = b.band[name] || band
}

// key adds an explanatory entry once.
func (b *legendBuilder) key(text string, thumbs ...plot.Thumbnailer) {
	if b.keySet[text] {
		return
	}
	b.keySet[text] = true
	b.keys = append(b.keys, legendKey{text, thumbs})
}

// leadKey adds an entry showing a line style, placed before the other keys.
func (b *legendBuilder) leadKey(text string, st curveStyle) {
	if b.keySet[text] {
		return
	}
	b.keySet[text] = true
	b.lead = append(b.lead, legendKey{text, []plot.Thumbnailer{&plotter.Line{LineStyle: lineStyle(darkGrey, st)}}})
}

// styleKey adds an entry showing a line style in black.
func (b *legendBuilder) styleKey(text string, st curveStyle) {
	b.key(text, &plotter.Line{LineStyle: lineStyle(darkGrey, st)})
}

// legend returns the legend, or nil when it has no entry.
func (b *legendBuilder) legend() *plot.Legend {
	keys := append(append([]legendKey{}, b.lead...), b.keys...)
	if len(b.models.list) == 0 && len(keys) == 0 {
		return nil
	}
	l := plot.NewLegend()
	l.TextStyle.Font.Typeface, l.TextStyle.Font.Variant = sans.Typeface, sans.Variant
	l.TextStyle.Font.Size = legendSize
	l.ThumbnailWidth = vg.Points(24)
	l.Padding = vg.Points(3)
	for _, m := range b.models.list {
		c := b.colors.of(m)
		var thumbs []plot.Thumbnailer
		if b.band[m] {
			thumbs = append(thumbs, &plotter.Polygon{Color: withAlpha(c, 0.2)})
		}
		thumbs = append(thumbs, &plotter.Line{LineStyle: lineStyle(c, solid)})
		l.Add(m, thumbs...)
	}
	if len(b.models.list) > 0 && len(keys) > 0 {
		l.Add("") // a gap between models and keys
	}
	for _, k := range keys {
		l.Add(k.text, k.thumbs...)
	}
	return &l
}

// generationAxis sets a plot's x axis up for generations.
func generationAxis(p *plot.Plot) {
	p.X.Label.Text = "generation"
	p.X.Tick.Marker = intTicks{}
}

// logAxis makes a plot's y axis logarithmic. gonum/plot's LogScale centres
// the axis label on the arithmetic mid-range, which pushes long labels off
// the panel, so values are drawn as their base-10 logarithm on a linear axis
// whose ticks are labelled with the values themselves.
func logAxis(p *plot.Plot) {
	p.Y.Tick.Marker = log10Ticks{}
}

// fixLogRange gives a log axis at least one decade, and a default range
// when it holds no data.
func fixLogRange(p *plot.Plot) {
	if math.IsInf(p.Y.Min, 0) || math.IsInf(p.Y.Max, 0) || p.Y.Min > p.Y.Max {
		p.Y.Min, p.Y.Max = -3, 0
		return
	}
	if p.Y.Max-p.Y.Min < 1 {
		mid := (p.Y.Min + p.Y.Max) / 2
		p.Y.Min, p.Y.Max = math.Min(p.Y.Min, mid-0.5), math.Max(p.Y.Max, mid+0.5)
	}
}

// gridLines adds light grid lines at the major ticks.
func gridLines(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = lightGrey, lightGrey
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.6), vg.Points(0.6)
	p.Add(g)
}

// addBand shades the area between the upper and lower curves in a light
// shade of c (a 95% band).
func addBand(p *plot.Plot, upper, lower plotter.XYs, c color.NRGBA) {
	ring := append(plotter.XYs{}, upper...)
	for i := len(lower) - 1; i >= 0; i-- {
		ring = append(ring, lower[i])
	}
	if poly, err := plotter.NewPolygon(ring); err == nil {
		poly.Color = withAlpha(c, 0.2)
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
}
