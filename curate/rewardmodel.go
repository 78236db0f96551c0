package curate

import (
	"context"
	"math/rand/v2"
	"slices"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
)

// RewardModel is a learned reward on contexts x tokens: an MLP on
// one-hot(context) ++ one-hot(token), fitted to preference pairs with the
// Bradley-Terry loss.
type RewardModel struct {
	C, V   int
	scorer *models.Scorer
}

// RewardModelConfig sizes a learned reward model.
type RewardModelConfig struct {
	Hidden []int
	Batch  int // pairs per Adam step
	LR     float64
}

// NewRewardModel builds a reward model for c contexts and v tokens.
func NewRewardModel(c, v int, cfg RewardModelConfig, rng *rand.Rand) (*RewardModel, error) {
	s, err := models.NewScorer(models.ScorerConfig{Inputs: c + v, Hidden: cfg.Hidden, Batch: cfg.Batch, LR: cfg.LR}, rng)
	if err != nil {
		return nil, err
	}
	return &RewardModel{C: c, V: v, scorer: s}, nil
}

// Close releases the network.
func (m *RewardModel) Close() { m.scorer.Close() }

// Fit runs steps Adam steps, each on a fresh batch of pairs from draw, and
// returns the mean loss of the last tenth of the steps.
func (m *RewardModel) Fit(steps int, draw func() Pair) (float64, error) {
	return m.FitContext(context.Background(), steps, draw)
}

// FitContext is Fit that stops with ctx's error (it looks every
// models.CheckEvery steps) when ctx is cancelled.
func (m *RewardModel) FitContext(ctx context.Context, steps int, draw func() Pair) (float64, error) {
	return FitPairs(ctx, m.scorer, steps, func(win, lose []float32) {
		p := draw()
		win[p.Context], win[m.C+int(p.Winner)] = 1, 1
		lose[p.Context], lose[m.C+int(p.Loser)] = 1, 1
	})
}

// Table evaluates the learned reward on every (context, token) cell.
func (m *RewardModel) Table() *data.Table {
	F := m.C + m.V
	var x []float64 // one block of one-hot rows, reused: not C*V*(C+V) floats at once
	input := func(lo, hi int) []float64 {
		x = slices.Grow(x[:0], (hi-lo)*F)[:(hi-lo)*F]
		clear(x)
		for r := lo; r < hi; r++ {
			k := (r - lo) * F
			x[k+r/m.V], x[k+m.C+r%m.V] = 1, 1
		}
		return x
	}
	return &data.Table{C: m.C, V: m.V, P: m.scorer.ScoreBlocks(m.C*m.V, input)}
}

// ResetOptimizer starts Adam afresh, so that a refit depends only on the
// parameters and the pairs.
func (m *RewardModel) ResetOptimizer() { m.scorer.ResetOptimizer() }

// Params returns a copy of the parameters.
func (m *RewardModel) Params() []float32 { return m.scorer.Params() }

// SetParams overwrites the parameters.
func (m *RewardModel) SetParams(p []float32) error { return m.scorer.SetParams(p) }
