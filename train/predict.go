package train

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"selfconsume/curate"
	"selfconsume/data"
	"selfconsume/train/theory"
)

// Curator modes of a prediction: whose reward curates in the analytic map.
const (
	CuratorLearned = "learned" // the learned reward models' tables, as in the run
	CuratorTrue    = "true"    // the true rewards: separates reward-model error from loop error
)

// System is the population-level map of the experiment (THEORY.md section
// 3): the same mixture weights (knob shift included), populations and
// curation law as the run, with the learned curators' tables or the true
// rewards as curators.
func (w *World) System(cfg Config, curator string) *theory.System {
	M := len(cfg.Models)
	s := &theory.System{Context: w.Context, Real: w.Real, TrueReward: w.Truth,
		Law: curate.Law{K: cfg.Curation.K, Tau: cfg.Curation.Tau}, CurateReward: w.Curator}
	if curator == CuratorTrue || w.Curator == nil {
		s.CurateReward = w.Truth
	}
	for _, p := range cfg.Populations {
		s.PopNames = append(s.PopNames, p.Name)
	}
	for i, m := range cfg.Models {
		wt := w.Weights[i]
		s.Models = append(s.Models, theory.Model{Name: m.Name, Pop: w.PopIndex[i], Real: wt[0],
			Raw: append([]float64(nil), wt[1:1+M]...), Curated: append([]float64(nil), wt[1+M:]...)})
	}
	return s
}

// Prediction is the analytic side of an experiment: the trajectory of the
// population-level map from the run's generation-0 tables, its fixed point,
// convergence rate, contraction condition and, with a knob, the influence of
// curation on every model's alignment.
type Prediction struct {
	Curator      string
	System       *theory.System
	Trajectory   [][]*data.Table // [generation][model], generation 0 = the start
	Fixed        *theory.FixedPoint
	FixedErr     error
	Contraction  theory.Contraction
	Influence    *theory.Influence
	InfluenceFD  [][]float64 // finite-difference check of Influence.Total
	InfluenceErr error
	Components   []Component // per group of interacting models: its own rate
	Tol          float64
}

// Predict runs the analytic map for cfg.Generations generations from start
// (nil: from the real table), then solves for the fixed point and, when the
// config names a knob model, the influences.
func Predict(cfg Config, w *World, start []*data.Table, curator string) (*Prediction, error) {
	return PredictContext(context.Background(), cfg, w, start, curator)
}

// PredictContext is Predict that stops with ctx's error once ctx is
// cancelled: it looks between generations of the trajectory, and returns at
// once from the solver's parts (fixed point, contraction, influences).
func PredictContext(ctx context.Context, cfg Config, w *World, start []*data.Table, curator string) (*Prediction, error) {
	sys := w.System(cfg, curator)
	err := sys.Validate()
	if err != nil {
		return nil, err
	}
	if start == nil {
		start = sys.Start()
	}
	p := &Prediction{Curator: curator, System: sys, Tol: cfg.Theory.Tol}
	if p.Trajectory, err = trajectory(ctx, sys, start, cfg.Generations); err != nil {
		return nil, err
	}
	last := p.Trajectory[len(p.Trajectory)-1]
	type solved struct {
		fp  theory.FixedPoint
		err error
	}
	fps, err := whileRunning(ctx, func() solved {
		fp, err := sys.FixedPoint(last, 1e-12)
		return solved{fp, err}
	})
	if err != nil {
		return nil, err
	}
	fp := fps.fp
	if fps.err != nil {
		p.FixedErr = fps.err
	} else {
		p.Fixed = &fp
	}
	probes := [][]*data.Table{start, last}
	if p.Fixed != nil {
		probes = append(probes, p.Fixed.P)
		if p.Components, err = whileRunning(ctx, func() []Component { return componentRates(sys, fp.P) }); err != nil {
			return nil, err
		}
	}
	if p.Contraction, err = whileRunning(ctx, func() theory.Contraction { return sys.Contraction(probes...) }); err != nil {
		return nil, err
	}
	if k := modelIndex(cfg, cfg.Theory.Knob.Model); k >= 0 && p.Fixed != nil {
		type influences struct {
			in  *theory.Influence
			fd  [][]float64
			err error
		}
		r, err := whileRunning(ctx, func() (r influences) {
			kn, err := theory.CuratedShare(sys, k)
			if err == nil {
				var in theory.Influence
				if in, err = sys.Influence(kn, fp); err == nil {
					r.in = &in
					r.fd, err = sys.InfluenceFD(kn, fp.P, 1e-4, 1e-13)
				}
			}
			r.err = err
			return r
		})
		if err != nil {
			return nil, err
		}
		p.Influence, p.InfluenceFD, p.InfluenceErr = r.in, r.fd, r.err
	}
	return p, nil
}

// whileRunning runs f, which does not look at ctx (the theory solver's
// parts take up to seconds each on a planar grid), and returns its result,
// or ctx's error as soon as ctx is cancelled: f is then left to finish in
// the background and its result dropped. f must not change shared state.
func whileRunning[T any](ctx context.Context, f func() T) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// trajectory is sys.Trajectory, one generation at a time, looking at ctx
// before each.
func trajectory(ctx context.Context, sys *theory.System, start []*data.Table, generations int) ([][]*data.Table, error) {
	out := [][]*data.Table{start}
	for g := 0; g < generations; g++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out = append(out, sys.Step(out[len(out)-1]))
	}
	return out, nil
}

func modelIndex(cfg Config, name string) int {
	if name == "" {
		return -1
	}
	for i, m := range cfg.Models {
		if m.Name == name {
			return i
		}
	}
	return -1
}

// Rho is the spectral radius of D Phi at the fixed point (NaN without one).
func (p *Prediction) Rho() float64 {
	if p.Fixed == nil {
		return math.NaN()
	}
	return p.Fixed.Rho
}

// GenerationsToTol is log(tol)/log(rho): the predicted generations for the
// distance to the fixed point to shrink by the factor tol.
func (p *Prediction) GenerationsToTol() float64 {
	return theory.GenerationsTo(p.Rho(), p.Tol)
}

// PredictedConvergence is the first generation of the predicted trajectory
// at which TV(p_t, p_{t-1}) falls below tol for every model (-1: never
// within the trajectory).
func (p *Prediction) PredictedConvergence(ctx []float64) int {
	for t := 1; t < len(p.Trajectory); t++ {
		ok := true
		for i := range p.Trajectory[t] {
			if TV(p.Trajectory[t][i], p.Trajectory[t-1][i], ctx) >= p.Tol {
				ok = false
			}
		}
		if ok {
			return t
		}
	}
	return -1
}

// Rows returns the predicted trajectory as tidy metrics rows: every
// population's reward, and the exact distances to the real table.
func (p *Prediction) Rows(cfg Config, w *World) []Row {
	var rows []Row
	for t, ps := range p.Trajectory {
		for i, tab := range ps {
			name := cfg.Models[i].Name
			add := func(metric string, v float64) {
				rows = append(rows, Row{Generation: t, Model: name, Metric: metric, Value: v})
			}
			for a, pop := range cfg.Populations {
				add("reward/"+pop.Name, tab.Expect(w.Context, w.Truth[a]))
			}
			kl, tv, ent, zero := tableMetrics(tab, w.Real, w.Context)
			add("kl_real", kl)
			add("tv_real", tv)
			add("entropy", ent)
			add("zero_mass", zero)
			if t > 0 {
				add("tv_prev", TV(tab, p.Trajectory[t-1][i], w.Context))
			}
		}
	}
	return rows
}

// String is a one-line summary.
func (p *Prediction) String() string {
	return fmt.Sprintf("rho %.4g, generations to %g: %.3g, contraction: %s", p.Rho(), p.Tol, p.GenerationsToTol(), p.Contraction.Verdict)
}

// PredictExperiment runs the experiment's set-up and generation 0 (the
// learned curators and the generation-0 fits the prediction starts from),
// then the prediction, and writes config.yaml, theory.json, prediction.csv
// and prediction_tables.csv into dir.
func PredictExperiment(ctx context.Context, cfg Config, dir, curator string) (*Prediction, TheorySummary, error) {
	zero := cfg
	zero.Generations = 0
	zero.Theory.Predict = false // predicted below, over cfg's generations
	zero.Metrics = MetricsFull  // the planar grid tables of generation 0, which the prediction starts from
	res, err := Run(zero, Options{Context: ctx})
	if err != nil {
		return nil, TheorySummary{}, err
	}
	p, err := PredictContext(ctx, cfg, res.World, res.Tables[0], curator)
	if err != nil {
		return nil, TheorySummary{}, Interrupted(ctx, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, TheorySummary{}, err
	}
	y, err := cfg.YAML()
	if err != nil {
		return nil, TheorySummary{}, err
	}
	if err := WriteFileAtomic(filepath.Join(dir, ConfigFile), y); err != nil {
		return nil, TheorySummary{}, err
	}
	ts, err := writeTheoryFiles(dir, cfg, []*Prediction{p}, []*World{res.World})
	return p, ts, err
}
