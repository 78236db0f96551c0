package models

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ScorerConfig sizes a reward scorer: feature vector -> hidden... -> 1.
type ScorerConfig struct {
	Inputs int
	Hidden []int
	Batch  int     // pairs per Adam step
	LR     float64 // Adam learning rate
}

// Scorer is a scalar reward model r(x) trained on preference pairs with the
// Bradley-Terry loss mean softplus(r(loser) - r(winner)).
type Scorer struct {
	cfg           ScorerConfig
	net           *mlp
	tr            *trainer
	solver        *Adam
	loss          *G.Node
	winner, loser []float32 // Batch x Inputs, refilled each step
}

// NewScorer builds the scorer's training graph once, with parameters drawn
// from rng.
func NewScorer(cfg ScorerConfig, rng *rand.Rand) (*Scorer, error) {
	return newScorer(cfg, nil, rng)
}

// newScorer is NewScorer with the hidden layers' activation (nil: fused).
func newScorer(cfg ScorerConfig, act activation, rng *rand.Rand) (*Scorer, error) {
	if cfg.Inputs < 1 || cfg.Batch < 1 {
		return nil, fmt.Errorf("scorer needs >= 1 input and batch >= 1, got %d and %d", cfg.Inputs, cfg.Batch)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	B, F := cfg.Batch, cfg.Inputs
	g := G.NewGraph()
	s := &Scorer{cfg: cfg, winner: make([]float32, B*F), loser: make([]float32, B*F)}
	s.net = newMLP(g, "score", append(append([]int{F}, cfg.Hidden...), 1), act, rng)
	xw := G.NewMatrix(g, tensor.Float32, G.WithShape(B, F), G.WithName("winner"),
		G.WithValue(tensor.New(tensor.WithShape(B, F), tensor.WithBacking(s.winner))))
	xl := G.NewMatrix(g, tensor.Float32, G.WithShape(B, F), G.WithName("loser"),
		G.WithValue(tensor.New(tensor.WithShape(B, F), tensor.WithBacking(s.loser))))
	rWin, err := s.net.forward(xw)
	if err != nil {
		return nil, err
	}
	rLose, err := s.net.forward(xl)
	if err != nil {
		return nil, err
	}
	d, err := G.Sub(rLose, rWin)
	if err != nil {
		return nil, err
	}
	sp, err := G.Softplus(d)
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(sp)
	if err != nil {
		return nil, err
	}
	if s.loss, err = G.Div(sum, G.NewConstant(float32(B))); err != nil {
		return nil, err
	}
	if s.tr, err = compileTraining(g, s.loss, s.net.params); err != nil {
		return nil, err
	}
	s.ResetOptimizer()
	return s, nil
}

// ResetOptimizer starts Adam afresh (zero moments, step count zero).
func (s *Scorer) ResetOptimizer() { s.solver = NewAdam(s.cfg.LR) }

// Close releases the tape machine.
func (s *Scorer) Close() { s.tr.close() }

// Inputs returns the feature length.
func (s *Scorer) Inputs() int { return s.cfg.Inputs }

// Batch returns the number of pairs per step.
func (s *Scorer) Batch() int { return s.cfg.Batch }

// Step runs one Adam step on a batch of pairs. fill writes pair b's winner
// and loser features into the two slices it is given (each Inputs long,
// zeroed beforehand).
func (s *Scorer) Step(fill func(b int, winner, loser []float32)) (float64, error) {
	F := s.cfg.Inputs
	clear(s.winner)
	clear(s.loser)
	for b := 0; b < s.cfg.Batch; b++ {
		fill(b, s.winner[b*F:(b+1)*F], s.loser[b*F:(b+1)*F])
	}
	return s.tr.step(s.solver)
}

// Score evaluates r on n feature rows (row-major n x Inputs) in float64.
func (s *Scorer) Score(x []float64, n int) []float64 { return s.net.forwardRows(x, n) }

// ScoreBlocks is Score with the feature rows [lo, hi) supplied block by block
// by input (at most 511 rows at a time; the slice is read before the next
// call), so that n rows need not be held at once. Same numbers as Score on
// the same rows.
func (s *Scorer) ScoreBlocks(n int, input func(lo, hi int) []float64) []float64 {
	return s.net.forwardBlocks(n, input)
}

// Params returns a copy of the parameters.
func (s *Scorer) Params() []float32 { return s.net.flat() }

// SetParams overwrites the parameters.
func (s *Scorer) SetParams(p []float32) error { return s.net.setFlat(p) }
