package train

import (
	"context"
	"encoding/csv"
	"fmt"
	"github.com/selfconsume/selfconsume/config"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
)

// World is what an experiment is run against: the real distribution, the
// populations' true rewards, and the rewards their curators use. It is
// determined by the config and its seed alone.
type World struct {
	Context  []float64
	Real     *data.Table
	Truth    []*data.Table // per population: the true "human" reward
	Curator  []*data.Table // per population: the reward that curates (learned model's table, or the truth)
	Heldout  data.Set      // real samples for heldout_nll
	PopIndex []int         // per model: its curating population
	Counts   [][]int       // per model: sample counts [real, raw_0..raw_{M-1}, curated_0..curated_{M-1}]
	Weights  [][]float64   // per model: the same shares as fractions
}

// NewWorld builds the real data, the true rewards and the mixture counts.
func NewWorld(cfg config.Config) (*World, error) {
	d := cfg.Data
	w := &World{Context: contextDistribution(d)}
	rng := data.Stream(cfg.EffectiveWorldSeed(), data.PurposeRealData)
	switch d.Real {
	case "dirichlet":
		w.Real = data.Dirichlet(rng, d.Contexts, d.Tokens, d.Concentration)
	case "zipf":
		w.Real = data.Zipf(rng, d.Contexts, d.Tokens, d.Exponent)
	case "table":
		t, err := readTableCSV(d.File, d.Contexts, d.Tokens)
		if err != nil {
			return nil, fmt.Errorf("data.file: %w", err)
		}
		if err := t.Normalize(); err != nil {
			return nil, fmt.Errorf("data.file %s: %w", d.File, err)
		}
		w.Real = t
	}
	err := w.complete(cfg, func(i int) (*data.Table, error) {
		switch p := cfg.Populations[i]; p.Reward {
		case "random":
			return curate.RandomReward(data.Stream(cfg.EffectiveWorldSeed(), data.PurposeReward, i), d.Contexts, d.Tokens, p.Scale), nil
		case "table":
			t, err := readTableCSV(p.File, d.Contexts, d.Tokens)
			if err != nil {
				return nil, fmt.Errorf("populations.%d.file: %w", i, err)
			}
			return t, nil
		default:
			return nil, fmt.Errorf("populations.%d.reward: %q is not a reward on tokens", i, p.Reward)
		}
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// complete resolves the populations' true rewards (own(i) builds the
// reward of a population that negates no other), draws the held-out real
// set and fills the mixture counts: the part of a world every family on
// the finite support shares.
func (w *World) complete(cfg config.Config, own func(i int) (*data.Table, error)) error {
	names, of := negations(cfg)
	truth, err := curate.Resolve(names, of, own, curate.Negate)
	if err != nil {
		return err
	}
	w.Truth = truth
	w.Heldout = data.SampleJoint(data.Stream(cfg.EffectiveWorldSeed(), data.PurposeEval), cfg.Data.Heldout,
		data.NewSampler(w.Context), data.NewTableSampler(w.Real))
	return w.setMix(cfg)
}

// negations lists the populations' names and, for each, the name of the
// population whose reward it negates (reward negate) or "" (its own reward),
// for curate.Resolve.
func negations(cfg config.Config) (names, of []string) {
	for _, p := range cfg.Populations {
		names = append(names, p.Name)
		o := ""
		if p.Reward == "negate" {
			o = p.Of
		}
		of = append(of, o)
	}
	return names, of
}

// setMix fills the models' curating populations and their training
// mixtures, in exact counts (knob shift included).
func (w *World) setMix(cfg config.Config) error {
	popIdx := map[string]int{}
	for i, p := range cfg.Populations {
		popIdx[p.Name] = i
	}
	modelIdx := map[string]int{}
	for i, m := range cfg.Models {
		modelIdx[m.Name] = i
	}
	M := len(cfg.Models)
	for _, m := range cfg.Models {
		w.PopIndex = append(w.PopIndex, popIdx[m.Population])
		wt := make([]float64, 1+2*M)
		wt[0] = m.Mix.Real
		for src, v := range m.Mix.Raw {
			wt[1+modelIdx[src]] = v
		}
		for src, v := range m.Mix.Curated {
			wt[1+M+modelIdx[src]] = v
		}
		if m.Name == cfg.Theory.Knob.Model {
			if err := config.ShiftCurated(wt, M, cfg.Theory.Knob.Shift); err != nil {
				return fmt.Errorf("theory.knob.shift = %g on model %s: %w", cfg.Theory.Knob.Shift, m.Name, err)
			}
		}
		counts, err := data.Apportion(m.N, wt)
		if err != nil {
			return fmt.Errorf("model %s mix: %w", m.Name, err)
		}
		w.Weights = append(w.Weights, wt)
		w.Counts = append(w.Counts, counts)
	}
	return nil
}

// contextDistribution is the distribution contexts are drawn from.
func contextDistribution(d config.DataConfig) []float64 {
	w := data.UniformContext(d.Contexts)
	switch d.Context {
	case "zipf":
		for c := range w {
			w[c] = math.Pow(float64(c+1), -d.ContextExponent)
		}
	case "weights":
		copy(w, d.ContextWeights)
	}
	s := 0.0
	for _, v := range w {
		s += v
	}
	for c := range w {
		w[c] /= s
	}
	return w
}

// readUserCSV reads every record of a user's CSV file (no header, '#'
// comments); fields is encoding/csv's FieldsPerRecord (0: as the first
// record, -1: any).
func readUserCSV(path string, fields int) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = fields
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// readTableCSV reads a contexts x tokens table of numbers (no header).
func readTableCSV(path string, c, v int) (*data.Table, error) {
	recs, err := readUserCSV(path, 0)
	if err != nil {
		return nil, err
	}
	if len(recs) != c {
		return nil, fmt.Errorf("%s has %d rows; data.contexts is %d", path, len(recs), c)
	}
	t := data.NewTable(c, v)
	for i, rec := range recs {
		if len(rec) != v {
			return nil, fmt.Errorf("%s row %d has %d columns; data.tokens is %d", path, i+1, len(rec), v)
		}
		for j, s := range rec {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return nil, fmt.Errorf("%s row %d column %d: %w", path, i+1, j+1, err)
			}
			t.P[i*v+j] = x
		}
	}
	return t, nil
}

// pairDrawer returns a function drawing unlabelled pairs (context, a, b) for
// the reward model: tokens uniform over the vocabulary, or from the real table.
func (w *World) pairDrawer(kind string, rng *rand.Rand) func() (int, int, int) {
	ctx := data.NewSampler(w.Context)
	V := w.Real.V
	if kind == "real" {
		ts := data.NewTableSampler(w.Real)
		return func() (int, int, int) {
			c := ctx.Draw(rng)
			return c, ts.Draw(rng, c), ts.Draw(rng, c)
		}
	}
	return func() (int, int, int) {
		c := ctx.Draw(rng)
		return c, rng.IntN(V), rng.IntN(V)
	}
}

// RewardModelStats describes how well a learned reward model matches its
// population's true reward.
type RewardModelStats struct {
	Population    string
	FinalLoss     float64 // Bradley-Terry loss, mean of the last tenth of the steps
	PairAgreement float64 // share of within-context token pairs ordered like the truth
	Spearman      float64 // rank correlation with the truth over all cells
}

// checkAgreement refuses a learned reward model whose pair agreement is
// below reward_model.min_agreement: a curator that orders pairs near chance
// (or, diverged, not at all) would make the run meaningless.
func checkAgreement(cfg config.Config, stats []RewardModelStats) error {
	floor := cfg.RewardModel.MinAgreement
	for _, s := range stats {
		if !(s.PairAgreement >= floor) {
			return fmt.Errorf("the reward model of population %s orders %.3f of pairs like the truth, below reward_model.min_agreement = %g (0.5 is chance): "+
				"train it longer (reward_model.steps), lower reward_model.lr, or lower the floor", s.Population, s.PairAgreement, floor)
		}
	}
	return nil
}

// newRewardModels builds one untrained reward model per population (none
// when the curators use the true rewards).
func (w *World) newRewardModels(cfg config.Config) ([]pairModel, error) {
	if cfg.RewardModel.Use == "true" {
		return nil, nil
	}
	rc := cfg.RewardModel
	rms := make([]pairModel, len(cfg.Populations))
	for a := range rms {
		rm, err := curate.NewRewardModel(w.Real.C, w.Real.V, curate.RewardModelConfig{Hidden: rc.Hidden, Batch: rc.Batch, LR: rc.LR},
			data.Stream(cfg.Seed, data.PurposeRewardModel, a))
		if err != nil {
			for _, r := range rms[:a] {
				r.Close()
			}
			return nil, err
		}
		rms[a] = rm
	}
	return rms, nil
}

// fitRewardModels learns each population's reward model (in parallel) from
// Bradley-Terry labels and sets w.Curator; without reward models (use
// "true") the curators are the true rewards.
func (w *World) fitRewardModels(ctx context.Context, cfg config.Config, rms []pairModel) ([]RewardModelStats, error) {
	P := len(cfg.Populations)
	w.Curator = make([]*data.Table, P)
	if rms == nil {
		copy(w.Curator, w.Truth)
		return nil, nil
	}
	rc := cfg.RewardModel
	stats := make([]RewardModelStats, P)
	err := parallel(P, cfg.Workers, func(a int) error {
		rng := data.Stream(cfg.Seed, data.PurposeLabels, a)
		draw := w.pairDrawer(rc.Pairs, rng)
		lab := curate.Labeller{Truth: w.Truth[a], Temperature: rc.LabelTemperature, Noise: rc.LabelNoise}
		loss, err := rms[a].FitContext(ctx, rc.Steps, func() curate.Pair {
			c, x, y := draw()
			return lab.Label(rng, c, x, y)
		})
		if err != nil {
			return fmt.Errorf("population %s: %w", cfg.Populations[a].Name, err)
		}
		stats[a] = RewardModelStats{Population: cfg.Populations[a].Name, FinalLoss: loss}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for a, rm := range rms {
		w.Curator[a] = rm.Table()
		stats[a].PairAgreement = curate.PairAgreement(w.Curator[a], w.Truth[a], w.Context)
		stats[a].Spearman = curate.Spearman(w.Curator[a].P, w.Truth[a].P)
	}
	return stats, nil
}

// newGenerators builds one generator per model, each seeded by its index.
func newGenerators(cfg config.Config) ([]tableModel, error) {
	gens := make([]tableModel, len(cfg.Models))
	for i, m := range cfg.Models {
		g, err := models.NewGenerator(models.GeneratorConfig{Contexts: cfg.Data.Contexts, Tokens: cfg.Data.Tokens, Hidden: m.Hidden, LR: m.LR},
			data.Stream(cfg.Seed, data.PurposeInit, i, 0))
		if err != nil {
			for _, g := range gens[:i] {
				g.Close()
			}
			return nil, fmt.Errorf("model %s: %w", m.Name, err)
		}
		gens[i] = g
	}
	return gens, nil
}
