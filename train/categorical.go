package train

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/gob"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// categorical is the family of conditional categorical generators p(y|c):
// everything is exact on the finite support, and a model's frozen form is
// its table.
type categorical struct {
	cfg     config.Config
	w       *World
	gens    []tableModel
	rms     []pairModel // learned curators, one per population (nil: the true rewards curate)
	rmStats []RewardModelStats
	tables  [][]*data.Table // [generation][model]
	// curator0 are the curators as fitted before generation 0, which the
	// prediction uses (refitting changes w.Curator later).
	curator0 []*data.Table
	ctx      *data.Sampler
}

// catFrozen is a model's table with its samplers.
type catFrozen struct {
	table *data.Table
	draw  *data.TableSampler
}

// tableModel is a generator whose exact law is a table on the family's
// support (a categorical generator; an autoregressive one, enumerated).
type tableModel interface {
	trainable
	Table() *data.Table
}

// pairModel is a learned reward on the support's cells, fitted to labelled
// pairs of cells (Bradley-Terry).
type pairModel interface {
	FitContext(ctx context.Context, steps int, draw func() curate.Pair) (float64, error)
	Table() *data.Table
	ResetOptimizer()
	Params() []float32
	SetParams([]float32) error
	Close()
}

func newCategorical(cfg config.Config) (*categorical, error) {
	w, err := NewWorld(cfg)
	if err != nil {
		return nil, err
	}
	return newTableFamily(cfg, w, newGenerators, w.newRewardModels)
}

// newTableFamily is the categorical machinery on the finite support of w,
// with the generators and reward models the two functions build.
func newTableFamily(cfg config.Config, w *World, gens func(config.Config) ([]tableModel, error),
	rms func(config.Config) ([]pairModel, error)) (*categorical, error) {
	f := &categorical{cfg: cfg, w: w, ctx: data.NewSampler(w.Context)}
	var err error
	if f.gens, err = gens(cfg); err != nil {
		return nil, err
	}
	if f.rms, err = rms(cfg); err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *categorical) models() []trainable {
	out := make([]trainable, len(f.gens))
	for i, g := range f.gens {
		out[i] = g
	}
	return out
}

func (f *categorical) close() {
	for _, g := range f.gens {
		g.Close()
	}
	for _, rm := range f.rms {
		rm.Close()
	}
}

func (f *categorical) fitCurators(ctx context.Context) error {
	var err error
	f.rmStats, err = f.w.fitRewardModels(ctx, f.cfg, f.rms)
	f.curator0 = slices.Clone(f.w.Curator)
	return err
}

// prediction runs the analytic map from the generation-0 tables with the
// curators of generation 0.
func (f *categorical) prediction(ctx context.Context) (*Prediction, error) {
	w := *f.w
	w.Curator = f.curator0
	return PredictContext(ctx, f.cfg, &w, f.tables[0], f.cfg.Theory.Curator)
}

// refitCurators refits every population's reward model on fresh pairs: half
// from the base pair distribution, half answered by the models that
// population curates, and re-tabulates the curators.
func (f *categorical) refitCurators(ctx context.Context, t int, fr []*catFrozen) error {
	cfg, w := f.cfg, f.w
	if f.rms == nil {
		return nil
	}
	rc := cfg.RewardModel
	return parallel(len(f.rms), cfg.Workers, func(a int) error {
		rng := data.Stream(cfg.Seed, data.PurposeLabels, a, t)
		base := w.pairDrawer(rc.Pairs, rng)
		var own []*data.TableSampler
		for i, p := range w.PopIndex {
			if p == a {
				own = append(own, fr[i].draw)
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

func (f *categorical) real(rng *rand.Rand, n int) data.Set {
	return data.SampleJoint(rng, n, f.ctx, data.NewTableSampler(f.w.Real))
}

func (f *categorical) freezeAll(t int) []*catFrozen {
	tabs := make([]*data.Table, len(f.gens))
	fr := make([]*catFrozen, len(f.gens))
	_ = parallel(len(f.gens), f.cfg.Workers, func(i int) error {
		tabs[i] = f.gens[i].Table()
		fr[i] = &catFrozen{table: tabs[i], draw: data.NewTableSampler(tabs[i])}
		return nil
	})
	f.tables = append(f.tables[:t], tabs)
	return fr
}

func (f *categorical) draw(fz *catFrozen, rng *rand.Rand, n int) data.Set {
	return data.SampleJoint(rng, n, f.ctx, fz.draw)
}

func (f *categorical) curate(j int, fz *catFrozen, rng *rand.Rand, n int) (data.Set, curate.ChoiceStats) {
	ch := curate.Chooser{K: f.cfg.Curation.K, Tau: f.cfg.Curation.Tau}
	return ch.Tokens(rng, n, f.w.Curator[f.w.PopIndex[j]], f.ctx, fz.draw)
}

// measure adds the exact metrics of the model's table and its likelihoods
// of the training and held-out sets; under metrics minimal only
// reward/<population> and kl_real (computed the same way, so equal to full's).
func (f *categorical) measure(t, i int, fz, prev *catFrozen, set data.Set, add func(string, float64)) {
	w := f.w
	p := fz.table
	for a, pop := range f.cfg.Populations {
		add("reward/"+pop.Name, p.Expect(w.Context, w.Truth[a]))
	}
	kl, tv, ent, zero := tableMetrics(p, w.Real, w.Context)
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
		add("tv_prev", TV(p, prev.table, w.Context))
	}
	add("train_nll", nll(p, set))
	if len(w.Heldout) > 0 {
		add("heldout_nll", nll(p, w.Heldout))
	}
}

func (f *categorical) stepFLOPs(i, _ int) float64 {
	return generatorStepFLOPs(f.cfg.Data.Contexts, f.cfg.Data.Tokens, f.cfg.Models[i].Hidden)
}

func (f *categorical) records() []recordFile {
	return []recordFile{{runfolder.TablesFile, runfolder.TablesColumns}}
}

func (f *categorical) world() *World { return f.w }

func (f *categorical) outcome() outcome {
	return outcome{world: f.w, rewardStats: f.rmStats, tables: f.tables}
}

// empirical is the training set's law on the table's support.
func (f *categorical) empirical(set data.Set) (*data.Table, []float64, bool) {
	e, ctx := empiricalLaw(set, f.cfg.Data.Contexts, f.cfg.Data.Tokens)
	return e, ctx, true
}

func (f *categorical) tableAt(t, i int) *data.Table { return f.tables[t][i] }

func (f *categorical) record(t int, fr []*catFrozen, ws []*csv.Writer) {
	rec := []string{strconv.Itoa(t), "", "", "", ""}
	for i, fz := range fr {
		tab := fz.table
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

// summaries are the world files (the generation-0 tables are tables.csv's
// generation 0) and, with learned curators, reward_models.csv.
func (f *categorical) summaries() map[string][]byte {
	var learned []*data.Table
	if f.rms != nil {
		learned = f.curator0
	}
	out := worldFiles(f.cfg, f.w, learned)
	if f.rmStats != nil {
		out[runfolder.RewardModelsFile] = rewardModelsCSV(f.rmStats)
	}
	return out
}

// rewardModelsCSV is reward_models.csv: how well each learned curator
// matches its population's truth.
func rewardModelsCSV(stats []RewardModelStats) []byte {
	var rows []runfolder.RewardModelRow
	for _, s := range stats {
		rows = append(rows, runfolder.RewardModelRow{Population: s.Population, Metric: "final_loss", Value: s.FinalLoss},
			runfolder.RewardModelRow{Population: s.Population, Metric: "pair_agreement", Value: s.PairAgreement},
			runfolder.RewardModelRow{Population: s.Population, Metric: "spearman", Value: s.Spearman})
	}
	return runfolder.RewardModelsCSV(rows)
}

// catState is the categorical family's part of a checkpoint.
type catState struct {
	RewardParams [][]float32
	Curator      []*data.Table
	RewardStats  []RewardModelStats
	Tables       [][]*data.Table
	Curator0     []*data.Table
}

func (f *categorical) state() ([]byte, error) {
	st := catState{Curator: f.w.Curator, RewardStats: f.rmStats, Tables: f.tables, Curator0: f.curator0}
	for _, rm := range f.rms {
		st.RewardParams = append(st.RewardParams, rm.Params())
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(st)
	return buf.Bytes(), err
}

func (f *categorical) restore(b []byte) ([]*catFrozen, error) {
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
	fr := make([]*catFrozen, len(last))
	for i, tab := range last {
		fr[i] = &catFrozen{table: tab, draw: data.NewTableSampler(tab)}
	}
	return fr, nil
}
