package report

import (
	"fmt"
	"math"
	"strconv"

	"github.com/selfconsume/selfconsume/runfolder"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// planRewards plans one figure per population: every model's expected true
// reward under that population's reward, measured and predicted.
func planRewards(r *run) ([]figurePlan, []Skipped) {
	const what = "Reward curves (J matrix per generation)"
	if r.emp.empty() && r.pred.empty() && (r.theory == nil || len(r.theory.FixedPoint) == 0) {
		return nil, []Skipped{{what, fmt.Sprintf("no %s, %s/seed-N/%s or %s in the run folder", runfolder.MetricsFile, runfolder.SeedsDir, runfolder.MetricsFile, runfolder.PredictionFile)}}
	}
	var plans []figurePlan
	var skipped []Skipped
	for _, pop := range r.pops {
		metric := "reward/" + pop
		if !r.hasAny(metric) && !r.hasFixedPoint(metric) {
			skipped = append(skipped, Skipped{fmt.Sprintf("Reward under population %s", pop), fmt.Sprintf("no finite %s value", metric)})
			continue
		}
		own := ""
		for _, m := range r.models {
			if r.cfg.population(m) == pop {
				own += " " + m
			}
		}
		caption := fmt.Sprintf("Expected true reward E_p[r_%s] of every model under population %s's reward, per generation. "+
			"Dashed: the theory's predicted trajectory in the model's colour.%s%s", pop, pop, r.bandNote(), r.spreadNote("reward/"+pop))
		if own != "" {
			caption += fmt.Sprintf(" Curated by %s:%s.", pop, own)
		}
		plans = append(plans, figurePlan{
			file:    "plots/reward-" + fileSafe(pop) + ".png",
			section: "Reward under each population",
			title:   fmt.Sprintf("Reward under population %s", pop),
			caption: caption,
			build:   func() *layout { return r.rewardFigure(pop) },
		})
	}
	return plans, skipped
}

// hasFixedPoint reports whether theory.json gives a fixed-point value of the
// metric for any model.
func (r *run) hasFixedPoint(metric string) bool {
	if r.theory == nil {
		return false
	}
	for _, vals := range r.theory.FixedPoint {
		if _, ok := vals[metric]; ok {
			return true
		}
	}
	return false
}

func (r *run) rewardFigure(pop string) *layout {
	metric := "reward/" + pop
	spec := panelSpec{metric: metric, title: fmt.Sprintf("Expected reward under population %s's reward", pop),
		yLabel: fmt.Sprintf("J = E_p[r_%s] (reward units)", pop)}
	lo, hi := r.genRange()
	l := r.stackFigure([]panelSpec{spec}, func(p *plot.Plot, _ panelSpec, lb *legendBuilder) {
		if r.theory == nil {
			return
		}
		for _, m := range r.models {
			v, ok := r.theory.FixedPoint[m][metric]
			if !ok || r.pred.has(m, metric) {
				continue
			}
			addHLine(p, v, lo, hi, lineStyle(r.colors.of(m), dotted))
			lb.model(m, false)
			lb.styleKey("predicted fixed point", dotted)
		}
	})
	if l == nil { // only fixed points: draw them alone
		p := newPlot(spec.title, "generation", spec.yLabel)
		generationAxis(p)
		gridLines(p)
		lb := newLegendBuilder(r.colors)
		for _, m := range r.models {
			if v, ok := r.theory.FixedPoint[m][metric]; ok {
				addHLine(p, v, lo, hi, lineStyle(r.colors.of(m), dotted))
				lb.model(m, false)
			}
		}
		lb.styleKey("predicted fixed point", dotted)
		l = &layout{w: figWidth, h: singleHeight, panels: [][]*plot.Plot{{p}}, legend: lb.legend()}
	}
	return l
}

// planConvergence plans the convergence figure: parameter change and TV
// between generations on log axes, with the predicted rate rho^t.
func planConvergence(r *run) ([]figurePlan, []Skipped) {
	const what = "Convergence"
	if !r.hasAny("param_delta", "tv_prev") {
		return nil, []Skipped{{what, "no finite param_delta or tv_prev value"}}
	}
	caption := "Change from one generation to the next, on a log axis: relative parameter change and total variation between p_t and p_{t-1}."
	if rho, ok := r.theory.rho(); ok && rho < 1 {
		caption += fmt.Sprintf(" Dashed: the predicted rate ρ^t (ρ = %s, the spectral radius at the fixed point), anchored at each model's generation-1 value.", fmtNum(rho))
	} else if ok {
		caption += fmt.Sprintf(" The predicted ρ = %s is not below 1: no convergence is predicted, so no rate line is drawn.", fmtNum(rho))
	} else {
		caption += " No " + runfolder.TheoryFile + ": no predicted rate."
	}
	caption += fmt.Sprintf(" Dotted: the tolerance %s (the infinite loop's generations to tolerance).", fmtNum(r.tol()))
	return []figurePlan{{
		file: "plots/convergence.png", section: "Convergence", title: what,
		caption: caption + r.bandNote(),
		build:   r.convergenceFigure,
	}}, nil
}

// tol is the convergence tolerance: theory.json's, else the config's, else 1e-3.
func (r *run) tol() float64 {
	if r.theory != nil && r.theory.Tol != nil && *r.theory.Tol > 0 {
		return *r.theory.Tol
	}
	if r.cfg != nil && r.cfg.tol > 0 {
		return r.cfg.tol
	}
	return 1e-3
}

func (r *run) convergenceFigure() *layout {
	specs := []panelSpec{
		{metric: "param_delta", title: "Parameter change per generation", yLabel: "relative change |θ_t − θ_{t−1}| / |θ_{t−1}|", log: true},
		{metric: "tv_prev", title: "Distribution change per generation", yLabel: "TV(p_t, p_{t−1})", log: true},
	}
	rho, haveRho := r.theory.rho()
	return r.stackFigure(specs, func(p *plot.Plot, s panelSpec, lb *legendBuilder) {
		floor := p.Y.Min - 1 // a decade below the data (log10 axis)
		if haveRho && rho < 1 {
			for _, m := range r.models {
				if addRateLine(p, r.emp.series(m, s.metric), rho, floor, lineStyle(r.colors.of(m), dashed)) {
					lb.styleKey(fmt.Sprintf("predicted ρ^t (ρ = %s)", strconv.FormatFloat(rho, 'g', 3, 64)), dashed)
				}
			}
		}
		if s.metric == "tv_prev" {
			lo, hi := r.genRange()
			addHLine(p, math.Log10(r.tol()), lo, hi, lineStyle(darkGrey, dotted))
			lb.styleKey("tol = "+fmtNum(r.tol()), dotted)
		}
		fixLogRange(p)
	})
}

// addRateLine adds y_a rho^(t-a), from the first generation a >= 1 with a
// positive mean, to a log10 axis down to floor (log10); it reports whether a
// line was added.
func addRateLine(p *plot.Plot, s *series, rho, floor float64, ls draw.LineStyle) bool {
	if s == nil {
		return false
	}
	a := -1
	for i, g := range s.gens {
		if g >= 1 && s.mean[i] > 0 {
			a = i
			break
		}
	}
	if a < 0 {
		return false
	}
	var pts plotter.XYs
	g0, y0 := s.gens[a], s.mean[a]
	for g := g0; g <= s.gens[len(s.gens)-1]; g++ {
		y := math.Log10(y0) + float64(g-g0)*math.Log10(rho)
		if y < floor {
			break
		}
		pts = append(pts, plotter.XY{X: float64(g), Y: y})
	}
	if len(pts) < 2 {
		return false
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return false
	}
	l.LineStyle = ls
	p.Add(l)
	return true
}

// planDistance plans the distance-to-real-data figure.
func planDistance(r *run) ([]figurePlan, []Skipped) {
	const what = "Distance to the real data"
	specs := []panelSpec{
		{metric: "kl_real", title: "KL divergence to the real data", yLabel: "KL(q || p_t) (nats)"},
		{metric: "tv_real", title: "Total variation to the real data", yLabel: "total variation (0–1)",
			also: []altCurve{{metric: "tv_pred", style: dotted, key: "TV to the prediction"}}},
	}
	if !r.hasAny("kl_real", "tv_real", "tv_pred") {
		return nil, []Skipped{{what, "no finite kl_real, tv_real or tv_pred value"}}
	}
	return []figurePlan{{
		file: "plots/distance.png", section: what, title: what,
		caption: "How far each model is from the real data q, per generation. Dotted (lower panel): TV between the measured model and the theory's predicted distribution." + r.bandNote(),
		build:   func() *layout { return r.stackFigure(specs, nil) },
	}}, nil
}

// planDiversity plans the entropy and zero-mass figure.
func planDiversity(r *run) ([]figurePlan, []Skipped) {
	const what = "Diversity: entropy and zero mass"
	if !r.hasAny("entropy", "zero_mass") {
		return nil, []Skipped{{what, "no finite entropy or zero_mass value"}}
	}
	specs := []panelSpec{
		{metric: "entropy", title: "Entropy of the model", yLabel: "entropy (nats)"},
		{metric: "zero_mass", title: "Real mass the model has dropped", yLabel: "zero mass (0–1)"},
	}
	return []figurePlan{{
		file: "plots/diversity.png", section: "Diversity", title: what,
		caption: "Entropy of each model and the real probability mass on cells the model has (almost) dropped; collapse shows as falling entropy and rising zero mass." + r.bandNote(),
		build:   func() *layout { return r.stackFigure(specs, nil) },
	}}, nil
}

// planCuration plans the curation-statistics figure.
func planCuration(r *run) ([]figurePlan, []Skipped) {
	const what = "Curation statistics"
	if !r.hasAny("curation_entropy", "curation_gap") {
		return nil, []Skipped{{what, "no finite curation_entropy or curation_gap value"}}
	}
	specs := []panelSpec{
		{metric: "curation_entropy", title: "Entropy of the curator's choice", yLabel: "choice entropy (nats)"},
		{metric: "curation_gap", title: "Learned-reward gap, kept − rejected", yLabel: "reward gap (reward units)"},
	}
	return []figurePlan{{
		file: "plots/curation.png", section: "Curation", title: what,
		caption: "How selective curation is: the entropy of the K-choice and the mean learned reward of kept minus rejected candidates." + r.bandNote(),
		build:   func() *layout { return r.stackFigure(specs, nil) },
	}}, nil
}
