package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/compare"
)

// lastGen returns the last measured generation (or predicted, when nothing
// was measured); ok is false when there is none.
func (r *run) lastGen() (int, bool) {
	for _, t := range []*metricTable{r.emp, r.pred} {
		last, ok := math.MinInt, false
		for _, byGen := range t.vals {
			for g := range byGen {
				if g > last {
					last, ok = g, true
				}
			}
		}
		if ok {
			return last, true
		}
	}
	return 0, false
}

// valueAt returns the mean and 95% half-width of a metric at a generation.
func valueAt(t *metricTable, model, metric string, gen int) (mean, half float64, ok bool) {
	s := t.series(model, metric)
	i := s.at(gen)
	if i < 0 {
		return math.NaN(), 0, false
	}
	return s.mean[i], s.half[i], true
}

// predictedAt returns the predicted value of a metric at a generation, or
// at the last predicted generation before it, or else theory.json's fixed
// point; src says which.
func (r *run) predictedAt(model, metric string, gen int) (v float64, src string) {
	if s := r.pred.series(model, metric); s != nil {
		for i := len(s.gens) - 1; i >= 0; i-- {
			if s.gens[i] <= gen {
				return s.mean[i], "trajectory"
			}
		}
	}
	if r.theory != nil {
		if fv, ok := r.theory.FixedPoint[model][metric]; ok {
			return fv, "fixed point"
		}
	}
	return math.NaN(), ""
}

// jMatrix writes each model's J row at generation gen: measured and
// predicted reward under every population.
func (r *run) jMatrix(b *strings.Builder, gen int) {
	header := []string{"model"}
	for _, p := range r.pops {
		header = append(header, mdCell("r_"+p+" measured"), mdCell("r_"+p+" predicted"))
	}
	var rows [][]string
	usedFixed := false
	for _, m := range r.models {
		row := []string{m}
		has := false
		own := r.cfg.population(m)
		for _, p := range r.pops {
			metric := "reward/" + p
			mean, half, ok := valueAt(r.emp, m, metric, gen)
			pv, src := r.predictedAt(m, metric, gen)
			has = has || ok || src != ""
			cell := "—"
			if ok {
				cell = fmtMeanCI(mean, half)
			}
			pcell := fmtNum(pv)
			if src == "fixed point" {
				pcell += " (fixed point)"
				usedFixed = true
			}
			if p == own {
				cell, pcell = "**"+cell+"**", "**"+pcell+"**"
			}
			row = append(row, cell, pcell)
		}
		if has {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		b.WriteString("_No `reward/POPULATION` rows._\n\n")
		return
	}
	mdTable(b, header, rows)
	var notes []string
	if r.cfg != nil && len(r.cfg.models) > 0 {
		notes = append(notes, "bold: the model's own (curating) population, its alignment J_i^pop(i)")
	}
	if r.seeds > 1 {
		notes = append(notes, fmt.Sprintf("± is the 95%% interval over %d seeds", r.seeds))
	}
	if usedFixed {
		notes = append(notes, "\"fixed point\": no predicted trajectory, the value is theory.json's fixed point")
	}
	if len(notes) > 0 {
		b.WriteString(strings.ToUpper(notes[0][:1]) + notes[0][1:])
		for _, n := range notes[1:] {
			b.WriteString("; " + n)
		}
		b.WriteString(".\n\n")
	}
}

// distanceTable writes the distances and diversity at generation gen.
func (r *run) distanceTable(b *strings.Builder, gen int) bool {
	cols := []struct{ metric, name string }{
		{"kl_real", "KL to real (nats)"}, {"tv_real", "TV to real"}, {"tv_pred", "TV to prediction"},
		{"entropy", "entropy (nats)"}, {"zero_mass", "zero mass"},
		{"heldout_nll", "held-out NLL"}, {"energy_distance", "energy distance"},
	}
	var use []int
	for i, c := range cols {
		if r.emp.hasMetric(c.metric) {
			use = append(use, i)
		}
	}
	if len(use) == 0 {
		return false
	}
	header := []string{"model"}
	for _, i := range use {
		header = append(header, cols[i].name)
	}
	var rows [][]string
	for _, m := range r.models {
		row := []string{m}
		has := false
		for _, i := range use {
			mean, half, ok := valueAt(r.emp, m, cols[i].metric, gen)
			has = has || ok
			row = append(row, fmtMeanCI(mean, half))
		}
		if has {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return false
	}
	mdTable(b, header, rows)
	return true
}

// convergenceTable writes the infinite loop's rate facts and, per model,
// the convergence as compare judges it: tv_prev never reaches 0 in a
// finite loop but settles on a noise floor, which the finite-sample theory
// predicts (prediction.csv's finite/tv_prev). The table gives tv_prev's
// mean over the generations after burn-in (compare.BurnIn), measured and
// predicted, their ratio, and the first generation at which tv_prev lies
// within compare.FloorWithin of that floor (compare.NearFloor), measured
// and predicted.
func (r *run) convergenceTable(b *strings.Builder) {
	tol := r.tol()
	var facts []string
	if rho, ok := r.theory.rho(); ok {
		state := "stable: distances shrink like ρ^t"
		if rho >= 1 {
			state = "not below 1: no convergence predicted"
		}
		facts = append(facts, fmt.Sprintf("infinite loop: predicted rate ρ = %s (%s)", fmtNum(rho), state))
	}
	if r.theory != nil && r.theory.Contraction != nil {
		holds := "does not hold"
		if r.theory.Contraction.Holds {
			holds = "holds"
		}
		facts = append(facts, fmt.Sprintf("global contraction bound %s (%s)", fmtNum(r.theory.Contraction.Bound), holds))
	}
	src := "default"
	switch {
	case r.theory != nil && r.theory.Tol != nil && *r.theory.Tol > 0:
		src = runfolder.TheoryFile
	case r.cfg != nil && r.cfg.tol > 0:
		src = "config"
	}
	toTol := ""
	if r.theory != nil && r.theory.GenerationsToTol != nil {
		toTol = fmt.Sprintf(", %s generations predicted to shrink by it", fmtNum(*r.theory.GenerationsToTol))
	}
	facts = append(facts, fmt.Sprintf("tolerance %s (%s)%s", fmtNum(tol), src, toTol))
	b.WriteString(strings.ToUpper(facts[0][:1]) + facts[0][1:])
	for _, f := range facts[1:] {
		b.WriteString("; " + f)
	}
	b.WriteString(".\n\n")

	last, _ := r.lastGen()
	gens, burn := last, 0
	if r.cfg != nil && r.cfg.generations > 0 {
		gens, burn = r.cfg.generations, r.cfg.burnIn
	}
	burn = compare.BurnIn(gens, burn)
	var rows [][]string
	unpredicted := false
	for _, m := range r.models {
		s := r.emp.series(m, "tv_prev")
		if s == nil {
			continue
		}
		measured := floorAfter(s, burn)
		predicted := floorAfter(r.pred.series(m, train.FiniteMetric+"tv_prev"), burn)
		row := []string{m, fmtNum(measured)}
		if math.IsNaN(predicted) {
			row = append(row, "not predicted", "—", floorReached(s, measured), "not predicted")
			unpredicted = true
		} else {
			row = append(row, fmtNum(predicted), fmtNum(measured/predicted),
				floorReached(s, measured), floorReached(r.pred.series(m, train.FiniteMetric+"tv_prev"), predicted))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		b.WriteString("_No tv_prev metric: no observed convergence._\n\n")
		return
	}
	within := fmt.Sprintf("within %g%% of floor", 100*compare.FloorWithin)
	mdTable(b, []string{"model", fmt.Sprintf("tv_prev floor: mean after generation %d, measured", burn), "predicted (finite-sample)",
		"measured / predicted", "first generation " + within + ", measured", "predicted"}, rows)
	notes := "The floor is tv_prev's mean over the generations after burn-in; the loop converges as predicted when its floor is the predicted one (compare tests this over seeds)."
	if r.seeds > 1 {
		notes += fmt.Sprintf(" Measured values are means over %d seeds.", r.seeds)
	}
	if unpredicted {
		why := "prediction.csv has no finite/tv_prev rows"
		if r.theory != nil && r.theory.SpreadError != "" {
			why += " (" + runfolder.TheoryFile + ": " + r.theory.SpreadError + ")"
		}
		notes += " Not predicted: " + why + "."
	}
	b.WriteString(notes + "\n\n")
}

// floorAfter is the mean of a series over the generations after burn
// (NaN when it has none there).
func floorAfter(s *series, burn int) float64 {
	if s == nil {
		return math.NaN()
	}
	sum, n := 0.0, 0
	for i, g := range s.gens {
		if g > burn {
			sum += s.mean[i]
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// floorReached is the first generation (from 1) at which a series lies
// within compare.FloorWithin of floor, or "never".
func floorReached(s *series, floor float64) string {
	if s == nil || math.IsNaN(floor) {
		return "—"
	}
	for i, g := range s.gens {
		if g >= 1 && compare.NearFloor(s.mean[i], floor) {
			return fmt.Sprint(g)
		}
	}
	return "never"
}

// influenceTable writes the influence verdicts.
func (r *run) influenceTable(b *strings.Builder) {
	var rows [][]string
	for _, in := range r.influence {
		meas := "—"
		if finite(in.Measured) {
			meas = fmtNum(in.Measured)
			if finite(in.CILow) && finite(in.CIHigh) {
				meas += fmt.Sprintf(" [%s, %s]", fmtNum(in.CILow), fmtNum(in.CIHigh))
			}
		}
		kind := r.influenceKind(in)
		ml := in.MeasuredLabel
		if ml == "" {
			ml = "—"
		}
		rows = append(rows, []string{in.Knob, kind, in.Model, in.Population, fmtNum(in.Predicted), fmtNum(in.Isolated), meas, in.Label, ml, in.Verdict})
	}
	mdTable(b, []string{"knob", "kind", "model", "population", "predicted", "isolated", "measured [95% CI]", "theory label", "measured label", "verdict"}, rows)
}

// rewardModelTable writes reward_models.csv as one row per population.
func (r *run) rewardModelTable(b *strings.Builder) {
	var pops, metrics names
	val := make(map[[2]string]float64)
	for _, rm := range r.rewardModels {
		pops.add(rm.Population)
		metrics.add(rm.Metric)
		val[[2]string{rm.Population, rm.Metric}] = rm.Value
	}
	header := append([]string{"population"}, metrics.list...)
	var rows [][]string
	for _, p := range pops.list {
		row := []string{p}
		for _, m := range metrics.list {
			v, ok := val[[2]string{p, m}]
			if !ok {
				v = math.NaN()
			}
			row = append(row, fmtNum(v))
		}
		rows = append(rows, row)
	}
	mdTable(b, header, rows)
}

// comparisonTable writes comparison.csv's rows at its last generation.
func (r *run) comparisonTable(b *strings.Builder) (gen int, ok bool) {
	gen = math.MinInt
	for _, c := range r.comparison {
		gen = max(gen, c.Generation)
	}
	var rows [][]string
	for _, c := range r.comparison {
		if c.Generation != gen {
			continue
		}
		rows = append(rows, []string{c.Model, c.Metric, fmtNum(c.Mean), fmt.Sprintf("[%s, %s]", fmtNum(c.CILow), fmtNum(c.CIHigh)), fmtNum(c.Predicted), fmtNum(c.AbsError)})
	}
	if len(rows) == 0 {
		return 0, false
	}
	slices.SortStableFunc(rows, func(a, b []string) int {
		return slices.Index(r.models, a[0]) - slices.Index(r.models, b[0])
	})
	mdTable(b, []string{"model", "metric", "measured mean", "95% CI", "predicted", "abs error"}, rows)
	return gen, true
}
