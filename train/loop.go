package train

import (
	"context"
	"errors"
	"fmt"
	"io"

	"selfconsume/curate"
	"selfconsume/data"
	"selfconsume/models"
)

// ErrInterrupted is returned when the run's context is cancelled; the last
// completed generation's checkpoint is kept.
var ErrInterrupted = errors.New("interrupted")

// Options control a run.
type Options struct {
	Out      string          // run directory; "" writes nothing (benchmarks, tests)
	Resume   bool            // continue from Out's checkpoint
	Context  context.Context // cancellation (Ctrl-C); nil = never
	Progress io.Writer       // progress bar target; nil = none
	Observe  func(GenerationReport)
}

// Result is a finished (or interrupted) run.
type Result struct {
	Config      Config
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

// loop is the state of a run between generations.
type loop struct {
	cfg     Config
	w       *World
	opt     Options
	gens    []*models.Generator
	rms     []*curate.RewardModel
	acc     []data.Set // accumulated training data (accumulate regimes)
	params  [][]float32
	tables  [][]*data.Table
	rows    []Row
	rmStats []RewardModelStats
	dir     *runDir
}

// Run executes the experiment: set-up, generation 0 on real data, then
// cfg.Generations self-consuming generations.
func Run(cfg Config, opt Options) (*Result, error) {
	l, start, err := begin(cfg, opt)
	if err != nil {
		return nil, err
	}
	defer l.close()
	bar := newBar(opt.Progress, cfg.Generations, start-1)
	for t := start; t <= cfg.Generations; t++ {
		if l.opt.Context.Err() != nil {
			return l.result(), ErrInterrupted
		}
		if err := l.generation(t); err != nil {
			return l.result(), err
		}
		bar.Add(1)
	}
	bar.Finish()
	return l.result(), nil
}

// begin validates the config, builds the world and the models, and either
// restores the checkpoint (with opt.Resume) or fits the reward models and
// runs generation 0. It returns the first generation still to run.
func begin(cfg Config, opt Options) (*loop, int, error) {
	if err := cfg.Validate(); err != nil {
		return nil, 0, err
	}
	if opt.Context == nil {
		opt.Context = context.Background()
	}
	l := &loop{cfg: cfg, opt: opt}
	fail := func(err error) (*loop, int, error) {
		l.close()
		return nil, 0, err
	}
	var err error
	if l.w, err = NewWorld(cfg); err != nil {
		return fail(err)
	}
	if l.gens, err = newGenerators(cfg); err != nil {
		return fail(err)
	}
	var ck *checkpoint
	if opt.Out != "" {
		if l.dir, ck, err = openRunDir(opt.Out, cfg, opt.Resume); err != nil {
			return fail(err)
		}
	}
	if ck != nil {
		if err := l.restore(ck); err != nil {
			return fail(err)
		}
		return l, ck.Generation + 1, nil
	}
	if l.rms, err = l.w.newRewardModels(cfg); err != nil {
		return fail(err)
	}
	if l.rmStats, err = l.w.fitRewardModels(cfg, l.rms); err != nil {
		return fail(err)
	}
	if err := l.generationZero(); err != nil {
		return fail(err)
	}
	return l, 1, nil
}

func (l *loop) close() {
	for _, g := range l.gens {
		g.Close()
	}
	for _, rm := range l.rms {
		rm.Close()
	}
	if l.dir != nil {
		l.dir.close()
	}
}

func (l *loop) result() *Result {
	r := &Result{Config: l.cfg, World: l.w, RewardStats: l.rmStats, Rows: l.rows, Tables: l.tables}
	if l.dir != nil {
		r.Dir = l.dir.path
	}
	return r
}

// generationZero fits every model on real data.
func (l *loop) generationZero() error {
	cfg, w := l.cfg, l.w
	rep := GenerationReport{Generation: 0}
	tm := timer{rep: &rep}
	tm.begin()
	sets := make([]data.Set, len(cfg.Models))
	err := parallel(len(cfg.Models), cfg.Workers, func(i int) error {
		m := cfg.Models[i]
		set := data.SampleJoint(data.Stream(cfg.Seed, data.PurposeRealSample, i, 0), m.N,
			data.NewSampler(w.Context), data.NewTableSampler(w.Real))
		set.Tag(data.Real, -1)
		sets[i] = set
		st, err := l.gens[i].FitSteps(set, m.InitSteps, m.Batch, data.Stream(cfg.Seed, data.PurposeTrain, i, 0))
		return l.stepErr(i, 0, st, err)
	})
	if err != nil {
		return err
	}
	tm.end(PhaseTrain)
	if cfg.Regime != RegimeReplace {
		l.acc = sets
	}
	return l.finish(0, sets, nil, &rep, &tm)
}

func (l *loop) stepErr(i, t int, st models.FitStats, err error) error {
	if err == nil {
		return nil
	}
	var se *models.StepError
	if errors.As(err, &se) {
		return &NaNError{Model: l.cfg.Models[i].Name, Generation: t, Step: se.Step, Err: se.Err}
	}
	return fmt.Errorf("model %s, generation %d: %w", l.cfg.Models[i].Name, t, err)
}

// generation runs one self-consuming generation t >= 1.
func (l *loop) generation(t int) error {
	cfg, w := l.cfg, l.w
	M := len(cfg.Models)
	rep := GenerationReport{Generation: t}
	tm := timer{rep: &rep}
	tm.begin()
	if cfg.RewardModel.Refit && l.rms != nil {
		if err := l.refitRewardModels(t); err != nil {
			return err
		}
	}
	tm.end(PhaseScore)
	if err := l.opt.Context.Err(); err != nil {
		return ErrInterrupted
	}

	prev := l.tables[t-1]
	ctx := data.NewSampler(w.Context)
	samplers := make([]*data.TableSampler, M)
	rawPool := make([]data.Set, M)
	_ = parallel(M, cfg.Workers, func(j int) error {
		samplers[j] = data.NewTableSampler(prev[j])
		need := 0
		for i := range cfg.Models {
			need = max(need, w.Counts[i][1+j])
		}
		rawPool[j] = data.SampleJoint(data.Stream(cfg.Seed, data.PurposeRawSample, j, t), need, ctx, samplers[j])
		return nil
	})
	tm.end(PhaseSample)

	curPool := make([]data.Set, M)
	curStats := make([]curate.ChoiceStats, M)
	_ = parallel(M, cfg.Workers, func(j int) error {
		need := cfg.Curation.Pool
		for i := range cfg.Models {
			need = max(need, w.Counts[i][1+M+j])
		}
		ch := curate.Chooser{K: cfg.Curation.K, Tau: cfg.Curation.Tau, Reward: w.Curator[w.PopIndex[j]]}
		curPool[j], curStats[j] = ch.Curate(data.Stream(cfg.Seed, data.PurposeCurate, j, t), need, ctx, samplers[j])
		return nil
	})
	tm.end(PhaseCurate)

	sets := make([]data.Set, M)
	_ = parallel(M, cfg.Workers, func(i int) error {
		sets[i] = l.mix(i, t, rawPool, curPool)
		return nil
	})
	tm.end(PhaseMix)
	if err := l.opt.Context.Err(); err != nil {
		return ErrInterrupted
	}

	err := parallel(M, cfg.Workers, func(i int) error {
		m := cfg.Models[i]
		if m.WarmStarts() {
			l.gens[i].ResetOptimizer()
		} else {
			l.gens[i].Reinit(data.Stream(cfg.Seed, data.PurposeInit, i, t))
		}
		st, err := l.gens[i].Fit(sets[i], m.Epochs, m.Batch, data.Stream(cfg.Seed, data.PurposeTrain, i, t))
		return l.stepErr(i, t, st, err)
	})
	if err != nil {
		return err
	}
	for i, m := range cfg.Models {
		steps := m.Epochs * ((len(sets[i]) + m.Batch - 1) / m.Batch)
		rep.TrainFLOPs += float64(steps) * generatorStepFLOPs(cfg.Data.Contexts, cfg.Data.Tokens, m.Hidden)
	}
	tm.end(PhaseTrain)
	return l.finish(t, sets, curStats, &rep, &tm)
}

// mix builds model i's training set for generation t from fresh real data
// and the source models' pools, in the exact counts of w.Counts[i].
func (l *loop) mix(i, t int, rawPool, curPool []data.Set) data.Set {
	cfg, w := l.cfg, l.w
	M := len(cfg.Models)
	counts := w.Counts[i]
	set := make(data.Set, 0, cfg.Models[i].N)
	if counts[0] > 0 {
		real := data.SampleJoint(data.Stream(cfg.Seed, data.PurposeRealSample, i, t), counts[0],
			data.NewSampler(w.Context), data.NewTableSampler(w.Real))
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
	case RegimeAccumulate:
		l.acc[i] = append(l.acc[i], set...)
		return l.acc[i]
	case RegimeAccumulateSubsample:
		l.acc[i] = append(l.acc[i], set...)
		return l.acc[i].Subsample(data.Stream(cfg.Seed, data.PurposeMix, i, t, -1), cfg.Models[i].N)
	}
	return set
}

// refitRewardModels refits every population's reward model on fresh pairs:
// half from the base pair distribution, half answered by the models that
// population curates, and re-tabulates the curators.
func (l *loop) refitRewardModels(t int) error {
	cfg, w := l.cfg, l.w
	rc := cfg.RewardModel
	prev := l.tables[t-1]
	err := parallel(len(l.rms), cfg.Workers, func(a int) error {
		rng := data.Stream(cfg.Seed, data.PurposeLabels, a, t)
		base := w.pairDrawer(rc.Pairs, rng)
		var own []*data.TableSampler
		for i, p := range w.PopIndex {
			if p == a {
				own = append(own, data.NewTableSampler(prev[i]))
			}
		}
		ctx := data.NewSampler(w.Context)
		lab := curate.Labeller{Truth: w.Truth[a], Temperature: rc.LabelTemperature, Noise: rc.LabelNoise}
		l.rms[a].ResetOptimizer()
		_, err := l.rms[a].Fit(rc.RefitSteps, func() curate.Pair {
			if len(own) == 0 || rng.IntN(2) == 0 {
				c, x, y := base()
				return lab.Label(rng, c, x, y)
			}
			ts := own[rng.IntN(len(own))]
			c := ctx.Draw(rng)
			return lab.Label(rng, c, ts.Draw(rng, c), ts.Draw(rng, c))
		})
		if err != nil {
			return fmt.Errorf("generation %d, population %s: %w", t, cfg.Populations[a].Name, err)
		}
		w.Curator[a] = l.rms[a].Table()
		return nil
	})
	return err
}

// finish measures generation t, records it, and writes the run directory.
func (l *loop) finish(t int, sets []data.Set, curStats []curate.ChoiceStats, rep *GenerationReport, tm *timer) error {
	cfg, w := l.cfg, l.w
	M := len(cfg.Models)
	tabs := make([]*data.Table, M)
	params := make([][]float32, M)
	for i, g := range l.gens {
		tabs[i], params[i] = g.Table(), g.Params()
	}
	var rows []Row
	add := func(i int, metric string, v float64) {
		rows = append(rows, Row{Generation: t, Model: cfg.Models[i].Name, Metric: metric, Value: v})
	}
	for i := range cfg.Models {
		p := tabs[i]
		for a, pop := range cfg.Populations {
			add(i, "reward/"+pop.Name, p.Expect(w.Context, w.Truth[a]))
		}
		add(i, "reward_model", p.Expect(w.Context, w.Curator[w.PopIndex[i]]))
		kl, tv, ent, zero := tableMetrics(p, w.Real, w.Context)
		add(i, "kl_real", kl)
		add(i, "tv_real", tv)
		add(i, "entropy", ent)
		add(i, "zero_mass", zero)
		if t > 0 {
			add(i, "tv_prev", TV(p, l.tables[t-1][i], w.Context))
			add(i, "param_delta", relChange(params[i], l.params[i]))
		}
		add(i, "train_nll", nll(p, sets[i]))
		if len(w.Heldout) > 0 {
			add(i, "heldout_nll", nll(p, w.Heldout))
		}
		if curStats != nil {
			add(i, "curation_entropy", curStats[i].Entropy)
			add(i, "curation_gap", curStats[i].Gap)
		}
		by := sets[i].CountBySource()
		for _, s := range data.Sources() {
			add(i, "share/"+s.String(), float64(by[s])/float64(len(sets[i])))
		}
	}
	l.tables = append(l.tables, tabs)
	l.params = params
	l.rows = append(l.rows, rows...)
	rep.Rows = rows
	tm.end(PhaseMetrics)
	if l.dir != nil {
		if err := l.dir.writeGeneration(l, t, rows, tabs); err != nil {
			return err
		}
	}
	tm.end(PhaseWrite)
	if l.opt.Observe != nil {
		l.opt.Observe(*rep)
	}
	return nil
}

// generatorStepFLOPs counts the multiply-add FLOPs of one training step of a
// generator run on its C context rows: forward 2*C*in*out per layer, backward
// twice that.
func generatorStepFLOPs(c, v int, hidden []int) float64 {
	sizes := append(append([]int{c}, hidden...), v)
	f := 0.0
	for k := 0; k+1 < len(sizes); k++ {
		f += 2 * float64(c) * float64(sizes[k]) * float64(sizes[k+1])
	}
	return 3 * f
}
