package report

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"

	"github.com/selfconsume/selfconsume/train/stats"
)

// panelSpec is one panel of a per-generation line figure: a metric for every
// model (solid, with the prediction dashed when prediction.csv has it), and
// optionally more metrics drawn in another style.
type panelSpec struct {
	metric, title, yLabel string
	also                  []altCurve
	log                   bool
}

// altCurve is a further metric in a panel, with its style and legend key.
type altCurve struct {
	metric string
	style  curveStyle
	key    string
}

// metrics lists every metric the panel draws.
func (s panelSpec) metrics() []string {
	ms := []string{s.metric}
	for _, a := range s.also {
		ms = append(ms, a.metric)
	}
	return ms
}

// hasAny reports whether the run has any of the metrics, measured or
// predicted.
func (r *run) hasAny(metrics ...string) bool {
	for _, m := range metrics {
		if r.emp.hasMetric(m) || r.pred.hasMetric(m) {
			return true
		}
	}
	return false
}

// linePanel draws one panel; it returns nil when the run has none of its
// metrics. Entries go to lb; measured and predicted report which styles were
// drawn.
func (r *run) linePanel(spec panelSpec, lb *legendBuilder) (p *plot.Plot, measured, predicted bool) {
	if !r.hasAny(spec.metrics()...) {
		return nil, false, false
	}
	p = newPlot(spec.title, "generation", spec.yLabel)
	generationAxis(p)
	if spec.log {
		logAxis(p)
	}
	gridLines(p)
	for _, m := range r.models {
		c := r.colors.of(m)
		es := r.emp.series(m, spec.metric)
		if addCurve(p, es, c, solid, spec.log) {
			lb.model(m, es.banded())
			measured = true
		}
		if addCurve(p, r.predicted(m, spec.metric), c, dashed, spec.log) {
			lb.model(m, false)
			predicted = true
		}
		for _, a := range spec.also {
			as := r.emp.series(m, a.metric)
			if addCurve(p, as, c, a.style, spec.log) {
				lb.model(m, as.banded())
				lb.styleKey(a.key, a.style)
			}
		}
	}
	if spec.log {
		fixLogRange(p)
	}
	return p, measured, predicted
}

// measuredKey is the legend text for measured curves.
func (r *run) measuredKey() string {
	if r.seeds > 1 {
		return fmt.Sprintf("measured (%d seeds)", r.seeds)
	}
	return "measured"
}

// bandNote is the caption sentence explaining the shaded bands.
func (r *run) bandNote() string {
	if r.seeds > 1 {
		return fmt.Sprintf(" Solid lines are the mean over %d seeds; the shaded band is its 95%% Student-t interval (±%.3f standard errors: t(0.975, %d)).", r.seeds, stats.T95(r.seeds), r.seeds-1)
	}
	return ""
}

// stackFigure plans a figure of the given panels stacked over a shared
// generation axis; panels the run has no data for are left out. It returns
// nil when no panel remains.
func (r *run) stackFigure(specs []panelSpec, hook func(p *plot.Plot, spec panelSpec, lb *legendBuilder)) *layout {
	lb := newLegendBuilder(r.colors)
	var panels [][]*plot.Plot
	var measured, predicted bool
	for _, s := range specs {
		p, m, pr := r.linePanel(s, lb)
		if p == nil {
			continue
		}
		if hook != nil {
			hook(p, s, lb)
		}
		measured, predicted = measured || m, predicted || pr
		panels = append(panels, []*plot.Plot{p})
	}
	if len(panels) == 0 {
		return nil
	}
	// One generation range for every panel, so that they line up.
	lo, hi := r.genRange()
	for _, row := range panels {
		row[0].X.Min, row[0].X.Max = math.Min(row[0].X.Min, lo), math.Max(row[0].X.Max, hi)
	}
	if predicted {
		if measured {
			lb.leadKey(r.measuredKey(), solid)
		}
		lb.leadKey("predicted (theory)", dashed)
	}
	h := singleHeight
	if len(panels) > 1 {
		h = stackHeight(len(panels))
	}
	return &layout{w: figWidth, h: h, panels: panels, legend: lb.legend()}
}

// genRange returns the first and last generation of the run's curves.
func (r *run) genRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, t := range []*metricTable{r.emp, r.pred} {
		for _, byGen := range t.vals {
			for g := range byGen {
				lo, hi = math.Min(lo, float64(g)), math.Max(hi, float64(g))
			}
		}
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}
