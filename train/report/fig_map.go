package report

import (
	"fmt"
	"github.com/selfconsume/selfconsume/runfolder"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MapPlot is a regime map to draw (see package regimemap): a grid over two
// axes, one panel per model, and the spot-checked cells.
type MapPlot struct {
	XLabel, YLabel string
	X, Y           []float64 // the axes' values; cells sit at their indices
	Panels         []MapPanel
	Spots          []MapSpot
}

// MapPanel is one model's part of a map; its grids are indexed [y][x].
type MapPanel struct {
	Title           string // e.g. "p (self-influence, alice)"
	Label           [][]string
	Total, Isolated [][]float64 // NaN where there is no influence
	Inversion       [][]bool
}

// MapSpot is one spot-checked cell and its verdict (agree, disagree,
// unresolved, pending, error).
type MapSpot struct {
	X, Y    int
	Verdict string
}

// Map figure files, under runfolder.PlotsDir.
const (
	MapLabelsFile    = "map-labels.png"
	MapInfluenceFile = "map-influence.png"
	MapInversionFile = "map-inversion.png"
)

// labelColors are the fills of the influence labels (theory.Label).
var labelColors = map[string]color.NRGBA{
	"helps":      {0x00, 0x9E, 0x73, 0xFF},
	"dampened":   {0x9F, 0xD8, 0xC4, 0xFF},
	"backfire":   {0xD5, 0x5E, 0x00, 0xFF},
	"hurts":      {0xE6, 0x9F, 0x00, 0xFF},
	"induced":    {0x56, 0xB4, 0xE9, 0xFF},
	"negligible": lightGrey,
	"none":       {0xF4, 0xF4, 0xF4, 0xFF},
	"":           midGrey, // no influence computed (see map.csv's note)
}

// labelOrder is the legend order of the labels.
var labelOrder = []string{"helps", "dampened", "induced", "hurts", "backfire", "negligible", "none", ""}

// The sign classes of the inversion figure.
var signClasses = []struct {
	name string
	fill color.NRGBA
}{
	{"both > 0", tint(labelColors["helps"], 0.55)},
	{"both < 0", tint(labelColors["hurts"], 0.55)},
	{"feedback inverts: isolated > 0, total < 0", labelColors["backfire"]},
	{"feedback inverts: isolated < 0, total > 0", modelColors[0]},
	{"no influence", lightGrey},
}

// WriteMap draws a map's figures into dir/plots and returns them: the
// label regions, the total influence with its zero contour, and the sign
// of the isolated against the total effect (where feedback inverts it).
func WriteMap(dir string, m MapPlot) ([]Figure, error) {
	if err := os.MkdirAll(filepath.Join(dir, runfolder.PlotsDir), 0o755); err != nil {
		return nil, err
	}
	figs := []struct {
		file, title string
		l           *layout
	}{
		{MapLabelsFile, "Influence labels over the map", m.labelsFigure()},
		{MapInfluenceFile, "Total influence (with feedback) and its zero contour", m.influenceFigure()},
		{MapInversionFile, "Where feedback inverts the isolated effect", m.inversionFigure()},
	}
	var out []Figure
	for _, f := range figs {
		rel := runfolder.PlotsDir + "/" + f.file
		if err := writePNG(filepath.Join(dir, runfolder.PlotsDir, f.file), f.l); err != nil {
			return out, fmt.Errorf("%s: %w", rel, err)
		}
		out = append(out, Figure{File: rel, Title: f.title, Width: pixels(f.l.w), Height: pixels(f.l.h)})
	}
	return out, nil
}

// panelsLayout arranges per-model panels two to a row with a legend strip
// and an optional footer.
func (m MapPlot) panelsLayout(build func(MapPanel) *plot.Plot, lb *legendBuilder, footer *plot.Plot) *layout {
	var rows [][]*plot.Plot
	for i, pn := range m.Panels {
		if i%2 == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], build(pn))
	}
	cols := min(2, len(m.Panels))
	l := &layout{w: vg.Length(cols)*4.2*vg.Inch + 2.6*vg.Inch, h: vg.Length(len(rows))*4*vg.Inch + 0.4*vg.Inch, panels: rows, legend: lb.legend()}
	if footer != nil {
		l.footer, l.footerH, l.footerInset = footer, 0.8*vg.Inch, 1.2*vg.Inch
		l.h += l.footerH
	}
	return l
}

// mapPlot is an empty panel with the map's axes.
func (m MapPlot) mapPlot(title string) *plot.Plot {
	p := newPlot(title, m.XLabel, m.YLabel)
	p.Title.TextStyle.Font.Size = labelSize
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Marker = labelTicks{labels: axisLabels(m.X), max: 6}
	p.Y.Tick.Marker = labelTicks{labels: axisLabels(m.Y), max: 6}
	return p
}

func axisLabels(v []float64) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = fmt.Sprintf("%.3g", x)
	}
	return out
}

// spotVerdicts are the verdicts a spot can have, in legend order.
var spotVerdicts = []string{"agree", "disagree", "unresolved", "pending", "error"}

// spotKeys adds a legend key per spot verdict present.
func (m MapPlot) spotKeys(lb *legendBuilder) {
	for _, v := range spotVerdicts {
		for _, s := range m.Spots {
			if s.Verdict == v {
				lb.key("spot check: "+v, &plotter.Scatter{GlyphStyle: spotGlyph(v)})
				break
			}
		}
	}
}

// addSpots marks the spot-checked cells.
func (m MapPlot) addSpots(p *plot.Plot) {
	for _, v := range spotVerdicts {
		var xys plotter.XYs
		for _, s := range m.Spots {
			if s.Verdict == v {
				xys = append(xys, plotter.XY{X: float64(s.X), Y: float64(s.Y)})
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			continue
		}
		sc.GlyphStyle = spotGlyph(v)
		p.Add(sc)
	}
}

func spotGlyph(verdict string) draw.GlyphStyle {
	g := draw.GlyphStyle{Color: black, Radius: vg.Points(5)}
	switch verdict {
	case "agree":
		g.Shape = draw.RingGlyph{}
	case "disagree":
		g.Shape = draw.CrossGlyph{}
	case "unresolved":
		g.Shape = draw.TriangleGlyph{}
	case "pending":
		g.Shape = draw.PlusGlyph{}
	default:
		g.Shape = draw.SquareGlyph{}
	}
	return g
}

// colourCells fills unit cells centred on whole coordinates with given
// colours, [y][x], optionally outlining marked ones.
type colourCells struct {
	fill    [][]color.Color
	outline [][]bool
}

// Plot implements plot.Plotter.
func (cc *colourCells) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for j, row := range cc.fill {
		for i, col := range row {
			x0, x1 := trX(float64(i)-0.5), trX(float64(i)+0.5)
			y0, y1 := trY(float64(j)-0.5), trY(float64(j)+0.5)
			rect := func(in vg.Length) vg.Path {
				var pa vg.Path
				pa.Move(vg.Point{X: x0 - in, Y: y0 - in})
				pa.Line(vg.Point{X: x1 + in, Y: y0 - in})
				pa.Line(vg.Point{X: x1 + in, Y: y1 + in})
				pa.Line(vg.Point{X: x0 - in, Y: y1 + in})
				pa.Close()
				return pa
			}
			c.SetColor(col)
			c.Fill(rect(cellOverlap))
			if cc.outline != nil && cc.outline[j][i] {
				c.SetLineStyle(draw.LineStyle{Color: black, Width: vg.Points(1.6)})
				c.Stroke(rect(-vg.Points(1.2)))
			}
		}
	}
}

// DataRange implements plot.DataRanger.
func (cc *colourCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	rows := len(cc.fill)
	cols := 0
	if rows > 0 {
		cols = len(cc.fill[0])
	}
	return -0.5, float64(cols) - 0.5, -0.5, float64(rows) - 0.5
}

func (m MapPlot) labelsFigure() *layout {
	lb := newLegendBuilder(nil)
	present := map[string]bool{}
	inverted := false
	for _, pn := range m.Panels {
		for j := range pn.Label {
			for i := range pn.Label[j] {
				present[pn.Label[j][i]] = true
				inverted = inverted || pn.Inversion[j][i]
			}
		}
	}
	for _, l := range labelOrder {
		if present[l] {
			name := l
			if l == "" {
				name = "no influence"
			}
			lb.key(name, &plotter.Polygon{Color: labelColors[l]})
		}
	}
	if inverted {
		lb.key("feedback inverts the isolated sign", boxThumb{})
	}
	build := func(pn MapPanel) *plot.Plot {
		p := m.mapPlot(pn.Title)
		cc := &colourCells{outline: pn.Inversion}
		for j := range pn.Label {
			var row []color.Color
			for i := range pn.Label[j] {
				row = append(row, labelColors[pn.Label[j][i]])
			}
			cc.fill = append(cc.fill, row)
		}
		p.Add(cc)
		m.addSpots(p)
		return p
	}
	m.spotKeys(lb)
	return m.panelsLayout(build, lb, nil)
}

func (m MapPlot) influenceFigure() *layout {
	vmax := 0.0
	for _, pn := range m.Panels {
		for _, row := range pn.Total {
			for _, v := range row {
				if !math.IsNaN(v) {
					vmax = math.Max(vmax, math.Abs(v))
				}
			}
		}
	}
	if !(vmax > 0) {
		vmax = 1
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(-vmax)
	cm.SetMax(vmax)
	lb := newLegendBuilder(nil)
	build := func(pn MapPanel) *plot.Plot {
		p := m.mapPlot(pn.Title)
		cc := &colourCells{outline: pn.Inversion}
		for _, row := range pn.Total {
			var cr []color.Color
			for _, v := range row {
				col := color.Color(lightGrey)
				if !math.IsNaN(v) {
					if c, err := cm.At(v); err == nil {
						col = c
					}
				}
				cr = append(cr, col)
			}
			cc.fill = append(cc.fill, cr)
		}
		p.Add(cc)
		if ct := zeroContour(pn.Total, pn.Label, draw.LineStyle{Color: black, Width: vg.Points(1.8)}); ct != nil {
			p.Add(ct)
			lb.key("total = 0", &plotter.Line{LineStyle: ct.LineStyles[0]})
		}
		if ct := zeroContour(pn.Isolated, pn.Label, draw.LineStyle{Color: darkGrey, Width: vg.Points(1.4), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}); ct != nil {
			p.Add(ct)
			lb.key("isolated = 0", &plotter.Line{LineStyle: ct.LineStyles[0]})
		}
		m.addSpots(p)
		return p
	}
	m.spotKeys(lb)
	for _, pn := range m.Panels {
		for _, row := range pn.Inversion {
			for _, v := range row {
				if v {
					lb.key("feedback inverts the isolated sign", boxThumb{})
				}
			}
		}
	}
	bar := newPlot("", "d alignment / d (knob's curated share), with feedback", "")
	bar.HideY()
	bar.X.Padding = 0
	bar.Add(&plotter.ColorBar{ColorMap: cm})
	return m.panelsLayout(build, lb, bar)
}

// zeroContour is the 0 level of a [y][x] field, cells labelled "none"
// (exactly no influence) left out; nil when the field does not change sign
// or has holes inside it (only whole rows and columns at the edges can be
// left out).
func zeroContour(z [][]float64, labels [][]string, st draw.LineStyle) *plotter.Contour {
	rows, cols := len(z), 0
	if rows > 0 {
		cols = len(z[0])
	}
	missing := func(j, i int) bool { return math.IsNaN(z[j][i]) || labels[j][i] == "none" }
	rowGone := func(j int) bool {
		for i := 0; i < cols; i++ {
			if !missing(j, i) {
				return false
			}
		}
		return true
	}
	colGone := func(i, j0, j1 int) bool {
		for j := j0; j < j1; j++ {
			if !missing(j, i) {
				return false
			}
		}
		return true
	}
	j0, j1 := 0, rows
	for j0 < j1 && rowGone(j0) {
		j0++
	}
	for j1 > j0 && rowGone(j1-1) {
		j1--
	}
	i0, i1 := 0, cols
	for i0 < i1 && colGone(i0, j0, j1) {
		i0++
	}
	for i1 > i0 && colGone(i1-1, j0, j1) {
		i1--
	}
	if j1-j0 < 2 || i1-i0 < 2 {
		return nil
	}
	g := &grid{}
	neg, pos := false, false
	for j := j0; j < j1; j++ {
		g.ys = append(g.ys, float64(j))
		var r []float64
		for i := i0; i < i1; i++ {
			if missing(j, i) {
				return nil
			}
			v := z[j][i]
			neg, pos = neg || v < 0, pos || v > 0
			r = append(r, v)
		}
		g.z = append(g.z, r)
	}
	if !neg || !pos {
		return nil
	}
	for i := i0; i < i1; i++ {
		g.xs = append(g.xs, float64(i))
	}
	ct := plotter.NewContour(g, []float64{0}, nil)
	ct.LineStyles = []draw.LineStyle{st}
	return ct
}

func (m MapPlot) inversionFigure() *layout {
	lb := newLegendBuilder(nil)
	used := map[int]bool{}
	class := func(t, iso float64, inv bool) int {
		switch {
		case math.IsNaN(t) || math.IsNaN(iso) || (t == 0 && iso == 0):
			return 4
		case inv && t < 0:
			return 2
		case inv:
			return 3
		case t > 0 || (t == 0 && iso > 0):
			return 0
		}
		return 1
	}
	build := func(pn MapPanel) *plot.Plot {
		p := m.mapPlot(pn.Title)
		cc := &colourCells{outline: pn.Inversion}
		for j := range pn.Total {
			var row []color.Color
			for i := range pn.Total[j] {
				k := class(pn.Total[j][i], pn.Isolated[j][i], pn.Inversion[j][i])
				used[k] = true
				row = append(row, signClasses[k].fill)
			}
			cc.fill = append(cc.fill, row)
		}
		p.Add(cc)
		m.addSpots(p)
		return p
	}
	var panels []*plot.Plot
	for _, pn := range m.Panels {
		panels = append(panels, build(pn))
	}
	for k, sc := range signClasses {
		if used[k] {
			lb.key(sc.name, &plotter.Polygon{Color: sc.fill})
		}
	}
	m.spotKeys(lb)
	i := 0
	return m.panelsLayout(func(MapPanel) *plot.Plot { i++; return panels[i-1] }, lb, nil)
}

// boxThumb is the legend thumbnail of an outlined cell.
type boxThumb struct{}

// Thumbnail implements plot.Thumbnailer.
func (boxThumb) Thumbnail(c *draw.Canvas) {
	in := vg.Points(2)
	x0, x1, y0, y1 := c.Min.X+in, c.Max.X-in, c.Min.Y+in, c.Max.Y-in
	c.StrokeLines(draw.LineStyle{Color: black, Width: vg.Points(1.6)},
		[]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
}
