package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train/family"
	"github.com/selfconsume/selfconsume/train/theory"
)

// Prediction is the analytic side of an experiment: the trajectory of the
// population-level map from the run's generation-0 tables, its fixed point
// with its stability, the convergence numbers, the contraction condition
// and, with a knob, the influence of curation on every model's alignment.
type Prediction struct {
	Curator    string
	System     *theory.System
	Trajectory [][]*data.Table // [generation][model], generation 0 = the start
	// Fixed is the fixed point the solver reached from the trajectory's last
	// state; a model's part of it is a prediction only if its component is
	// attracting or neutral (see Predicted).
	Fixed    *theory.FixedPoint
	FixedErr error
	// GenerationsMap is the first generation of the map's trajectory from
	// generation 0 at which System.TV to the fixed point is at most Tol
	// times its initial value (-1: some model's fixed point is not a
	// prediction, or not reached within approachCap generations).
	GenerationsMap int
	Contraction    theory.Contraction
	Influence      *theory.Influence
	InfluenceFD    [][]float64 // finite-difference check of Influence.Total
	InfluenceErr   error
	Components     []Component // per group of interacting models: its own rate
	Tol            float64
	// Accumulate: the regime keeps past data (accumulate,
	// accumulate-subsample); the trajectory is the accumulating map's (see
	// theory.System.AccumulateStep), with the fixed point, stability and
	// influence of Phi.
	Accumulate bool
	Spread     *Spread // finite-sample spread; nil with SpreadErr saying why
	SpreadErr  error
}

// Fixed-point solve of a prediction.
const (
	// fixedTol is the residual the fixed point is solved to.
	fixedTol = 1e-12
	// approachCap caps the generations GenerationsMap follows the map.
	approachCap = 20000
	// pathBudget caps the bytes of the solve's plain iterates kept for
	// GenerationsMap (theory.Path; scale-cat: 256 generations of 1 MB).
	pathBudget = 256 << 20
)

// Predict runs the analytic map for cfg.Generations generations from start
// (nil: from the real table), solves for the fixed point from the last
// state (theory.System.FixedPoint: the attractor of that trajectory, its
// stability checked), follows the map from start until it is within Tol of
// the fixed point and, when the config names a knob model, computes the
// influences (when its component's fixed point is a prediction).
func Predict(cfg config.Config, w *World, start []*data.Table, curator string) (*Prediction, error) {
	return PredictContext(context.Background(), cfg, w, start, curator)
}

// PredictContext is Predict that stops with ctx's error once ctx is
// cancelled: it looks between generations of the trajectory, and returns at
// once from the solver's parts (fixed point, approach, contraction,
// influences).
func PredictContext(ctx context.Context, cfg config.Config, w *World, start []*data.Table, curator string) (*Prediction, error) {
	return predict(ctx, cfg, w, start, curator, true)
}

// PredictMean is PredictContext without the finite-sample spread (Spread
// stays nil, SpreadErr says so): the infinite loop's trajectory, fixed
// point, rates, contraction and influences, for callers that use nothing
// else (a regime map's cells, where the spread was about 40% of the work).
func PredictMean(ctx context.Context, cfg config.Config, w *World, start []*data.Table, curator string) (*Prediction, error) {
	return predict(ctx, cfg, w, start, curator, false)
}

// errNoSpread is SpreadErr of a PredictMean.
var errNoSpread = errors.New("no finite-sample spread: not asked for")

func predict(ctx context.Context, cfg config.Config, w *World, start []*data.Table, curator string, withSpread bool) (*Prediction, error) {
	sys := w.System(cfg, curator)
	err := sys.Validate()
	if err != nil {
		return nil, err
	}
	if start == nil {
		start = sys.Start()
	}
	p := &Prediction{Curator: curator, System: sys, Tol: cfg.Theory.Tol, GenerationsMap: -1}
	p.Accumulate = cfg.Regime != config.RegimeReplace
	if p.Trajectory, err = p.trajectory(ctx, start, cfg.Generations); err != nil {
		return nil, err
	}
	last := p.Trajectory[len(p.Trajectory)-1]
	type solved struct {
		fp   theory.FixedPoint
		path *theory.Path
		err  error
	}
	// The solve starts from the trajectory's last state, so its plain
	// iterates continue the trajectory: kept (replace regime, whose map is
	// Phi) for the count along the map, which need not compute them again.
	budget := 0
	if !p.Accumulate {
		budget = pathBudget
	}
	fps, err := whileRunning(ctx, func() solved {
		fp, path, err := sys.FixedPointPath(last, fixedTol, budget)
		return solved{fp, path, err}
	})
	if err != nil {
		return nil, err
	}
	fp := fps.fp
	if fps.err != nil {
		p.FixedErr = fps.err
	} else {
		p.Fixed = &fp
		p.Components = componentRates(sys, &fp)
		// approach writes only p, which is dropped if ctx is cancelled; the
		// accumulating map's count is not followed (see
		// theory.AccumulateGenerationsTo).
		if !p.Accumulate {
			if _, err := whileRunning(ctx, func() bool { p.approach(fps.path); return true }); err != nil {
				return nil, err
			}
		}
	}
	fps.path = nil // up to pathBudget of memory, not needed further
	if !withSpread {
		p.SpreadErr = errNoSpread
	} else if p.SpreadErr, err = whileRunning(ctx, func() error { return p.spread(cfg, w) }); err != nil {
		return nil, err // spread writes only p, dropped here
	}
	probes := [][]*data.Table{start}
	if p.Fixed != nil {
		probes = append(probes, p.Fixed.P)
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
			if err == nil && !p.Predicted(k) {
				err = fmt.Errorf("the fixed point of %s's component is %s (spectral radius %.4g): no influence", cfg.Models[k].Name, p.Stability(k), p.componentRho(k))
			}
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

// approach sets GenerationsMap and the components' GenerationsMap from the
// map's trajectory from its start (p.Trajectory, then path, the solve's
// plain iterates from the trajectory's last state, then on), for the
// components whose fixed point is a prediction.
func (p *Prediction) approach(path *theory.Path) {
	var groups [][]int
	var which []int
	all := true
	for k, idx := range p.Fixed.Components {
		if theory.Predicts(p.Fixed.ComponentRho[k]) {
			groups = append(groups, idx)
			which = append(which, k)
		} else {
			all = false
		}
	}
	if len(groups) == 0 {
		return
	}
	whole := len(p.Fixed.Components) > 1 && all
	if whole {
		groups = append(groups, nil)
		for i := range p.System.Models {
			groups[len(groups)-1] = append(groups[len(groups)-1], i)
		}
	}
	gens := p.System.ApproachPath(p.Trajectory, path, p.Fixed.P, groups, p.Tol, approachCap)
	for g, k := range which {
		p.Components[k].GenerationsMap = gens[g]
	}
	switch {
	case whole:
		p.GenerationsMap = gens[len(gens)-1]
	case all:
		p.GenerationsMap = gens[0]
	}
}

// componentRho returns the spectral radius of model i's component at the
// fixed point (NaN without one).
func (p *Prediction) componentRho(i int) float64 {
	if p.Fixed == nil {
		return math.NaN()
	}
	for k, idx := range p.Fixed.Components {
		for _, j := range idx {
			if j == i {
				return p.Fixed.ComponentRho[k]
			}
		}
	}
	return math.NaN()
}

// Predicted reports whether model i's part of the fixed point is a
// prediction: its component is attracting or neutral (theory.Predicts), so
// the fixed point is where the trajectory settles.
func (p *Prediction) Predicted(i int) bool { return theory.Predicts(p.componentRho(i)) }

// Stability describes model i's part of the fixed point by its component's
// spectral radius (theory.Stable: attracting, neutral, repelling), with
// ", boundary" when the model has lost cells holding more than 1e-9 of the
// real mass (theory.FixedPoint.Emptied); "" without a fixed point.
func (p *Prediction) Stability(i int) string {
	if p.Fixed == nil {
		return ""
	}
	s := theory.Stable(p.componentRho(i))
	if theory.Boundary(p.Fixed.Emptied[i]) {
		s += ", boundary"
	}
	return s
}

func modelIndex(cfg config.Config, name string) int {
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

// GenerationsToTol is the asymptotic estimate of the generations for the
// distance to the fixed point to shrink by the factor tol: log(tol)/log(rho)
// under replace, tol^(-1/(1-rho)) under the accumulating regimes
// (GenerationsMap is the count along the map's own trajectory).
func (p *Prediction) GenerationsToTol() float64 {
	return p.generationsTo(p.Rho())
}

// ComponentGenerationsToTol is GenerationsToTol at spectral radius rho (one
// component's).
func (p *Prediction) ComponentGenerationsToTol(rho float64) float64 {
	return p.generationsTo(rho)
}

// AsymptoticFormula names the formula of GenerationsToTol.
func (p *Prediction) AsymptoticFormula() string {
	if p.Accumulate {
		return "tol^(-1/(1-rho))"
	}
	return "log(tol)/log(rho)"
}

// PredictedConvergence is the first generation of the predicted trajectory
// at which TV(p_t, p_{t-1}) falls below tol for every model (-1: never
// within the trajectory).
func (p *Prediction) PredictedConvergence(ctx []float64) int {
	for t := 1; t < len(p.Trajectory); t++ {
		ok := true
		for i := range p.Trajectory[t] {
			if family.TV(p.Trajectory[t][i], p.Trajectory[t-1][i], ctx) >= p.Tol {
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
func (p *Prediction) Rows(cfg config.Config, w *World) []Row {
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
			kl, tv, ent, zero := family.TableMetrics(tab, w.Real, w.Context)
			add("kl_real", kl)
			add("tv_real", tv)
			add("entropy", ent)
			add("zero_mass", zero)
			if t > 0 {
				add("tv_prev", family.TV(tab, p.Trajectory[t-1][i], w.Context))
			}
		}
	}
	return append(rows, p.spreadRows(cfg)...)
}

// String is a one-line summary.
func (p *Prediction) String() string {
	return fmt.Sprintf("rho %.4g, generations to %g: %d by the map, %.3g by rho", p.Rho(), p.Tol, p.GenerationsMap, p.GenerationsToTol())
}

// PredictExperiment runs the experiment's set-up and generation 0 (the
// learned curators and the generation-0 fits the prediction starts from),
// then the prediction, and writes config.yaml, theory.json, prediction.csv
// and prediction_tables.csv into dir.
func PredictExperiment(ctx context.Context, cfg config.Config, dir, curator string) (*Prediction, runfolder.Theory, error) {
	zero := cfg
	zero.Generations = 0
	zero.Theory.Predict = false       // predicted below, over cfg's generations
	zero.Metrics = config.MetricsFull // the planar grid tables of generation 0, which the prediction starts from
	res, err := Run(ctx, zero, Options{})
	if err != nil {
		return nil, runfolder.Theory{}, err
	}
	p, err := PredictContext(ctx, cfg, res.World, res.Tables[0], curator)
	if err != nil {
		return nil, runfolder.Theory{}, Interrupted(ctx, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, runfolder.Theory{}, err
	}
	y, err := cfg.YAML()
	if err != nil {
		return nil, runfolder.Theory{}, err
	}
	if err := runfolder.WriteFileAtomic(filepath.Join(dir, runfolder.ConfigFile), y); err != nil {
		return nil, runfolder.Theory{}, err
	}
	ts, err := writeTheoryFiles(dir, cfg, []*Prediction{p}, []*World{res.World})
	return p, ts, err
}
