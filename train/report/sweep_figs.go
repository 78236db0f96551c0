package report

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/sweep"
)

// wideWidth is the width of a sweep figure with two columns of panels.
const wideWidth = 9 * vg.Inch

// maxStacked is the largest number of sweep panels stacked in one column;
// more go in two columns.
const maxStacked = 4

// metricText says what a key metric is: a panel title and a y-axis label.
func metricText(metric string) (title, yLabel string) {
	if pop, ok := strings.CutPrefix(metric, "reward/"); ok {
		return fmt.Sprintf("Reward under population %s's reward", pop), fmt.Sprintf("J = E_p[r_%s] (reward units)", pop)
	}
	switch metric {
	case "kl_real":
		return "KL divergence to the real data", "KL(q || p) (nats)"
	case "entropy":
		return "Entropy of the model", "entropy (nats)"
	case "zero_mass":
		return "Real mass the model has dropped", "zero mass (0–1)"
	}
	return metric, metric
}

// lowerFirst lowers a title's first letter for use within a sentence,
// unless it starts an acronym ("KL").
func lowerFirst(s string) string {
	if s == "" || len(s) > 1 && strings.ToUpper(s[1:2]) == s[1:2] {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// metricPhrase describes a key metric in a caption.
func metricPhrase(metric string) string {
	if pop, ok := strings.CutPrefix(metric, "reward/"); ok {
		return fmt.Sprintf("expected true reward E_p[r_%s] under population %s's reward", pop, pop)
	}
	switch metric {
	case "kl_real":
		return "KL divergence KL(q || p) from the real data q to the model"
	case "entropy":
		return "entropy of the model"
	case "zero_mass":
		return "real probability mass on cells the model has (almost) dropped"
	}
	return metric
}

// genPhrase names the generation the final values come from.
func (s *sweepRun) genPhrase() string {
	gens := s.finalGens()
	if len(gens) == 1 {
		return fmt.Sprintf("generation %d", gens[0])
	}
	return "the last generation"
}

// sweepPlans plans one figure per swept key and key metric, in key order.
func (s *sweepRun) sweepPlans() ([]figurePlan, []Skipped) {
	var plans []figurePlan
	var skipped []Skipped
	if len(s.keys) == 0 {
		return nil, []Skipped{{"Final values against the swept keys", "the sweep has no swept key"}}
	}
	if len(s.metrics) == 0 {
		reason := fmt.Sprintf("%s has no reward/<population>, kl_real, entropy or zero_mass rows", runfolder.SummaryCSV)
		if len(s.points) == 0 {
			reason = fmt.Sprintf("%s has no rows: no cell has finished", runfolder.SummaryCSV)
		}
		return nil, []Skipped{{"Final values against the swept keys", reason}}
	}
	for ki, k := range s.keys {
		if len(s.keyValues(ki)) < 2 {
			why := fmt.Sprintf("%s takes a single value in %s", k.name, runfolder.SummaryCSV)
			if len(k.values) > 1 {
				why += " (no cell of its other values has finished)"
			}
			skipped = append(skipped, Skipped{"Final values against " + k.name, why})
			continue
		}
		for _, metric := range s.metrics {
			title, _ := metricText(metric)
			title = fmt.Sprintf("Final %s against %s", lowerFirst(title), k.name)
			if !s.hasFinite(metric) {
				skipped = append(skipped, Skipped{title, fmt.Sprintf("no finite final %s value", metric)})
				continue
			}
			plans = append(plans, figurePlan{
				file:    "plots/sweep-" + fileSafe(k.name) + "-" + fileSafe(metric) + ".png",
				section: "Against " + k.name,
				title:   title,
				caption: s.caption(ki, metric),
				build:   func() *layout { return s.sweepFigure(ki, metric) },
			})
		}
	}
	return plans, skipped
}

// keyValues returns the values of key ki that grid points in summary.csv
// have.
func (s *sweepRun) keyValues(ki int) []string {
	var vs names
	for _, p := range s.points {
		vs.add(p.vals[ki])
	}
	return vs.list
}

// hasFinite reports whether any grid point has a finite final mean of the
// metric.
func (s *sweepRun) hasFinite(metric string) bool {
	for _, p := range s.points {
		for k, f := range p.finals {
			if k.metric == metric && finite(f.mean) {
				return true
			}
		}
	}
	return false
}

// maxSeeds is the largest number of seeds behind a final value.
func (s *sweepRun) maxSeeds() int {
	n := 0
	for _, p := range s.points {
		for _, f := range p.finals {
			n = max(n, f.n)
		}
	}
	return n
}

// sweepSlice is the grid points drawn in one panel: those sharing the
// values of the other swept keys.
type sweepSlice struct {
	label  string // "key = value, ..." of the other keys; "" for a single panel
	points []*sweepPoint
}

// slicesFor groups the grid points by the values of the keys other than ki.
// zipped reports that the other keys move with ki (a zip sweep, or, without
// sweep.yaml, points that never share the other keys' values), in which case
// every point goes in one panel.
func (s *sweepRun) slicesFor(ki int) (out []sweepSlice, zipped bool) {
	var others []int
	for i := range s.keys {
		if i != ki {
			others = append(others, i)
		}
	}
	if len(others) == 0 {
		return []sweepSlice{{points: s.points}}, false
	}
	if s.spec != nil && s.spec.Mode == sweep.ModeZip {
		return []sweepSlice{{points: s.points}}, true
	}
	type group struct {
		order  []int
		label  string
		points []*sweepPoint
		xs     names
	}
	var groups []*group
	byID := make(map[string]*group)
	for _, p := range s.points {
		var id, label []string
		var order []int
		for _, o := range others {
			v := p.vals[o]
			id = append(id, v)
			label = append(label, s.keys[o].name+" = "+v)
			order = append(order, slices.Index(s.keys[o].values, v))
		}
		key := strings.Join(id, "\x00")
		g := byID[key]
		if g == nil {
			g = &group{order: order, label: strings.Join(label, ", ")}
			byID[key] = g
			groups = append(groups, g)
		}
		g.points = append(g.points, p)
		g.xs.add(p.vals[ki])
	}
	if s.spec == nil && len(groups) > 1 {
		single := true
		for _, g := range groups {
			single = single && len(g.xs.list) < 2
		}
		if single {
			return []sweepSlice{{points: s.points}}, true
		}
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return slices.Compare(a.order, b.order) })
	for _, g := range groups {
		out = append(out, sweepSlice{label: g.label, points: g.points})
	}
	return out, false
}

// caption explains a sweep figure.
func (s *sweepRun) caption(ki int, metric string) string {
	k := s.keys[ki]
	var b strings.Builder
	fmt.Fprintf(&b, "The %s at %s against %s, for every model (its colour as in the cells' own reports). ", metricPhrase(metric), s.genPhrase(), k.name)
	seeds := s.maxSeeds()
	switch {
	case seeds <= 1:
		b.WriteString("One seed per grid point: no interval. ")
	case k.numeric:
		b.WriteString("Lines join the means over each grid point's seeds; the shaded band is their 95% Student-t interval (±t(0.975, n−1) standard errors over n seeds). ")
	default:
		b.WriteString("Markers are the means over each grid point's seeds, bars their 95% Student-t intervals (±t(0.975, n−1) standard errors over n seeds). ")
	}
	switch {
	case k.log && s.logY(metric):
		b.WriteString("Both axes are logarithmic. ")
	case k.log:
		b.WriteString("The x axis is logarithmic. ")
	case s.logY(metric):
		b.WriteString("The y axis is logarithmic. ")
	}
	if !k.numeric {
		b.WriteString("The values are categories, in the grid's order. ")
	}
	var others []string
	for i, o := range s.keys {
		if i != ki {
			others = append(others, o.name)
		}
	}
	sl, zipped := s.slicesFor(ki)
	switch {
	case zipped:
		fmt.Fprintf(&b, "%s change together with %s (zipped grid). ", joinAnd(others), k.name)
	case len(sl) > 1:
		fmt.Fprintf(&b, "One panel per value of %s, on a common y axis. ", joinAnd(others))
	}
	return strings.TrimSpace(b.String())
}

// sweepXY is one grid point of a model's line, in plotted coordinates: the
// mean y and its 95% interval [lo, hi] (lo = hi = y without one).
type sweepXY struct {
	x, y, lo, hi float64
}

// banded reports whether the point has an interval.
func (q sweepXY) banded() bool { return q.hi > q.lo }

// plotted places a final value on the y axis: as is, or as base-10
// logarithms on a log axis (the interval clipped a decade below the mean,
// as addCurve does).
func plotted(x float64, f finalValue, logY bool) sweepXY {
	h := f.half()
	q := sweepXY{x: x, y: f.mean, lo: f.mean - h, hi: f.mean + h}
	if logY {
		q.lo = math.Log10(math.Max(q.lo, f.mean/10))
		q.y, q.hi = math.Log10(f.mean), math.Log10(q.hi)
	}
	return q
}

// logY reports whether a metric is drawn on a log axis: every finite final
// mean is positive and they span more than logSpan.
func (s *sweepRun) logY(metric string) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range s.points {
		for k, f := range p.finals {
			if k.metric != metric || !finite(f.mean) {
				continue
			}
			if f.mean <= 0 {
				return false
			}
			lo, hi = math.Min(lo, f.mean), math.Max(hi, f.mean)
		}
	}
	return lo > 0 && hi/lo > logSpan
}

// sweepFigure draws a key metric's final value against swept key ki: one
// panel per slice of the other keys, one line (or, for categories, one set
// of markers) per model.
func (s *sweepRun) sweepFigure(ki int, metric string) *layout {
	k := s.keys[ki]
	sl, _ := s.slicesFor(ki)
	title, yLabel := metricText(metric)
	title += " at " + s.genPhrase()
	logY := s.logY(metric)
	xLabel := k.name
	if k.log {
		xLabel += " (log scale)"
	}
	lb := newLegendBuilder(s.colors)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	xlo, xhi := math.Inf(1), math.Inf(-1)
	var plots []*plot.Plot
	drawn := false
	cols := 1
	if len(sl) > maxStacked {
		cols = 2
	}
	for i, slice := range sl {
		// Panels are named by the other keys' values; the first also says
		// what the figure shows (on two lines in a narrow column).
		t := title
		if cols > 1 {
			t = strings.Replace(t, " at ", "\nat ", 1)
		}
		switch {
		case i == 0 && slice.label != "":
			t += "\n" + slice.label
		case i > 0:
			t = slice.label
		}
		p := newPlot(t, xLabel, yLabel)
		gridLines(p)
		for mi, m := range s.models {
			var pts []sweepXY
			for _, pt := range slice.points {
				f, ok := pt.finals[seriesKey{m, metric}]
				if !ok || !finite(f.mean) {
					continue
				}
				pts = append(pts, plotted(k.pos(pt.vals[ki]), f, logY))
			}
			if len(pts) == 0 {
				continue
			}
			slices.SortStableFunc(pts, func(a, b sweepXY) int { return cmp.Compare(a.x, b.x) })
			for _, q := range pts {
				xlo, xhi = math.Min(xlo, q.x), math.Max(xhi, q.x)
				for _, v := range []float64{q.y, q.lo, q.hi} {
					ylo, yhi = math.Min(ylo, v), math.Max(yhi, v)
				}
			}
			c := s.colors.of(m)
			if k.numeric {
				lb.model(m, addSweepLine(p, pts, c))
			} else {
				offset := 0.0
				if n := len(s.models); n > 1 {
					w := math.Min(0.12, 0.6/float64(n))
					offset = (float64(mi) - float64(n-1)/2) * w
				}
				addSweepMarkers(p, pts, offset, c)
				// No line: the legend shows the model's marker (and bar).
				var thumb plot.Thumbnailer = &plotter.Scatter{GlyphStyle: markerStyle(c)}
				if s.maxSeeds() > 1 {
					thumb = errThumb{c}
				}
				lb.key(m, thumb)
			}
			drawn = true
		}
		plots = append(plots, p)
	}
	if !drawn {
		return nil
	}
	ylo, yhi = padRange(ylo, yhi, 0.06)
	if logY && yhi-ylo < 1 { // at least a decade
		mid := (ylo + yhi) / 2
		ylo, yhi = mid-0.5, mid+0.5
	}
	if k.numeric {
		xlo, xhi = padRange(xlo, xhi, 0.05)
	} else {
		xlo, xhi = -0.5, float64(len(k.values))-0.5
	}
	ticks := s.xTicks(k)
	for _, p := range plots {
		p.Y.Min, p.Y.Max = ylo, yhi
		p.X.Min, p.X.Max = xlo, xhi
		p.X.Tick.Marker = ticks
		if logY {
			logAxis(p)
		}
	}
	var panels [][]*plot.Plot
	for i := 0; i < len(plots); i += cols {
		panels = append(panels, plots[i:min(i+cols, len(plots))])
	}
	l := &layout{w: figWidth, h: singleHeight, panels: panels, legend: lb.legend()}
	if len(plots) > 1 {
		l.h = stackHeight(len(panels))
	}
	if cols > 1 {
		l.w = wideWidth
	}
	return l
}

// xTicks marks a key's axis: at the grid's values when their labels fit,
// else at round numbers (powers of ten on a log axis); categories by name.
func (s *sweepRun) xTicks(k *sweepKey) plot.Ticker {
	if !k.numeric {
		return labelTicks{labels: k.values, max: 12}
	}
	vt := valueTicks{fallback: plot.DefaultTicks{}}
	if k.log {
		vt.fallback = log10Ticks{}
	}
	for _, v := range k.values {
		vt.pos = append(vt.pos, k.pos(v))
		vt.labels = append(vt.labels, v)
	}
	return vt
}

// valueTicks marks the given positions with their labels when no two
// labels would collide, and falls back to another ticker otherwise.
type valueTicks struct {
	pos      []float64
	labels   []string
	fallback plot.Ticker
}

// axisChars is about how many tick-label characters fit across a panel.
const axisChars = 45

// Ticks implements plot.Ticker.
func (v valueTicks) Ticks(lo, hi float64) []plot.Tick {
	type tick struct {
		x     float64
		label string
	}
	var ts []tick
	for i, x := range v.pos {
		if x >= lo-1e-9*math.Abs(hi-lo) && x <= hi+1e-9*math.Abs(hi-lo) {
			ts = append(ts, tick{x, v.labels[i]})
		}
	}
	slices.SortFunc(ts, func(a, b tick) int { return cmp.Compare(a.x, b.x) })
	fits := len(ts) >= 2 && len(ts) <= 12 && hi > lo
	for i := 1; fits && i < len(ts); i++ {
		gap := (ts[i].x - ts[i-1].x) / (hi - lo) * axisChars
		fits = gap >= float64(len(ts[i].label)+len(ts[i-1].label))/2+1.5
	}
	if !fits {
		return v.fallback.Ticks(lo, hi)
	}
	out := make([]plot.Tick, len(ts))
	for i, t := range ts {
		out[i] = plot.Tick{Value: t.x, Label: t.label}
	}
	return out
}

// padRange widens [lo, hi] by frac of its span on both sides (by a tenth
// of the value, or 0.5, when the span is zero); an empty range becomes [0, 1].
func padRange(lo, hi, frac float64) (float64, float64) {
	if !finite(lo) || !finite(hi) || lo > hi {
		return 0, 1
	}
	span := hi - lo
	if span == 0 {
		d := math.Abs(lo) / 10
		if d == 0 {
			d = 0.5
		}
		return lo - d, hi + d
	}
	return lo - frac*span, hi + frac*span
}

// addSweepLine draws a model's means joined by a line over its shaded 95%
// band, with a marker at every grid point (a lone point gets an error bar).
// It reports whether a band was drawn.
func addSweepLine(p *plot.Plot, pts []sweepXY, c color.NRGBA) (banded bool) {
	var line, upper, lower plotter.XYs
	for _, q := range pts {
		banded = banded || q.banded()
		line = append(line, plotter.XY{X: q.x, Y: q.y})
		upper = append(upper, plotter.XY{X: q.x, Y: q.hi})
		lower = append(lower, plotter.XY{X: q.x, Y: q.lo})
	}
	if len(line) == 1 {
		addSweepMarkers(p, pts, 0, c)
		return false
	}
	if banded {
		addBand(p, upper, lower, c)
	}
	if l, err := plotter.NewLine(line); err == nil {
		l.LineStyle = lineStyle(c, solid)
		p.Add(l)
	}
	if sc, err := plotter.NewScatter(line); err == nil {
		sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
	}
	return banded
}

// addSweepMarkers draws a model's means as markers with their 95% intervals
// as error bars, shifted by offset along x.
func addSweepMarkers(p *plot.Plot, pts []sweepXY, offset float64, c color.NRGBA) {
	var errs errPoints
	var xys plotter.XYs
	for _, q := range pts {
		x := q.x + offset
		xys = append(xys, plotter.XY{X: x, Y: q.y})
		if q.banded() {
			errs.add(x, q.y, q.lo, q.hi)
		}
	}
	if eb := errs.bars(draw.LineStyle{Color: c, Width: vg.Points(1.5)}); eb != nil {
		p.Add(eb)
	}
	if sc, err := plotter.NewScatter(xys); err == nil {
		sc.GlyphStyle = markerStyle(c)
		p.Add(sc)
	}
}

// errThumb is a legend thumbnail of a marker with an error bar.
type errThumb struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (e errThumb) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	y := (c.Min.Y + c.Max.Y) / 2
	h := (c.Max.Y - c.Min.Y) / 2
	cw := vg.Points(3)
	ls := draw.LineStyle{Color: e.c, Width: vg.Points(1.5)}
	c.StrokeLine2(ls, x, y-h, x, y+h)
	c.StrokeLine2(ls, x-cw, y-h, x+cw, y-h)
	c.StrokeLine2(ls, x-cw, y+h, x+cw, y+h)
	c.DrawGlyph(markerStyle(e.c), vg.Point{X: x, Y: y})
}

// markerStyle is the marker of a mean drawn without a line.
func markerStyle(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
}
