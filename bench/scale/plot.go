package main

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sans is the typeface of every text, as in the run reports.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

var (
	blue = color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	grey = color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
)

// drawAxis saves s's seconds per generation against x, log-log, with the fitted line
// log(s/gen) = a + b log(x), to path.
func drawAxis(s series, a, b float64, path string) error {
	p := plot.New()
	p.Title.Text = "seconds per generation vs " + axisInfo[s.axis]
	p.Title.TextStyle.Font = font.From(sans, 12)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = axisInfo[s.axis]
	p.Y.Label.Text = "seconds per generation"
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Scale = plot.LogScale{}
		ax.Label.TextStyle.Font = font.From(sans, 11)
		ax.Tick.Label.Font = font.From(sans, 10)
	}
	p.Legend.TextStyle.Font = font.From(sans, 10.5)
	p.Legend.Top, p.Legend.Left = true, true

	pts := make(plotter.XYs, len(s.points))
	xs := make([]float64, len(s.points))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, q := range s.points {
		pts[i] = plotter.XY{X: q.x, Y: 1 / q.genPerS}
		xs[i] = q.x
		lo, hi = math.Min(lo, pts[i].Y), math.Max(hi, pts[i].Y)
	}
	x0, x1 := s.points[0].x, s.points[len(s.points)-1].x
	line := plotter.XYs{{X: x0, Y: math.Exp(a + b*math.Log(x0))}, {X: x1, Y: math.Exp(a + b*math.Log(x1))}}
	l, err := plotter.NewLine(line)
	if err != nil {
		return err
	}
	l.LineStyle = draw.LineStyle{Color: grey, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: blue, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
	p.Add(l, sc)
	p.Legend.Add("median of runs", sc)
	p.Legend.Add(fmt.Sprintf("fit: s/gen ~ x^%.2f", b), l)

	p.X.Tick.Marker = valueTicks(xs)
	p.Y.Tick.Marker = ladderTicks{}
	p.X.Min, p.X.Max = x0/1.25, x1*1.25
	p.Y.Min, p.Y.Max = lo/1.4, hi*2 // room for the legend above the points
	return p.Save(5.5*vg.Inch, 4*vg.Inch, path)
}

// valueTicks labels the axis at the measured values.
type valueTicks []float64

// Ticks implements plot.Ticker.
func (v valueTicks) Ticks(lo, hi float64) []plot.Tick {
	var t []plot.Tick
	for _, x := range v {
		if x >= lo && x <= hi {
			t = append(t, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)})
		}
	}
	return t
}

// ladderTicks labels a log axis at 1, 2 and 5 times powers of ten.
type ladderTicks struct{}

// Ticks implements plot.Ticker.
func (ladderTicks) Ticks(lo, hi float64) []plot.Tick {
	var t []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			x := m * math.Pow(10, e)
			if x >= lo && x <= hi {
				t = append(t, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', 3, 64)})
			}
		}
	}
	return t
}
