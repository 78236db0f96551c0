package models

import (
	"context"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/selfconsume/selfconsume/data"
)

// seqSet draws n sequences of a random sparse Markov law per prompt.
func seqSet(t testing.TB, seed uint64, c int, s data.Seqs, successors, n int) (*data.Table, data.Set) {
	t.Helper()
	tree, err := data.Markov(data.Stream(seed, data.PurposeRealData), c, s, successors, 1)
	if err != nil {
		t.Fatal(err)
	}
	q := tree.Table()
	return q, data.SampleJoint(data.Stream(seed, data.PurposeRealSample), n, data.NewSampler(data.UniformContext(c)), data.NewTableSampler(q))
}

// The enumerated law of an untrained and of a trained generator sums to 1
// per prompt (to 1e-12: float64 products along the tree).
func TestSequenceTableSumsToOne(t *testing.T) {
	s := data.Seqs{V: 3, L: 4}
	_, set := seqSet(t, 1, 2, s, 2, 512)
	for _, w := range []int{0, 1, 3} {
		g, err := NewSequence(SequenceConfig{Prompts: 2, Tokens: 3, Length: 4, Window: w, Hidden: []int{16}, Batch: 64, LR: 3e-3}, data.Stream(1, data.PurposeInit))
		if err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 2; round++ {
			tab := g.Table()
			if tab.V != 81 {
				t.Fatalf("table has %d columns, want 81", tab.V)
			}
			if err := tab.Validate(1e-12); err != nil {
				t.Errorf("window %d, round %d: %v", w, round, err)
			}
			if _, err := g.FitStepsContext(context.Background(), set, 50, 64, data.Stream(1, data.PurposeTrain)); err != nil {
				t.Fatal(err)
			}
		}
		g.Close()
	}
}

// Ancestral sampling along the prefix tree draws the enumerated table's
// law: Pearson's chi-square of 40000 draws over the 27 sequences of each
// prompt below its 1-1e-4 quantile (26 degrees of freedom), and a law
// moved by 0.02 on two cells is refused by the same test.
func TestSequenceAncestralMatchesTable(t *testing.T) {
	g, err := NewSequence(SequenceConfig{Prompts: 2, Tokens: 3, Length: 3, Window: 2, Hidden: []int{8}, Batch: 8, LR: 1e-3}, data.Stream(3, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	tree := g.Tree()
	tab := tree.Table()
	const draws = 40000
	crit := distuv.ChiSquared{K: float64(tab.V - 1)}.Quantile(1 - 1e-4)
	rng := data.Stream(3, data.PurposeRawSample)
	for c := 0; c < tab.C; c++ {
		counts := make([]float64, tab.V)
		for i := 0; i < draws; i++ {
			counts[tree.Draw(rng, c)]++
		}
		chi2 := func(p []float64) float64 {
			s := 0.0
			for y, e := range p {
				e *= draws
				s += (counts[y] - e) * (counts[y] - e) / e
			}
			return s
		}
		if s := chi2(tab.Row(c)); s > crit {
			t.Errorf("prompt %d: chi2 = %.2f > %.2f", c, s, crit)
		}
		wrong := append([]float64(nil), tab.Row(c)...)
		hi, lo := 0, 1
		for y := range wrong {
			if wrong[y] > wrong[hi] {
				hi = y
			}
		}
		if hi == lo {
			lo = 2
		}
		wrong[hi] -= 0.02
		wrong[lo] += 0.02
		if s := chi2(wrong); s < crit {
			t.Errorf("prompt %d: the test cannot tell a 0.02 shift (chi2 %.2f < %.2f)", c, s, crit)
		}
	}
}

// fitExcess trains a generator on set and returns KL(e || p) of the
// empirical law e (the gap to the best fit of the sample, 0 for a count
// fit) with the prompts weighted by their frequencies.
func fitExcess(t *testing.T, set data.Set, c int, s data.Seqs, window, steps int) float64 {
	t.Helper()
	g, err := NewSequence(SequenceConfig{Prompts: c, Tokens: s.V, Length: s.L, Window: window, Hidden: []int{32}, Batch: 256, LR: 1e-2}, data.Stream(2, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, err := g.FitStepsContext(context.Background(), set, steps, 256, data.Stream(2, data.PurposeTrain)); err != nil {
		t.Fatal(err)
	}
	e := data.NewTable(c, s.Size())
	w := make([]float64, c)
	for _, x := range set {
		e.P[int(x.Context)*e.V+int(x.Token)]++
		w[x.Context]++
	}
	if err := e.Normalize(); err != nil {
		t.Fatal(err)
	}
	for k := range w {
		w[k] /= float64(len(set))
	}
	return e.KL(w, g.Table())
}

// With the whole prefix in view (window L-1) the autoregressive class holds
// every law, and training reaches the count fit of its sample: KL(e || p)
// below 0.01 nats (the sample's own law, 54 possible sequences, 4000
// draws). Without the previous token (window 0) a first-order Markov law
// with 2 successors per token is out of reach: the excess stays above 0.1.
func TestSequenceFitGapByWindow(t *testing.T) {
	s := data.Seqs{V: 3, L: 3}
	_, set := seqSet(t, 5, 2, s, 2, 4000)
	full, none := fitExcess(t, set, 2, s, 2, 3000), fitExcess(t, set, 2, s, 0, 1000)
	t.Logf("KL(e||p): window 2 %.5f, window 0 %.5f", full, none)
	if ex := full; ex > 0.01 {
		t.Errorf("window 2: KL(e||p) = %.4f, want < 0.01", ex)
	}
	if ex := none; ex < 0.1 {
		t.Errorf("window 0: KL(e||p) = %.4f, want > 0.1 (misspecified)", ex)
	}
}
