package report

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// planModes plans one bar chart per 2-D model: the share of its samples
// nearest each real mode at the first, middle and last generation.
func planModes(r *run) ([]figurePlan, []Skipped) {
	const what = "Mode weights"
	var plans []figurePlan
	for _, m := range r.models {
		if len(r.modeKeys(m)) == 0 {
			continue
		}
		plans = append(plans, figurePlan{
			file: "plots/modes-" + fileSafe(m) + ".png", section: "Mode weights",
			title: "Mode weights of " + m,
			caption: fmt.Sprintf("Share of %s's samples nearest each real mode at generations %s (lighter is earlier); mode collapse shows as weight moving onto few modes.%s",
				m, joinInts(firstMidLast(r.modeGens(m))), errorBarNote(r)),
			build: func() *layout { return r.modesFigure(m) },
		})
	}
	if len(plans) == 0 {
		return nil, []Skipped{{what, "no `mode/K` metric (2-D models only)"}}
	}
	return plans, nil
}

// errorBarNote is the caption sentence explaining error bars over seeds.
func errorBarNote(r *run) string {
	if r.seeds > 1 {
		return fmt.Sprintf(" Error bars: 95%% interval over %d seeds.", r.seeds)
	}
	return ""
}

// modeKeys returns the modes k of a model's mode/<k> metrics.
func (r *run) modeKeys(model string) []string {
	var ks []string
	for _, k := range r.emp.suffixes("mode/") {
		if r.emp.series(model, "mode/"+k) != nil {
			ks = append(ks, k)
		}
	}
	return ks
}

// modeGens returns the sorted generations with any mode weight of a model.
func (r *run) modeGens(model string) []int {
	var gs []int
	for _, k := range r.modeKeys(model) {
		for _, g := range r.emp.series(model, "mode/"+k).gens {
			if !slices.Contains(gs, g) {
				gs = append(gs, g)
			}
		}
	}
	slices.Sort(gs)
	return gs
}

func (r *run) modesFigure(model string) *layout {
	keys := r.modeKeys(model)
	gens := firstMidLast(r.modeGens(model))
	if len(keys) == 0 || len(gens) == 0 {
		return nil
	}
	c := r.colors.of(model)
	tints := map[int][]float64{1: {0}, 2: {0.55, 0}, 3: {0.65, 0.35, 0}}[len(gens)]
	p := newPlot("Mode weights of "+model, "real mode", "share of samples nearest the mode")
	gridLines(p)
	lb := newLegendBuilder(r.colors)
	width := 0.8 / float64(len(gens))
	for j, g := range gens {
		col := tint(c, tints[j])
		var errs errPoints
		for i, k := range keys {
			s := r.emp.series(model, "mode/"+k)
			at := s.at(g)
			if at < 0 {
				continue
			}
			x0 := float64(i) - 0.4 + float64(j)*width
			x1 := x0 + width*0.9
			y := s.mean[at]
			bar, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: 0}, {X: x1, Y: 0}, {X: x1, Y: y}, {X: x0, Y: y}})
			if err != nil {
				continue
			}
			bar.Color = col
			bar.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(0.8)}
			p.Add(bar)
			if h := s.half[at]; h > 0 {
				errs.add((x0+x1)/2, y, y-h, y+h)
			}
		}
		if eb := errs.bars(draw.LineStyle{Color: darkGrey, Width: vg.Points(1)}); eb != nil {
			p.Add(eb)
		}
		lb.key(fmt.Sprintf("generation %d", g), &plotter.Polygon{Color: col, LineStyle: draw.LineStyle{Color: c, Width: vg.Points(0.8)}})
	}
	p.X.Tick.Marker = labelTicks{labels: keys, max: 16}
	p.X.Min, p.X.Max = -0.6, float64(len(keys))-0.4
	p.Y.Min = 0
	return &layout{w: figWidth, h: singleHeight, panels: [][]*plot.Plot{{p}}, legend: lb.legend()}
}

// errPoints collects points with asymmetric vertical intervals for
// plotter.YErrorBars.
type errPoints struct {
	xys  plotter.XYs
	errs plotter.YErrors
}

// add records a point at (x, y) with the interval [lo, hi].
func (e *errPoints) add(x, y, lo, hi float64) {
	e.xys = append(e.xys, plotter.XY{X: x, Y: y})
	e.errs = append(e.errs, struct{ Low, High float64 }{y - lo, hi - y})
}

// bars returns the error bars, or nil when there are none.
func (e *errPoints) bars(ls draw.LineStyle) *plotter.YErrorBars {
	if len(e.xys) == 0 {
		return nil
	}
	return &plotter.YErrorBars{XYs: e.xys, YErrors: e.errs, LineStyle: ls, CapWidth: vg.Points(4)}
}
