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
	g1, s1 := trainGeneratorAndScorer(t, nil, runTape)
	g2, s2 := trainGeneratorAndScorer(t, nil, runTapeReset)
	if !slices.Equal(g1, g2) || !slices.Equal(s1, s2) {
		t.Fatal("rewinding changed the training result")
	}
}

// The program must give the tape machine's bits.
func TestProgramMatchesTape(t *testing.T) {
	t.Parallel()
	for _, act := range []activation{nil, ReLU} {
		g1, s1 := trainGeneratorAndScorer(t, act, runTape)
		g2, s2 := trainGeneratorAndScorer(t, act, runProgram)
		if !slices.Equal(g1, g2) || !slices.Equal(s1, s2) {
			t.Fatalf("fused %t: the program changed the training result", act == nil)
		}
	}
}

// The ReLU op and the fused networks (Dense layers, CountCE loss) must give
// gorgonia's composed graph's bits (Mul, BroadcastAdd, Rectify,
// stableLogSoftMax) in the generator and the scorer.
func TestFusedMatchesComposed(t *testing.T) {
	t.Parallel()
	g1, s1 := trainGeneratorAndScorer(t, G.Rectify, runTape)
	g2, s2 := trainGeneratorAndScorer(t, ReLU, runTape)
	if !slices.Equal(g1, g2) || !slices.Equal(s1, s2) {
		t.Fatal("the ReLU op changed the training result")
	}
	g3, s3 := trainGeneratorAndScorer(t, nil, runTape)
	if !slices.Equal(g1, g3) || !slices.Equal(s1, s3) {
		t.Fatal("the fused network changed the training result")
	}
}

// How trainGeneratorAndScorer runs the steps: gorgonia's tape machine,
// rewound or Reset, or the program.
const (
	runTape = iota
	runTapeReset
	runProgram
)

// trainGeneratorAndScorer builds a generator and a scorer with activation
// act (nil: fused), trains the generator for 3 epochs and the scorer for
// 50 steps, run as run says, and returns the parameters.
func trainGeneratorAndScorer(t *testing.T, act activation, run int) ([]float64, []float32) {
	t.Helper()
	_, set := realSet(t, 7, 4, 6, 1000)
	g, err := newGenerator(GeneratorConfig{Contexts: 4, Tokens: 6, Hidden: []int{16, 16}, LR: 1e-2}, act, data.Stream(1, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if run != runProgram {
		g.tr.useTape(run == runTapeReset)
	}
	s, err := newScorer(ScorerConfig{Inputs: 5, Hidden: []int{8}, Batch: 32, LR: 1e-2}, act, data.Stream(2, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if run != runProgram {
		s.tr.useTape(run == runTapeReset)
	}
	if run == runTape && !g.tr.rw.Fast() {
		t.Fatal("gorgonia's tape machine has no program counter field: rewinding is off")
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
