package train

import (
	"fmt"
	"math"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train/theory"
)

// Spread is the finite-sample side of a prediction (theory.System.SpreadPath):
// how far a run's tables wander around the predicted trajectory because each
// generation trains on finite samples, assuming each fit reproduces its
// sample's empirical law. It is conditional on generation 0 and on the
// learned curator (Sigma_0 = 0), like the paired comparison: the seed-to-seed
// spread of a metric adds the spread of the seeds' own predictions.
type Spread struct {
	// SD[t][i][a] is the predicted standard deviation of model i's
	// reward/<population a> at generation t around the predicted mean.
	SD [][][]float64
	// TVPred[t][i] is the expected tv_pred of model i at generation t (the
	// context-weighted TV between a run's table and the prediction), and
	// TVPrev[t][i] the expected tv_prev (t >= 1; TVPrev[0] is nil): both
	// with each cell's deviation taken as Gaussian, E|d| for d ~ N(mu, s^2).
	// TVReal[t][i] is the expected tv_real likewise (mu the predicted
	// table minus the real one): under drift it grows while the infinite
	// loop's stays put.
	TVPred, TVPrev, TVReal [][]float64
	// StationarySD[i][a] is the standard deviation of reward/<population a>
	// in the stationary regime at the fixed point; NaN where model i's
	// fixed point is not attracting (no stationary spread).
	StationarySD [][]float64
}

// SpreadMetric is the prefix of the prediction.csv metrics that give a
// metric's predicted standard deviation: sd/reward/<population>.
const SpreadMetric = "sd/"

// FiniteMetric is the prefix of the prediction.csv metrics that give a
// metric's finite-sample expectation where the infinite loop's is not it:
// finite/tv_prev, finite/tv_real and finite/tv_pred (whose infinite-loop
// value is 0).
const FiniteMetric = "finite/"

// sampling is the run's sampling scheme as loop.generation draws it: the
// exact counts, raw pools as large as the largest consumer's count, curated
// pools of at least curation.pool.
func sampling(w *World, cfg config.Config) theory.Sampling {
	m := len(cfg.Models)
	smp := theory.Sampling{Counts: w.Counts, RawPool: make([]int, m), CuratedPool: make([]int, m)}
	for j := 0; j < m; j++ {
		smp.CuratedPool[j] = cfg.Curation.Pool
		for _, k := range w.Counts {
			smp.RawPool[j] = max(smp.RawPool[j], k[1+j])
			smp.CuratedPool[j] = max(smp.CuratedPool[j], k[1+m+j])
		}
	}
	return smp
}

// spreadSupported says why the spread is not predicted for cfg ("" when it
// is): it needs a family that supports it (kind.NoSpread), the replace
// regime, and a fixed curator.
func spreadSupported(cfg config.Config) string {
	k, err := kindOf(cfg)
	switch {
	case err != nil:
		return err.Error()
	case k.NoSpread != "":
		return k.NoSpread
	case cfg.Regime != config.RegimeReplace:
		return "regime " + cfg.Regime
	case cfg.RewardModel.Refit:
		return "refitted reward models"
	}
	return ""
}

// spreadBudget bounds the work of a prediction's spread (theory's
// SpreadFlops): about half a minute of one core. bench-cat's 20 generations
// (3 models of 64 tokens, 16 contexts) need 1.4e10; quickstart's 20, 8.5e8.
const spreadBudget = 3e10

// spread computes p.Spread along the trajectory (and at the fixed point).
func (p *Prediction) spread(cfg config.Config, w *World) error {
	if why := spreadSupported(cfg); why != "" {
		return fmt.Errorf("no finite-sample spread: %s", why)
	}
	s := p.System
	if f := s.SpreadFlops(len(p.Trajectory) - 1); f > spreadBudget {
		return fmt.Errorf("no finite-sample spread: %.3g floating-point operations (%d contexts of %d x %d blocks over %d generations) exceed the budget %.3g", f, s.Real.C, len(s.Models)*s.Real.V, len(s.Models)*s.Real.V, len(p.Trajectory)-1, spreadBudget)
	}
	smp := sampling(w, cfg)
	m, na := len(s.Models), s.NumPops()
	grads := make([][][]float64, m)
	for i := range grads {
		for a := 0; a < na; a++ {
			grads[i] = append(grads[i], s.RewardGradient(i, a))
		}
	}
	sp := &Spread{}
	real := s.Start()
	err := s.SpreadPath(p.Trajectory, smp, func(t int, sigma theory.Cov, step []float64) {
		sd := make([][]float64, m)
		for i := range sd {
			for a := 0; a < na; a++ {
				sd[i] = append(sd[i], math.Sqrt(math.Max(sigma.Var(grads[i][a]), 0)))
			}
		}
		sp.SD = append(sp.SD, sd)
		cells := sigma.CellVar()
		sp.TVPred = append(sp.TVPred, expectedTV(s, cells, nil, nil))
		sp.TVReal = append(sp.TVReal, expectedTV(s, cells, p.Trajectory[t], real))
		if t == 0 {
			sp.TVPrev = append(sp.TVPrev, nil)
			return
		}
		sp.TVPrev = append(sp.TVPrev, expectedTV(s, step, p.Trajectory[t], p.Trajectory[t-1]))
	})
	if err != nil {
		return err
	}
	sp.StationarySD = make([][]float64, m)
	for i := range sp.StationarySD {
		for a := 0; a < na; a++ {
			sd := math.NaN()
			if p.Fixed != nil && theory.Stable(p.componentRho(i)) == theory.StableAttracting {
				vr, err := s.StationaryVar(p.Fixed.P, smp, grads[i][a])
				if err != nil {
					return err
				}
				sd = math.Sqrt(math.Max(vr, 0))
			}
			sp.StationarySD[i] = append(sp.StationarySD[i], sd)
		}
	}
	p.Spread = sp
	return nil
}

// expectedTV returns per model sum_c w(c)/2 sum_y E|d| with d ~ N(mu, var)
// per cell, mu = a - b (0 when a is nil), var from cellVar (index
// c*M*V + i*V + y).
func expectedTV(s *theory.System, cellVar []float64, a, b []*data.Table) []float64 {
	m, v := len(s.Models), s.Real.V
	out := make([]float64, m)
	for c := 0; c < s.Real.C; c++ {
		for i := 0; i < m; i++ {
			row := 0.0
			for y := 0; y < v; y++ {
				mu := 0.0
				if a != nil {
					mu = a[i].At(c, y) - b[i].At(c, y)
				}
				row += foldedMean(mu, math.Sqrt(math.Max(cellVar[c*m*v+i*v+y], 0)))
			}
			out[i] += s.Context[c] * row / 2
		}
	}
	return out
}

// foldedMean is E|d| for d ~ N(mu, sd^2).
func foldedMean(mu, sd float64) float64 {
	if sd == 0 {
		return math.Abs(mu)
	}
	z := mu / sd
	return sd*math.Sqrt(2/math.Pi)*math.Exp(-z*z/2) + mu*math.Erf(z/math.Sqrt2)
}

// spreadRows returns the spread as prediction rows: sd/reward/<population>
// per generation and model, finite/tv_real, finite/tv_pred and
// finite/tv_prev.
func (p *Prediction) spreadRows(cfg config.Config) []Row {
	if p.Spread == nil {
		return nil
	}
	var rows []Row
	for t, sd := range p.Spread.SD {
		for i, m := range cfg.Models {
			add := func(metric string, v float64) {
				rows = append(rows, Row{Generation: t, Model: m.Name, Metric: metric, Value: v})
			}
			for a, pop := range cfg.Populations {
				add(SpreadMetric+"reward/"+pop.Name, sd[i][a])
			}
			add(FiniteMetric+"tv_real", p.Spread.TVReal[t][i])
			if t > 0 {
				add(FiniteMetric+"tv_pred", p.Spread.TVPred[t][i])
				add(FiniteMetric+"tv_prev", p.Spread.TVPrev[t][i])
			}
		}
	}
	return rows
}

// stationarySummary averages the stationary standard deviations over the
// seeds where they exist (nil when none does).
func stationarySummary(cfg config.Config, preds []*Prediction) map[string]map[string]runfolder.Float {
	var out map[string]map[string]runfolder.Float
	for i, m := range cfg.Models {
		for a, pop := range cfg.Populations {
			var v []float64
			for _, p := range preds {
				if p.Spread != nil && !math.IsNaN(p.Spread.StationarySD[i][a]) {
					v = append(v, p.Spread.StationarySD[i][a])
				}
			}
			if len(v) == 0 {
				continue
			}
			if out == nil {
				out = map[string]map[string]runfolder.Float{}
			}
			if out[m.Name] == nil {
				out[m.Name] = map[string]runfolder.Float{}
			}
			out[m.Name]["reward/"+pop.Name] = runfolder.Float(mean(v))
		}
	}
	return out
}
