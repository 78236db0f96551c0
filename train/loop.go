package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/family"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
	"github.com/selfconsume/selfconsume/runfolder"
)

// ErrInterrupted is returned when the run's context is cancelled; the last
// completed generation's checkpoint is kept. The error returned also wraps
// the context's own error (errors.Is(err, context.Canceled) holds too).
var ErrInterrupted = errors.New("interrupted")

// interruptError is ErrInterrupted wrapping the context's error.
type interruptError struct{ cause error }

func (e interruptError) Error() string        { return ErrInterrupted.Error() }
func (e interruptError) Is(target error) bool { return target == ErrInterrupted }
func (e interruptError) Unwrap() error        { return e.cause }

// Interrupted returns err as an interruption when ctx has been cancelled and
// err is (or wraps) ctx's error, and err unchanged otherwise: a phase that
// stopped because of ctx is told apart from one that failed.
func Interrupted(ctx context.Context, err error) error {
	if err == nil || ctx == nil || ctx.Err() == nil || errors.Is(err, ErrInterrupted) {
		return err
	}
	if errors.Is(err, ctx.Err()) {
		return interruptError{ctx.Err()}
	}
	return err
}

// Options control a run.
type Options struct {
	Out    string // run directory; "" writes nothing (benchmarks, tests)
	Resume bool   // continue from Out's checkpoint
	// Observe, when set, is called after every recorded generation
	// (generation 0 included, and from the first generation still to run on
	// a resume), from the goroutine that called Run: progress bars, live
	// plots and timing belong to the caller.
	Observe func(GenerationReport)
}

// Result is a finished (or interrupted) run.
type Result struct {
	Config      config.Config
	World       *World
	RewardStats []RewardModelStats
	Rows        []Row
	Tables      [][]*data.Table // [generation][model]
	Dir         string
}

// NaNError reports a non-finite loss: which model, generation and step.
type NaNError struct {
	Model      string
	Generation int
	Step       int
	Err        error
}

func (e *NaNError) Error() string {
	return fmt.Sprintf("model %s, generation %d, step %d: %v", e.Model, e.Generation, e.Step, e.Err)
}

// MetricError reports a generation whose parameters or metrics are NaN:
// the training diverged without a non-finite loss. The generation is not
// recorded; the run folder keeps the one before.
type MetricError struct {
	Model      string
	Generation int
	What       string // "metric <name>" or "parameters"
}

func (e *MetricError) Error() string {
	return fmt.Sprintf("model %s, generation %d: %s not finite (NaN): the training diverged; lower the model's lr", e.Model, e.Generation, e.What)
}

// nonFinite finds the first model whose parameters are not finite or whose
// metric is NaN at generation t. An infinite metric is a result, not an
// error: kl_real and the likelihoods are +Inf when a model gives a real
// token (or point) zero probability, and the run records it.
func nonFinite(cfg config.Config, t int, params [][]float64, rows []Row) error {
	for i, p := range params {
		for _, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return &MetricError{Model: cfg.Models[i].Name, Generation: t, What: "parameters"}
			}
		}
	}
	for _, r := range rows {
		if math.IsNaN(r.Value) {
			return &MetricError{Model: r.Model, Generation: t, What: "metric " + r.Metric}
		}
	}
	return nil
}

// loop is the state of a run between generations.
type loop[S any] struct {
	ctx      context.Context // the run's cancellation
	cfg      config.Config
	opt      Options
	fam      family.Family[S]
	models   []family.Trainable
	counts   [][]int    // per model: [real, raw_0..raw_{M-1}, curated_0..curated_{M-1}]
	acc      []data.Set // accumulated training data (accumulate regimes)
	params   [][]float64
	cur      []S // every model as it stands after the last generation
	rows     []Row
	dir      *runDir
	pred     *Prediction     // the analytic map from generation 0 (theory.predict)
	predRows []Row           // its trajectory as metrics rows
	targets  [][]*data.Table // [generation-1][model]: the mixture laws of fit_gap (fitTargets)
}

// Run executes the experiment: set-up, generation 0 on real data, then
// cfg.Generations self-consuming generations. Cancelling ctx stops the run
// within a few training steps with an error wrapping ErrInterrupted; the
// run folder keeps the last completed generation for Options.Resume.
func Run(ctx context.Context, cfg config.Config, opt Options) (*Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := Validate(cfg); err != nil {
		return nil, err
	}
	k, err := kindOf(cfg)
	if err != nil {
		return nil, err
	}
	return k.run(ctx, cfg, opt)
}

// runLoop is Run on the family newFamily builds.
func runLoop[S any](ctx context.Context, cfg config.Config, opt Options, newFamily func(config.Config) (family.Family[S], error)) (*Result, error) {
	l, start, err := begin(ctx, cfg, opt, newFamily)
	if err != nil {
		if l != nil && l.dir != nil && errors.Is(err, ErrInterrupted) {
			return l.result(), err // the run folder stays, for --resume
		}
		return nil, err
	}
	defer l.close()
	for t := start; t <= cfg.Generations; t++ {
		if err := ctx.Err(); err != nil {
			return l.result(), interruptError{err}
		}
		if err := l.generation(t); err != nil {
			return l.result(), Interrupted(ctx, err)
		}
	}
	return l.result(), nil
}

// begin validates the config, builds the family's world and models, and
// either restores the checkpoint (with opt.Resume) or fits the curators and
// runs generation 0. It returns the first generation still to run. Every
// long phase stops, within a few training steps, once ctx is cancelled; on
// an error the loop is closed and returned only for its run folder's path.
func begin[S any](ctx context.Context, cfg config.Config, opt Options, newFamily func(config.Config) (family.Family[S], error)) (*loop[S], int, error) {
	l := &loop[S]{ctx: ctx, cfg: cfg, opt: opt}
	fail := func(err error) (*loop[S], int, error) {
		l.close()
		return l, 0, Interrupted(ctx, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, interruptError{err}
	}
	fam, err := newFamily(cfg)
	if err != nil {
		return fail(err)
	}
	l.fam, l.counts = fam, fam.Outcome().World.Counts
	l.models = l.fam.Models()
	var ck *checkpoint
	if opt.Out != "" {
		if l.dir, ck, err = openRunDir(opt.Out, cfg, l.fam.Records(), opt.Resume); err != nil {
			return fail(err)
		}
	}
	start := 1
	if ck != nil {
		if err := l.restore(ck); err != nil {
			return fail(err)
		}
		start = ck.Generation + 1
	} else {
		if err := l.fam.FitCurators(ctx); err != nil {
			return fail(err)
		}
		if err := checkAgreement(cfg, l.result().RewardStats); err != nil {
			return fail(err)
		}
		if err := l.generationZero(); err != nil {
			return fail(err)
		}
	}
	if err := l.startPrediction(); err != nil {
		return fail(err)
	}
	return l, start, nil
}

// startPrediction runs the analytic map from generation 0 when the config
// asks for it and the family has one, and writes its files.
func (l *loop[S]) startPrediction() error {
	pf, ok := l.fam.(family.Predictable)
	if !ok || !l.cfg.Theory.Predict {
		return nil
	}
	w, start := pf.Start()
	var err error
	if l.pred, err = PredictContext(l.ctx, l.cfg, w, start, l.cfg.Theory.Curator); err != nil {
		if l.ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("prediction: %w", err)
	}
	l.predRows = l.pred.Rows(l.cfg, pf.World())
	if l.dir != nil {
		if _, err := writeTheoryFiles(l.dir.path, l.cfg, []*Prediction{l.pred}, []*World{pf.World()}); err != nil {
			return err
		}
		return l.writeComparison()
	}
	return nil
}

// writeComparison writes the run's comparison.csv so far.
func (l *loop[S]) writeComparison() error {
	return runfolder.WriteComparison(filepath.Join(l.dir.path, runfolder.ComparisonFile), CompareRows([][]Row{l.rows}, [][]Row{l.predRows}))
}

func (l *loop[S]) close() {
	if l.fam != nil {
		l.fam.Close()
	}
	if l.dir != nil {
		l.dir.close()
	}
}

func (l *loop[S]) result() *Result {
	r := &Result{Config: l.cfg, Rows: l.rows}
	if l.fam != nil {
		o := l.fam.Outcome()
		r.World, r.RewardStats, r.Tables = o.World, o.RewardStats, o.Tables
	}
	if l.dir != nil {
		r.Dir = l.dir.path
	}
	return r
}

// generationZero fits every model on real data.
func (l *loop[S]) generationZero() error {
	cfg := l.cfg
	rep := GenerationReport{Generation: 0, Generations: cfg.Generations}
	tm := timer{rep: &rep}
	tm.begin()
	sets := make([]data.Set, len(cfg.Models))
	err := family.Parallel(len(cfg.Models), l.perModel(), func(i int) error {
		m := cfg.Models[i]
		set := l.fam.Real(data.Stream(cfg.Seed, data.PurposeRealSample, i, 0), m.N)
		set.Tag(data.Real, -1)
		sets[i] = set
		st, err := l.models[i].FitStepsContext(l.ctx, set, m.InitSteps, m.Batch, data.Stream(cfg.Seed, data.PurposeTrain, i, 0))
		return l.stepErr(i, 0, st, err)
	})
	if err != nil {
		return err
	}
	tm.end(PhaseTrain)
	if cfg.Regime != config.RegimeReplace {
		l.acc = sets
	}
	return l.finish(0, sets, nil, &rep, &tm)
}

func (l *loop[S]) stepErr(i, t int, st models.FitStats, err error) error {
	if err == nil {
		return nil
	}
	var se *models.StepError
	if errors.As(err, &se) {
		return &NaNError{Model: l.cfg.Models[i].Name, Generation: t, Step: se.Step, Err: se.Err}
	}
	return fmt.Errorf("model %s, generation %d: %w", l.cfg.Models[i].Name, t, err)
}

// perModel is how many goroutines the per-model phases use: the configured
// workers, or one per model. With more models than cores the scheduler then
// interleaves them instead of one core finishing the last model alone
// (3 models on 2 cores, training only: bench-cat 26.7 -> 29.0, bench-2d
// 0.71 -> 0.77 generations/s, medians of 3).
func (l *loop[S]) perModel() int {
	if l.cfg.Workers > 0 {
		return l.cfg.Workers
	}
	return len(l.cfg.Models)
}

// need is the largest count any model takes from source column col.
func (l *loop[S]) need(col int) int {
	n := 0
	for _, c := range l.counts {
		n = max(n, c[col])
	}
	return n
}

// generation runs one self-consuming generation t >= 1.
func (l *loop[S]) generation(t int) error {
	cfg := l.cfg
	M := len(cfg.Models)
	rep := GenerationReport{Generation: t, Generations: cfg.Generations}
	tm := timer{rep: &rep}
	tm.begin()
	if cfg.RewardModel.Refit {
		if err := l.fam.RefitCurators(l.ctx, t, l.cur); err != nil {
			return err
		}
	}
	tm.end(PhaseScore)
	if err := l.ctx.Err(); err != nil {
		return interruptError{err}
	}

	rawPool := make([]data.Set, M)
	_ = family.Parallel(M, l.perModel(), func(j int) error {
		rawPool[j] = l.fam.Draw(l.cur[j], data.Stream(cfg.Seed, data.PurposeRawSample, j, t), l.need(1+j))
		return nil
	})
	tm.end(PhaseSample)

	curPool := make([]data.Set, M)
	curStats := make([]curate.ChoiceStats, M)
	_ = family.Parallel(M, l.perModel(), func(j int) error {
		n := max(cfg.Curation.Pool, l.need(1+M+j))
		curPool[j], curStats[j] = l.fam.Curate(j, l.cur[j], data.Stream(cfg.Seed, data.PurposeCurate, j, t), n)
		return nil
	})
	tm.end(PhaseCurate)

	sets := make([]data.Set, M)
	_ = family.Parallel(M, l.perModel(), func(i int) error {
		sets[i] = l.mix(i, t, rawPool, curPool)
		return nil
	})
	tm.end(PhaseMix)
	if err := l.ctx.Err(); err != nil {
		return interruptError{err}
	}

	err := family.Parallel(M, l.perModel(), func(i int) error {
		m := cfg.Models[i]
		if m.WarmStarts() {
			l.models[i].ResetOptimizer()
		} else {
			l.models[i].Reinit(data.Stream(cfg.Seed, data.PurposeInit, i, t))
		}
		st, err := l.models[i].FitContext(l.ctx, sets[i], m.Epochs, m.Batch, data.Stream(cfg.Seed, data.PurposeTrain, i, t))
		return l.stepErr(i, t, st, err)
	})
	if err != nil {
		return err
	}
	for i, m := range cfg.Models {
		steps := m.Epochs * ((len(sets[i]) + m.Batch - 1) / m.Batch)
		rep.TrainFLOPs += float64(steps) * l.fam.StepFLOPs(i, m.Batch)
	}
	tm.end(PhaseTrain)
	return l.finish(t, sets, curStats, &rep, &tm)
}

// mix builds model i's training set for generation t from fresh real data
// and the source models' pools, in the exact counts of l.counts[i].
func (l *loop[S]) mix(i, t int, rawPool, curPool []data.Set) data.Set {
	cfg := l.cfg
	M := len(cfg.Models)
	counts := l.counts[i]
	set := make(data.Set, 0, cfg.Models[i].N)
	if counts[0] > 0 {
		real := l.fam.Real(data.Stream(cfg.Seed, data.PurposeRealSample, i, t), counts[0])
		real.Tag(data.Real, -1)
		set = append(set, real...)
	}
	for j := 0; j < M; j++ {
		for _, part := range []struct {
			n          int
			pool       data.Set
			self, othr data.Source
			kind       int
		}{{counts[1+j], rawPool[j], data.SelfRaw, data.CrossRaw, 0}, {counts[1+M+j], curPool[j], data.SelfCurated, data.CrossCurated, 1}} {
			if part.n == 0 {
				continue
			}
			sub := part.pool.Subsample(data.Stream(cfg.Seed, data.PurposeMix, i, t, j, part.kind), part.n)
			src := part.othr
			if i == j {
				src = part.self
			}
			sub.Tag(src, j)
			set = append(set, sub...)
		}
	}
	switch cfg.Regime {
	case config.RegimeAccumulate:
		l.acc[i] = append(l.acc[i], set...)
		return l.acc[i]
	case config.RegimeAccumulateSubsample:
		l.acc[i] = append(l.acc[i], set...)
		return l.acc[i].Subsample(data.Stream(cfg.Seed, data.PurposeMix, i, t, -1), cfg.Models[i].N)
	}
	return set
}

// finish measures generation t, records it, and writes the run directory.
func (l *loop[S]) finish(t int, sets []data.Set, curStats []curate.ChoiceStats, rep *GenerationReport, tm *timer) error {
	cfg := l.cfg
	fr := l.fam.FreezeAll(t)
	params := make([][]float64, len(l.models))
	targets := l.fitTargets(t)
	perModel := make([][]Row, len(cfg.Models))
	_ = family.Parallel(len(cfg.Models), l.perModel(), func(i int) error {
		params[i] = l.models[i].Params()
		add := func(metric string, v float64) {
			perModel[i] = append(perModel[i], Row{Generation: t, Model: cfg.Models[i].Name, Metric: metric, Value: v})
		}
		var prev S
		if t > 0 {
			prev = l.cur[i]
		}
		l.fam.Measure(t, i, fr[i], prev, sets[i], add)
		if t > 0 {
			add("param_delta", relChange(params[i], l.params[i]))
		}
		if l.pred != nil && t < len(l.pred.Trajectory) {
			pf := l.fam.(family.Predictable)
			add("tv_pred", family.TV(pf.TableAt(t, i), l.pred.Trajectory[t][i], pf.World().Context))
		}
		if curStats != nil {
			add("curation_entropy", curStats[i].Entropy)
			add("curation_gap", curStats[i].Gap)
		}
		by := sets[i].CountBySource()
		for _, s := range data.Sources() {
			add("share/"+s.String(), float64(by[s])/float64(len(sets[i])))
		}
		if targets != nil {
			l.addFitGap(t, i, targets[i], sets[i], add)
		}
		return nil
	})
	var rows []Row
	for _, r := range perModel {
		rows = append(rows, r...)
	}
	if err := nonFinite(cfg, t, params, rows); err != nil {
		return err
	}
	l.cur, l.params = fr, params
	l.rows = append(l.rows, rows...)
	rep.Rows = rows
	tm.end(PhaseMetrics)
	if l.dir != nil {
		if err := l.writeGeneration(t, rows); err != nil {
			return err
		}
		if l.pred != nil {
			if err := l.writeComparison(); err != nil {
				return err
			}
		}
	}
	tm.end(PhaseWrite)
	if l.opt.Observe != nil {
		l.opt.Observe(*rep)
	}
	return nil
}
