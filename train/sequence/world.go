package sequence

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
	"github.com/selfconsume/selfconsume/train/categorical"
	"github.com/selfconsume/selfconsume/train/family"
)

// seqsOf is the sequence space of a config: data.tokens tokens, length
// data.sequence.length.
func seqsOf(cfg config.Config) data.Seqs {
	return data.Seqs{V: cfg.Data.Tokens, L: cfg.Data.Sequence.Length}
}

// NewWorld is the world of sequences: the real law of every
// prompt enumerated on its V^L sequences (a C x V^L table), the
// populations' true rewards on the same cells, the held-out set and the
// mixture counts.
func NewWorld(cfg config.Config) (*family.World, error) {
	d, sq := cfg.Data, cfg.Data.Sequence
	s := seqsOf(cfg)
	w := &family.World{Context: categorical.ContextDistribution(d)}
	switch sq.Source {
	case "markov":
		tree, err := data.Markov(data.Stream(cfg.EffectiveWorldSeed(), data.PurposeRealData), d.Contexts, s, sq.Successors, sq.Concentration)
		if err != nil {
			return nil, fmt.Errorf("data.sequence: %w", err)
		}
		w.Real = tree.Table()
	case "file":
		t, err := readSequencesCSV(sq.File, d.Contexts, s)
		if err != nil {
			return nil, fmt.Errorf("data.sequence.file: %w", err)
		}
		w.Real = t
	}
	if err := w.Complete(cfg, func(i int) (*data.Table, error) { return sequenceReward(cfg, i) }); err != nil {
		return nil, err
	}
	return w, nil
}

// sequenceReward is population i's own true reward on the C x V^L cells:
//
//	random    r(c, x) = sum_t R[c][t][x_t], every R entry N(0, scale^2) (a
//	          per-prompt, per-position token reward);
//	features  r(x) = sum_k weight_k f_k(x), the same for every prompt;
//	table     read from a CSV, contexts x V^L.
func sequenceReward(cfg config.Config, i int) (*data.Table, error) {
	d, p := cfg.Data, cfg.Populations[i]
	s := seqsOf(cfg)
	out := data.NewTable(d.Contexts, s.Size())
	x := make([]int, s.L)
	switch p.Reward {
	case "random":
		r := curate.RandomReward(data.Stream(cfg.EffectiveWorldSeed(), data.PurposeReward, i), d.Contexts*s.L, s.V, p.Scale)
		for k := range out.P {
			c := k / out.V
			for t, y := range s.Decode(k%out.V, x) {
				out.P[k] += r.At(c*s.L+t, y)
			}
		}
	case "features":
		for y := 0; y < out.V; y++ {
			v := featureReward(p.Features, s.Decode(y, x))
			for c := 0; c < out.C; c++ {
				out.P[c*out.V+y] = v
			}
		}
	case "table":
		t, err := categorical.ReadTableCSV(p.File, d.Contexts, s.Size())
		if err != nil {
			return nil, fmt.Errorf("populations.%d.file: %w", i, err)
		}
		return t, nil
	default:
		return nil, fmt.Errorf("populations.%d.reward: %q is not a reward on sequences", i, p.Reward)
	}
	return out, nil
}

// featureReward is sum_k weight_k f_k(x) over the features fs.
func featureReward(fs []config.FeatureConfig, x []int) float64 {
	r := 0.0
	for _, f := range fs {
		r += f.Weight * feature(f, x)
	}
	return r
}

// feature is one feature of the sequence x (see config.FeatureConfig).
func feature(f config.FeatureConfig, x []int) float64 {
	L := len(x)
	switch f.Kind {
	case "at":
		return indicator(x[f.Position] == f.Token)
	case "motif":
		for t := 0; t+len(f.Motif) <= L; t++ {
			if slices.Equal(x[t:t+len(f.Motif)], f.Motif) {
				return 1
			}
		}
		return 0
	case "ends_with":
		return indicator(x[L-1] == f.Token)
	case "count":
		n := 0
		for _, y := range x {
			n += int(indicator(y == f.Token))
		}
		return float64(n) / float64(L)
	case "stop":
		if t := slices.Index(x, f.Token); t >= 0 {
			return float64(t) / float64(L)
		}
		return 1
	}
	panic("unknown sequence feature " + f.Kind) // refused by Validate
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// readSequencesCSV reads sequences, one per row "prompt, token_1, ...,
// token_L" (no header, '#' comments), and returns their empirical law per
// prompt; every prompt needs at least one sequence.
func readSequencesCSV(path string, c int, s data.Seqs) (*data.Table, error) {
	recs, err := categorical.ReadUserCSV(path, -1)
	if err != nil {
		return nil, err
	}
	t := data.NewTable(c, s.Size())
	x := make([]int, s.L)
	for i, rec := range recs {
		if len(rec) != 1+s.L {
			return nil, fmt.Errorf("%s row %d has %d fields; want the prompt and %d tokens", path, i+1, len(rec), s.L)
		}
		var vals []int
		for j, field := range rec {
			v, err := strconv.Atoi(strings.TrimSpace(field))
			limit := s.V
			if j == 0 {
				limit = c
			}
			if err != nil || v < 0 || v >= limit {
				return nil, fmt.Errorf("%s row %d field %d: %q is not an integer in [0, %d)", path, i+1, j+1, field, limit)
			}
			vals = append(vals, v)
		}
		copy(x, vals[1:])
		t.P[vals[0]*t.V+s.Encode(x)]++
	}
	if err := t.Normalize(); err != nil {
		return nil, fmt.Errorf("%s: prompt %w: every prompt needs a sequence", path, err)
	}
	return t, nil
}

// seqRewardModel is a learned reward on sequences: an MLP on the prompt's
// one-hot and the sequence's features, fitted to Bradley-Terry pairs:
// positions (one-hot token at every position, L*V inputs) or bag (the
// share of positions holding each token, V inputs; it cannot tell where a
// token stands, so a motif or an ending is beyond it).
type seqRewardModel struct {
	s      data.Seqs
	c      int
	bag    bool
	scorer *models.Scorer
	x      []int
}

// newSequenceRewardModels builds one untrained reward model per population
// (none when the curators use the true rewards).
func newSequenceRewardModels(cfg config.Config) ([]categorical.PairModel, error) {
	if cfg.RewardModel.Use == "true" {
		return nil, nil
	}
	rc := cfg.RewardModel
	rms := make([]categorical.PairModel, len(cfg.Populations))
	for a := range rms {
		m := &seqRewardModel{s: seqsOf(cfg), c: cfg.Data.Contexts, bag: cfg.Data.Sequence.Features == "bag"}
		m.x = make([]int, m.s.L)
		sc, err := models.NewScorer(models.ScorerConfig{Inputs: m.inputs(), Hidden: rc.Hidden, Batch: rc.Batch, LR: rc.LR},
			data.Stream(cfg.Seed, data.PurposeRewardModel, a))
		if err != nil {
			for _, r := range rms[:a] {
				r.Close()
			}
			return nil, err
		}
		m.scorer = sc
		rms[a] = m
	}
	return rms, nil
}

func (m *seqRewardModel) inputs() int {
	if m.bag {
		return m.c + m.s.V
	}
	return m.c + m.s.L*m.s.V
}

// features writes prompt c's one-hot and sequence y's features into row
// (zeroed beforehand).
func (m *seqRewardModel) features(row []float32, c, y int) {
	row[c] = 1
	for t, tok := range m.s.Decode(y, m.x) {
		if m.bag {
			row[m.c+tok] += 1 / float32(m.s.L)
		} else {
			row[m.c+t*m.s.V+tok] = 1
		}
	}
}

func (m *seqRewardModel) FitContext(ctx context.Context, steps int, draw func() curate.Pair) (float64, error) {
	return curate.FitPairs(ctx, m.scorer, steps, func(win, lose []float32) {
		p := draw()
		m.features(win, int(p.Context), int(p.Winner))
		m.features(lose, int(p.Context), int(p.Loser))
	})
}

// Table scores every (prompt, sequence) cell.
func (m *seqRewardModel) Table() *data.Table {
	F, n := m.inputs(), m.s.Size()
	row := make([]float32, F)
	var x []float64
	input := func(lo, hi int) []float64 {
		x = slices.Grow(x[:0], (hi-lo)*F)[:(hi-lo)*F]
		for r := lo; r < hi; r++ {
			clear(row)
			m.features(row, r/n, r%n)
			for k, v := range row {
				x[(r-lo)*F+k] = float64(v)
			}
		}
		return x
	}
	return &data.Table{C: m.c, V: n, P: m.scorer.ScoreBlocks(m.c*n, input)}
}

func (m *seqRewardModel) ResetOptimizer()             { m.scorer.ResetOptimizer() }
func (m *seqRewardModel) Params() []float32           { return m.scorer.Params() }
func (m *seqRewardModel) SetParams(p []float32) error { return m.scorer.SetParams(p) }
func (m *seqRewardModel) Close()                      { m.scorer.Close() }
