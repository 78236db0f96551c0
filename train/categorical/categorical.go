package categorical

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/gob"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/family"
)

// Family is the family of conditional categorical generators p(y|c):
// everything is exact on the finite support, and a model's frozen form is
// its table.
type Family struct {
	cfg     config.Config
	w       *family.World
	gens    []TableModel
	rms     []PairModel // learned curators, one per population (nil: the true rewards curate)
	rmStats []family.RewardModelStats
	tables  [][]*data.Table // [generation][model]
	// curator0 are the curators as fitted before generation 0, which the
	// prediction uses (refitting changes w.Curator later).
	curator0 []*data.Table
	ctx      *data.Sampler
}

// Frozen is a model's table with its sampler: the family's snapshot.
type Frozen struct {
	Table *data.Table
	Draw  *data.TableSampler
}

// TableModel is a generator whose exact law is a table on the family's
// support (a categorical generator; an autoregressive one, enumerated).
type TableModel interface {
	family.Trainable
	Table() *data.Table
}

// PairModel is a learned reward on the support's cells, fitted to labelled
// pairs of cells (Bradley-Terry).
type PairModel interface {
	FitContext(ctx context.Context, steps int, draw func() curate.Pair) (float64, error)
	Table() *data.Table
	ResetOptimizer()
	Params() []float32
	SetParams([]float32) error
	Close()
}

// New builds the family of cfg: its world (NewWorld), generators and
// reward models.
func New(cfg config.Config) (*Family, error) {
	w, err := NewWorld(cfg)
	if err != nil {
		return nil, err
	}
	return NewTableFamily(cfg, w, newGenerators, func(cfg config.Config) ([]PairModel, error) { return newRewardModels(w, cfg) })
}

// NewTableFamily is the categorical machinery on the finite support of w,
// with the generators and reward models the two functions build.
func NewTableFamily(cfg config.Config, w *family.World, gens func(config.Config) ([]TableModel, error),
	rms func(config.Config) ([]PairModel, error)) (*Family, error) {
	f := &Family{cfg: cfg, w: w, ctx: data.NewSampler(w.Context)}
	var err error
	if f.gens, err = gens(cfg); err != nil {
		return nil, err
	}
	if f.rms, err = rms(cfg); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Models are the generators as the loop trains them.
func (f *Family) Models() []family.Trainable {
	out := make([]family.Trainable, len(f.gens))
	for i, g := range f.gens {
		out[i] = g
	}
	return out
}

// Close frees the generators and reward models.
func (f *Family) Close() {
	for _, g := range f.gens {
		g.Close()
	}
	for _, rm := range f.rms {
		rm.Close()
	}
}

// FitCurators learns the populations' reward models (or takes the true
// rewards) and keeps them as the curators of generation 0.
func (f *Family) FitCurators(ctx context.Context) error {
	var err error
	f.rmStats, err = fitRewardModels(ctx, f.w, f.cfg, f.rms)
	f.curator0 = slices.Clone(f.w.Curator)
	return err
}

// Start is the world with the curators of generation 0 and the
// generation-0 tables.
func (f *Family) Start() (*family.World, []*data.Table) {
	w := *f.w
	w.Curator = f.curator0
	return &w, f.tables[0]
}

// RefitCurators refits every population's reward model on fresh pairs: half
// from the base pair distribution, half answered by the models that
// population curates, and re-tabulates the curators.
func (f *Family) RefitCurators(ctx context.Context, t int, fr []*Frozen) error {
	cfg, w := f.cfg, f.w
	if f.rms == nil {
		return nil
	}
	rc := cfg.RewardModel
	return family.Parallel(len(f.rms), cfg.Workers, func(a int) error {
		rng := data.Stream(cfg.Seed, data.PurposeLabels, a, t)
		base := pairDrawer(w, rc.Pairs, rng)
		var own []*data.TableSampler
		for i, p := range w.PopIndex {
			if p == a {
				own = append(own, fr[i].Draw)
			}
		}
		lab := curate.Labeller{Truth: w.Truth[a], Temperature: rc.LabelTemperature, Noise: rc.LabelNoise}
		f.rms[a].ResetOptimizer()
		_, err := f.rms[a].FitContext(ctx, rc.RefitSteps, func() curate.Pair {
			if len(own) == 0 || rng.IntN(2) == 0 {
				c, x, y := base()
				return lab.Label(rng, c, x, y)
			}
			ts := own[rng.IntN(len(own))]
			c := f.ctx.Draw(rng)
			return lab.Label(rng, c, ts.Draw(rng, c), ts.Draw(rng, c))
		})
		if err != nil {
			return fmt.Errorf("generation %d, population %s: %w", t, cfg.Populations[a].Name, err)
		}
		w.Curator[a] = f.rms[a].Table()
		return nil
	})
}

// Real draws n (context, token) pairs of the real table.
func (f *Family) Real(rng *rand.Rand, n int) data.Set {
	return data.SampleJoint(rng, n, f.ctx, data.NewTableSampler(f.w.Real))
}

// FreezeAll tabulates every generator and keeps the tables as generation t's.
func (f *Family) FreezeAll(t int) []*Frozen {
	tabs := make([]*data.Table, len(f.gens))
	fr := make([]*Frozen, len(f.gens))
	_ = family.Parallel(len(f.gens), f.cfg.Workers, func(i int) error {
		tabs[i] = f.gens[i].Table()
		fr[i] = &Frozen{Table: tabs[i], Draw: data.NewTableSampler(tabs[i])}
		return nil
	})
	f.Keep(t, tabs)
	return fr
}

// Generators are the family's generators, one per config model.
func (f *Family) Generators() []TableModel { return f.gens }

// Keep records generation t's tables (dropping any kept after t).
func (f *Family) Keep(t int, tabs []*data.Table) { f.tables = append(f.tables[:t], tabs) }

// Contexts is the sampler of the contexts' law.
func (f *Family) Contexts() *data.Sampler { return f.ctx }

// Draw samples n raw outputs of a model's table.
func (f *Family) Draw(fz *Frozen, rng *rand.Rand, n int) data.Set {
	return data.SampleJoint(rng, n, f.ctx, fz.Draw)
}

// Curate keeps n outputs of model j's table, each chosen by its
// population's curator from K candidates.
func (f *Family) Curate(j int, fz *Frozen, rng *rand.Rand, n int) (data.Set, curate.ChoiceStats) {
	ch := curate.Chooser{K: f.cfg.Curation.K, Tau: f.cfg.Curation.Tau}
	return ch.Tokens(rng, n, f.w.Curator[f.w.PopIndex[j]], f.ctx, fz.Draw)
}

// Measure adds the exact metrics of the model's table and its likelihoods
// of the training and held-out sets; under metrics minimal only
// reward/<population> and kl_real (computed the same way, so equal to full's).
func (f *Family) Measure(t, i int, fz, prev *Frozen, set data.Set, add func(string, float64)) {
	w := f.w
	p := fz.Table
	for a, pop := range f.cfg.Populations {
		add("reward/"+pop.Name, p.Expect(w.Context, w.Truth[a]))
	}
	kl, tv, ent, zero := family.TableMetrics(p, w.Real, w.Context)
	if f.cfg.MinimalMetrics() {
		add("kl_real", kl)
		return
	}
	add("reward_model", p.Expect(w.Context, w.Curator[w.PopIndex[i]]))
	add("kl_real", kl)
	add("tv_real", tv)
	add("entropy", ent)
	add("zero_mass", zero)
	if prev != nil {
		add("tv_prev", family.TV(p, prev.Table, w.Context))
	}
	add("train_nll", nll(p, set))
	if len(w.Heldout) > 0 {
		add("heldout_nll", nll(p, w.Heldout))
	}
}

// StepFLOPs counts one training step of generator i on its context rows.
func (f *Family) StepFLOPs(i, _ int) float64 {
	return GeneratorStepFLOPs(f.cfg.Data.Contexts, f.cfg.Data.Tokens, f.cfg.Models[i].Hidden)
}

// Records is tables.csv.
func (f *Family) Records() []family.RecordFile {
	return []family.RecordFile{{Name: runfolder.TablesFile, Header: runfolder.TablesColumns}}
}

// World is the finite-support world the family runs on.
func (f *Family) World() *family.World { return f.w }

// Outcome is the world, the reward models' stats and every generation's tables.
func (f *Family) Outcome() family.Outcome {
	return family.Outcome{World: f.w, RewardStats: f.rmStats, Tables: f.tables}
}

// Empirical is the training set's law on the table's support.
func (f *Family) Empirical(set data.Set) (*data.Table, []float64, bool) {
	e, ctx := family.EmpiricalLaw(set, f.cfg.Data.Contexts, f.cfg.Data.Tokens)
	return e, ctx, true
}

// TableAt is model i's table at generation t.
func (f *Family) TableAt(t, i int) *data.Table { return f.tables[t][i] }

// Record appends generation t's tables to tables.csv.
func (f *Family) Record(t int, fr []*Frozen, ws []*csv.Writer) {
	rec := []string{strconv.Itoa(t), "", "", "", ""}
	for i, fz := range fr {
		tab := fz.Table
		rec[1] = f.cfg.Models[i].Name
		for c := 0; c < tab.C; c++ {
			rec[2] = strconv.Itoa(c)
			for y, p := range tab.Row(c) {
				rec[3], rec[4] = strconv.Itoa(y), runfolder.FormatFloat(p)
				ws[0].Write(rec)
			}
		}
	}
}

// Summaries are the world files (the generation-0 tables are tables.csv's
// generation 0) and, with learned curators, reward_models.csv.
func (f *Family) Summaries() map[string][]byte {
	var learned []*data.Table
	if f.rms != nil {
		learned = f.curator0
	}
	out := family.WorldFiles(f.cfg, f.w, learned)
	if f.rmStats != nil {
		out[runfolder.RewardModelsFile] = family.RewardModelsCSV(f.rmStats)
	}
	return out
}

// catState is the categorical family's part of a checkpoint.
type catState struct {
	RewardParams [][]float32
	Curator      []*data.Table
	RewardStats  []family.RewardModelStats
	Tables       [][]*data.Table
	Curator0     []*data.Table
}

// State is the family's part of a checkpoint: reward models, curators
// and the tables of every generation.
func (f *Family) State() ([]byte, error) {
	st := catState{Curator: f.w.Curator, RewardStats: f.rmStats, Tables: f.tables, Curator0: f.curator0}
	for _, rm := range f.rms {
		st.RewardParams = append(st.RewardParams, rm.Params())
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(st)
	return buf.Bytes(), err
}

// Restore sets the family back to a checkpoint's State and returns the
// snapshots of its last generation.
func (f *Family) Restore(b []byte) ([]*Frozen, error) {
	var st catState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return nil, err
	}
	if len(st.RewardParams) != len(f.rms) {
		return nil, fmt.Errorf("checkpoint has %d reward models, config has %d", len(st.RewardParams), len(f.rms))
	}
	for a, rm := range f.rms {
		if err := rm.SetParams(st.RewardParams[a]); err != nil {
			return nil, fmt.Errorf("reward model %d: %w", a, err)
		}
	}
	f.w.Curator, f.rmStats, f.tables, f.curator0 = st.Curator, st.RewardStats, st.Tables, st.Curator0
	last := f.tables[len(f.tables)-1]
	fr := make([]*Frozen, len(last))
	for i, tab := range last {
		fr[i] = &Frozen{Table: tab, Draw: data.NewTableSampler(tab)}
	}
	return fr, nil
}

// nll is the mean negative log-likelihood of a sample set under p.
func nll(p *data.Table, set data.Set) float64 {
	if len(set) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range set {
		s -= math.Log(p.At(int(x.Context), int(x.Token)))
	}
	return s / float64(len(set))
}
