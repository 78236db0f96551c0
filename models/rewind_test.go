package models

import (
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/selfconsume/selfconsume/data"
)

// Rewinding the program counter instead of Reset must not change a single
// bit: same parameters after 3 epochs of the generator and 50 scorer steps.
func TestRewindMatchesReset(t *testing.T) {
	t.Parallel()
	g1, s1 := trainGeneratorAndScorer(t, nil, false)
	g2, s2 := trainGeneratorAndScorer(t, nil, true)
	if !slices.Equal(g1, g2) || !slices.Equal(s1, s2) {
		t.Fatal("rewinding changed the training result")
	}
}

// The ReLU op and the fused networks (Dense layers, CountCE loss) must give
// gorgonia's composed graph's bits (Mul, BroadcastAdd, Rectify,
// stableLogSoftMax) in the generator and the scorer.
func TestFusedMatchesComposed(t *testing.T) {
	t.Parallel()
	g1, s1 := trainGeneratorAndScorer(t, G.Rectify, false)
	g2, s2 := trainGeneratorAndScorer(t, ReLU, false)
	if !slices.Equal(g1, g2) || !slices.Equal(s1, s2) {
		t.Fatal("the ReLU op changed the training result")
	}
	g3, s3 := trainGeneratorAndScorer(t, nil, false)
	if !slices.Equal(g1, g3) || !slices.Equal(s1, s3) {
		t.Fatal("the fused network changed the training result")
	}
}

// trainGeneratorAndScorer builds a generator and a scorer with activation
// act (nil: fused; rewinding with Reset when resetting), trains the generator for 3
// epochs and the scorer for 50 steps, and returns the parameters.
func trainGeneratorAndScorer(t *testing.T, act activation, resetting bool) ([]float64, []float32) {
	t.Helper()
	_, set := realSet(t, 7, 4, 6, 1000)
	g, err := newGenerator(GeneratorConfig{Contexts: 4, Tokens: 6, Hidden: []int{16, 16}, LR: 1e-2}, act, data.Stream(1, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if !g.rw.Fast() {
		t.Fatal("gorgonia's tape machine has no program counter field: rewinding is off")
	}
	s, err := newScorer(ScorerConfig{Inputs: 5, Hidden: []int{8}, Batch: 32, LR: 1e-2}, act, data.Stream(2, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if resetting {
		g.rw, s.rw = g.rw.Resetting(), s.rw.Resetting()
	}
	if _, err := g.Fit(set, 3, 64, data.Stream(1, data.PurposeTrain)); err != nil {
		t.Fatal(err)
	}
	rng := data.Stream(2, data.PurposeLabels)
	for i := 0; i < 50; i++ {
		if _, err := s.Step(func(_ int, w, l []float32) {
			for k := range w {
				w[k], l[k] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	return g.Params(), s.Params()
}
