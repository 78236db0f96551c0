package report

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
)

// planFitGap plans the fit-gap figure: how far each generation's fit falls
// short of its target law (fit_gap, with sample_gap dotted when the run has
// it), above the prediction's error on each model's own reward.
func planFitGap(r *run) ([]figurePlan, []Skipped) {
	const what = "Fit gap and prediction error"
	if !r.emp.hasMetric("fit_gap") {
		return nil, []Skipped{{what, "no finite fit_gap value (measured under metrics full, generations >= 1)"}}
	}
	caption := "Upper panel: fit_gap = KL(T || p_t), how far each model's fit is from its target law T (the population law of the mixture it trained on, " +
		"from the previous generation's models and the run's curator). Dotted: sample_gap = KL(e || T), the distance of the finite training sample's law e from T; " +
		"a fit below it smooths the sample noise, one far above it falls short of its data."
	if slices.ContainsFunc(r.models, func(m string) bool { return r.errorSeries(m) != nil }) {
		caption += " Lower panel: |measured − predicted| expected reward of each model under its own population's reward, the error the fit gap feeds into."
	}
	return []figurePlan{{
		file: "plots/fit-gap.png", section: "Fit gap", title: what,
		caption: caption + r.bandNote(),
		build:   r.fitGapFigure,
	}}, nil
}

// errorSeries is |mean measured - predicted| of the model's own reward per
// generation, or nil without both curves.
func (r *run) errorSeries(model string) *series {
	metric := "reward/" + r.cfg.population(model)
	emp, pred := r.emp.series(model, metric), r.pred.series(model, metric)
	if emp == nil || pred == nil {
		return nil
	}
	s := &series{}
	for i, g := range emp.gens {
		k := pred.at(g)
		if k < 0 {
			continue
		}
		s.gens = append(s.gens, g)
		s.mean = append(s.mean, math.Abs(emp.mean[i]-pred.mean[k]))
		s.half = append(s.half, 0)
		s.n = append(s.n, 1)
	}
	if len(s.gens) == 0 {
		return nil
	}
	return s
}

func (r *run) fitGapFigure() *layout {
	specs := []panelSpec{{metric: "fit_gap", title: "Fit gap: KL(target || fitted model)", yLabel: "KL (nats)",
		also: []altCurve{{metric: "sample_gap", style: dotted, key: "sample_gap KL(e || T)"}}}}
	l := r.stackFigure(specs, nil)
	if l == nil {
		return nil
	}
	lb := newLegendBuilder(r.colors)
	p := newPlot("Prediction error on each model's own reward", "generation", "|J measured − J predicted| (reward units)")
	generationAxis(p)
	gridLines(p)
	drawn := false
	for _, m := range r.models {
		if addCurve(p, r.errorSeries(m), r.colors.of(m), solid, false) {
			lb.model(m, false)
			drawn = true
		}
	}
	if !drawn {
		return l
	}
	top := l.panels[0][0]
	p.X.Min, p.X.Max = top.X.Min, top.X.Max
	l.panels = append(l.panels, []*plot.Plot{p})
	l.h = stackHeight(len(l.panels))
	return l
}
