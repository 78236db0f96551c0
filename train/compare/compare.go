package compare

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"selfconsume/train"
	"selfconsume/train/stats"
	"selfconsume/train/sweep"
)

// ShiftKey is the config key the influence runs sweep.
const ShiftKey = "theory.knob.shift"

// Options say how to run a comparison.
type Options struct {
	Seeds    int
	Workers  int // cells at once (0: one per CPU)
	Progress io.Writer
}

// Run prepares (or continues) the comparison folder dir for the config at
// path with the overrides sets, runs every missing cell locally, and
// aggregates the result.
func Run(ctx context.Context, path string, sets []string, dir string, o Options) (*Result, error) {
	cfg, err := train.Load(path, sets, nil)
	if err != nil {
		return nil, err
	}
	if o.Seeds < 1 {
		return nil, fmt.Errorf("--seeds %d: need at least 1", o.Seeds)
	}
	spec := Spec(path, sets, cfg, o.Seeds)
	if err := sweep.Prepare(dir, spec); err != nil {
		return nil, err
	}
	status, err := sweep.RunLocal(ctx, dir, o.Workers, o.Progress)
	if err != nil {
		return nil, err
	}
	if err := status.Err(); err != nil {
		return nil, err
	}
	return Aggregate(dir)
}

// Spec is the sweep a comparison runs: the config's seeds with the world
// (real data, true rewards) held fixed, every run carrying its prediction,
// and with a knob the shifts -delta, 0, +delta.
func Spec(path string, sets []string, cfg train.Config, seeds int) sweep.Spec {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	all := append(append([]string(nil), sets...),
		"world_seed="+strconv.FormatUint(cfg.EffectiveWorldSeed(), 10), "theory.predict=true")
	s := sweep.Spec{Base: abs, Sets: all, Seeds: seeds}
	if cfg.Theory.Knob.Model != "" {
		d := strconv.FormatFloat(cfg.Theory.Delta, 'g', -1, 64)
		s.Grid = sweep.Grid{{Key: ShiftKey, Values: []string{"-" + d, "0", d}}}
	}
	return s
}

// Influence is the measured and predicted influence of the knob on one
// model's alignment.
type Influence struct {
	Model, Population  string
	Predicted          float64 // mean over seeds of the implicit-function prediction at the fixed point
	Isolated           float64
	Label              string
	Measured, Half     float64 // mean over seeds of (J(+delta) - J(-delta)) / (2 delta), and its 95% half-width
	Seeds              int
	SignAgrees, Inside bool
}

// Check is one agreement test of the comparison.
type Check struct {
	What   string
	Agrees bool
	Detail string
}

// Result is an aggregated comparison.
type Result struct {
	Config      train.Config
	Dir         string
	Seeds       int
	Comparison  []train.ComparisonRow
	Theory      train.TheorySummary
	Influence   []Influence
	Checks      []Check
	BurnIn      int
	ObservedGen float64 // first generation where every model's mean tv_prev < tol (NaN: never)
	NoiseFloor  float64 // mean tv_prev over the generations after burn-in (sampling noise of the loop)
}

// Agreeing counts the checks that agree.
func (r *Result) Agreeing() int {
	n := 0
	for _, c := range r.Checks {
		if c.Agrees {
			n++
		}
	}
	return n
}

// cellRun is one finished cell's files.
type cellRun struct {
	seed   uint64
	shift  string
	rows   []train.Row
	pred   []train.Row
	theory train.TheorySummary
	dir    string
}

// Aggregate reads the finished cells of a comparison folder and writes
// comparison.csv, influence.csv, theory.json, prediction.csv,
// prediction_tables.csv, config.yaml, seeds/seed-N/metrics.csv and the first
// seed's tables.csv at its top level.
func Aggregate(dir string) (*Result, error) {
	spec, err := sweep.LoadSpec(filepath.Join(dir, sweep.SpecFile))
	if err != nil {
		return nil, err
	}
	cells, err := spec.Cells()
	if err != nil {
		return nil, err
	}
	cfg, err := train.Load(spec.Base, spec.Sets, nil)
	if err != nil {
		return nil, err
	}
	var runs []cellRun
	for _, c := range cells {
		cd := sweep.CellDir(dir, c)
		if _, err := os.Stat(filepath.Join(cd, sweep.DoneFile)); err != nil {
			continue
		}
		r := cellRun{seed: c.Seed, dir: cd}
		r.shift, _ = c.Value(ShiftKey)
		if r.rows, err = train.ReadRows(filepath.Join(cd, train.MetricsFile)); err != nil {
			return nil, err
		}
		if r.pred, err = train.ReadRows(filepath.Join(cd, train.PredictionFile)); err != nil {
			return nil, err
		}
		if r.theory, err = train.ReadTheory(filepath.Join(cd, train.TheoryFile)); err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	var main []cellRun
	for _, r := range runs {
		if v, _ := strconv.ParseFloat(r.shift, 64); r.shift == "" || v == 0 {
			main = append(main, r)
		}
	}
	if len(main) == 0 {
		return nil, fmt.Errorf("%s: no finished run at the config's own weights", dir)
	}
	res := &Result{Config: cfg, Dir: dir, Seeds: len(main), BurnIn: burnIn(cfg)}
	var emp, pred [][]train.Row
	for _, r := range main {
		emp = append(emp, r.rows)
		pred = append(pred, r.pred)
	}
	res.Comparison = train.CompareRows(emp, pred)
	res.Theory = meanTheory(main)
	res.trajectoryChecks(emp, pred)
	res.convergence()
	if cfg.Theory.Knob.Model != "" {
		res.influence(runs)
	}
	return res, res.write(main)
}

// burnIn is the number of generations left out of time averages.
func burnIn(cfg train.Config) int {
	if cfg.Theory.BurnIn > 0 {
		return cfg.Theory.BurnIn
	}
	return cfg.Generations / 2
}

// alignment is model m's mean reward under its own population over the
// generations after burn-in.
func alignment(rows []train.Row, model, metric string, burn int) float64 {
	s, n := 0.0, 0
	for _, r := range rows {
		if r.Model == model && r.Metric == metric && r.Generation > burn {
			s += r.Value
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// trajectoryChecks compares, for every model and population, the reward
// averaged over the generations after burn-in: the paired difference
// (measured - predicted) over seeds must have 0 in its 95% interval.
func (r *Result) trajectoryChecks(emp, pred [][]train.Row) {
	for _, m := range r.Config.Models {
		for _, p := range r.Config.Populations {
			metric := "reward/" + p.Name
			var d, e, q []float64
			for s := range emp {
				a, b := alignment(emp[s], m.Name, metric, r.BurnIn), alignment(pred[s], m.Name, metric, r.BurnIn)
				d, e, q = append(d, a-b), append(e, a), append(q, b)
			}
			dm, dh, n := stats.MeanCI(d)
			em, eh, _ := stats.MeanCI(e)
			pm, _, _ := stats.MeanCI(q)
			r.Checks = append(r.Checks, Check{
				What:   fmt.Sprintf("%s %s after generation %d", m.Name, metric, r.BurnIn),
				Agrees: n >= 2 && math.Abs(dm) <= dh,
				Detail: fmt.Sprintf("measured %.4f +- %.4f, predicted %.4f, difference %+.4f +- %.4f", em, eh, pm, dm, dh),
			})
		}
	}
}

// convergence finds the first generation at which every model's mean
// tv_prev is below the tolerance, and the noise floor after burn-in.
func (r *Result) convergence() {
	r.ObservedGen = math.NaN()
	byGen := map[int][]float64{}
	floor := []float64{}
	maxGen := 0
	for _, c := range r.Comparison {
		if c.Metric != "tv_prev" {
			continue
		}
		byGen[c.Generation] = append(byGen[c.Generation], c.Mean)
		maxGen = max(maxGen, c.Generation)
		if c.Generation > r.BurnIn {
			floor = append(floor, c.Mean)
		}
	}
	for g := 1; g <= maxGen; g++ {
		ok := len(byGen[g]) > 0
		for _, v := range byGen[g] {
			ok = ok && v < r.Config.Theory.Tol
		}
		if ok {
			r.ObservedGen = float64(g)
			break
		}
	}
	r.NoiseFloor, _, _ = stats.MeanCI(floor)
}

// influence estimates each model's alignment influence from the paired
// -delta/+delta runs (same seed: common random numbers) and checks it
// against the mean prediction.
func (r *Result) influence(runs []cellRun) {
	cfg := r.Config
	delta := cfg.Theory.Delta
	plus, minus := map[uint64]cellRun{}, map[uint64]cellRun{}
	for _, run := range runs {
		v, err := strconv.ParseFloat(run.shift, 64)
		switch {
		case err != nil:
		case v > 0:
			plus[run.seed] = run
		case v < 0:
			minus[run.seed] = run
		}
	}
	for _, pi := range r.Theory.Influence {
		in := Influence{Model: pi.Model, Population: pi.Population, Predicted: float64(pi.Predicted), Isolated: float64(pi.Isolated), Label: pi.Label}
		var est []float64
		seeds := make([]uint64, 0, len(plus))
		for seed := range plus {
			seeds = append(seeds, seed)
		}
		slices.Sort(seeds)
		for _, seed := range seeds {
			p := plus[seed]
			m, ok := minus[seed]
			if !ok {
				continue
			}
			metric := "reward/" + pi.Population
			est = append(est, (alignment(p.rows, pi.Model, metric, r.BurnIn)-alignment(m.rows, pi.Model, metric, r.BurnIn))/(2*delta))
		}
		in.Measured, in.Half, in.Seeds = stats.MeanCI(est)
		in.SignAgrees = in.Seeds > 0 && math.Signbit(in.Measured) == math.Signbit(in.Predicted) && in.Measured != 0
		in.Inside = in.Seeds >= 2 && math.Abs(in.Measured-in.Predicted) <= in.Half
		r.Influence = append(r.Influence, in)
		kind := "cross"
		if in.Model == cfg.Theory.Knob.Model {
			kind = "self"
		}
		if in.Predicted == 0 {
			// The knob cannot reach this model (no data path): the check
			// is that the measured effect is nil too.
			r.Checks = append(r.Checks, Check{What: fmt.Sprintf("%s-influence on %s: none predicted", kind, in.Model),
				Agrees: math.Abs(in.Measured) <= in.Half, Detail: fmt.Sprintf("measured %+.4f +- %.4f", in.Measured, in.Half)})
			continue
		}
		r.Checks = append(r.Checks,
			Check{What: fmt.Sprintf("%s-influence on %s: sign", kind, in.Model), Agrees: in.SignAgrees,
				Detail: fmt.Sprintf("measured %+.4f +- %.4f, predicted %+.4f (%s)", in.Measured, in.Half, in.Predicted, in.Label)},
			Check{What: fmt.Sprintf("%s-influence on %s: prediction inside the 95%% interval", kind, in.Model), Agrees: in.Inside,
				Detail: fmt.Sprintf("|%+.4f - %+.4f| vs %.4f", in.Measured, in.Predicted, in.Half)})
	}
}
