package categorical

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/family"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
)

// NewWorld builds the real data, the true rewards and the mixture counts.
func NewWorld(cfg config.Config) (*family.World, error) {
	d := cfg.Data
	w := &family.World{Context: ContextDistribution(d)}
	rng := data.Stream(cfg.EffectiveWorldSeed(), data.PurposeRealData)
	switch d.Real {
	case "dirichlet":
		w.Real = data.Dirichlet(rng, d.Contexts, d.Tokens, d.Concentration)
	case "zipf":
		w.Real = data.Zipf(rng, d.Contexts, d.Tokens, d.Exponent)
	case "table":
		t, err := ReadTableCSV(d.File, d.Contexts, d.Tokens)
		if err != nil {
			return nil, fmt.Errorf("data.file: %w", err)
		}
		if err := t.Normalize(); err != nil {
			return nil, fmt.Errorf("data.file %s: %w", d.File, err)
		}
		w.Real = t
	}
	err := w.Complete(cfg, func(i int) (*data.Table, error) {
		switch p := cfg.Populations[i]; p.Reward {
		case "random":
			return curate.RandomReward(data.Stream(cfg.EffectiveWorldSeed(), data.PurposeReward, i), d.Contexts, d.Tokens, p.Scale), nil
		case "table":
			t, err := ReadTableCSV(p.File, d.Contexts, d.Tokens)
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

// ContextDistribution is the distribution contexts are drawn from.
func ContextDistribution(d config.DataConfig) []float64 {
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

// ReadUserCSV reads every record of a user's CSV file (no header, '#'
// comments); fields is encoding/csv's FieldsPerRecord (0: as the first
// record, -1: any).
func ReadUserCSV(path string, fields int) ([][]string, error) {
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

// ReadTableCSV reads a contexts x tokens table of numbers (no header).
func ReadTableCSV(path string, c, v int) (*data.Table, error) {
	recs, err := ReadUserCSV(path, 0)
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
func pairDrawer(w *family.World, kind string, rng *rand.Rand) func() (int, int, int) {
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

// newRewardModels builds one untrained reward model per population (none
// when the curators use the true rewards).
func newRewardModels(w *family.World, cfg config.Config) ([]PairModel, error) {
	if cfg.RewardModel.Use == "true" {
		return nil, nil
	}
	rc := cfg.RewardModel
	rms := make([]PairModel, len(cfg.Populations))
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
func fitRewardModels(ctx context.Context, w *family.World, cfg config.Config, rms []PairModel) ([]family.RewardModelStats, error) {
	P := len(cfg.Populations)
	w.Curator = make([]*data.Table, P)
	if rms == nil {
		copy(w.Curator, w.Truth)
		return nil, nil
	}
	rc := cfg.RewardModel
	stats := make([]family.RewardModelStats, P)
	err := family.Parallel(P, cfg.Workers, func(a int) error {
		rng := data.Stream(cfg.Seed, data.PurposeLabels, a)
		draw := pairDrawer(w, rc.Pairs, rng)
		lab := curate.Labeller{Truth: w.Truth[a], Temperature: rc.LabelTemperature, Noise: rc.LabelNoise}
		loss, err := rms[a].FitContext(ctx, rc.Steps, func() curate.Pair {
			c, x, y := draw()
			return lab.Label(rng, c, x, y)
		})
		if err != nil {
			return fmt.Errorf("population %s: %w", cfg.Populations[a].Name, err)
		}
		stats[a] = family.RewardModelStats{Population: cfg.Populations[a].Name, FinalLoss: loss}
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
func newGenerators(cfg config.Config) ([]TableModel, error) {
	gens := make([]TableModel, len(cfg.Models))
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
