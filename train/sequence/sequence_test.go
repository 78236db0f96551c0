package sequence

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// The K-choice of sequences drawn by ancestral sampling keeps sequences
// with the exact curation law of the enumerated table (curate.Law, the
// law the theory and the loop's curation use): Pearson's chi-square of
// 60000 choices over 27 sequences below the 1-1e-4 quantile, Luce (tau
// 0.5) and best-of-K (ties, as the features' rewards have, split evenly).
func TestSequenceCurationLaw(t *testing.T) {
	s := data.Seqs{V: 3, L: 3}
	tree, err := data.Markov(data.Stream(4, data.PurposeRealData), 1, s, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := tree.Table()
	r := data.NewTable(1, s.Size())
	fs := []config.FeatureConfig{{Kind: "motif", Motif: []int{0, 1}, Weight: 1}, {Kind: "count", Token: 2, Weight: -1}}
	x := make([]int, s.L)
	for y := range r.P {
		r.P[y] = featureReward(fs, s.Decode(y, x))
	}
	const draws = 60000
	crit := distuv.ChiSquared{K: float64(s.Size() - 1)}.Quantile(1 - 1e-4)
	for _, law := range []curate.Law{{K: 4, Tau: 0.5}, {K: 3, Tau: 0}} {
		rng := data.Stream(4, data.PurposeCurate, law.K)
		counts := make([]float64, s.Size())
		cand, scores := make([]int, law.K), make([]float64, law.K)
		for i := 0; i < draws; i++ {
			for k := range cand {
				cand[k] = tree.Draw(rng, 0)
				scores[k] = r.P[cand[k]]
			}
			k, _ := curate.Luce(rng, scores, law.Tau)
			counts[cand[k]]++
		}
		want := law.ApplyTable(p, r)
		stat := 0.0
		for y, e := range want.P {
			e *= draws
			stat += (counts[y] - e) * (counts[y] - e) / e
		}
		if stat > crit {
			t.Errorf("%v: chi2 = %.2f > %.2f", law, stat, crit)
		}
	}
}

// distinctN of a law on one sequence is its number of distinct n-grams
// over m (L-n+1); of the uniform law on 2 tokens, L = 2, n = 1, it is the
// expected distinct count 2 (1 - (1/2)^(2m)) over 2m.
func TestDistinctN(t *testing.T) {
	s := data.Seqs{V: 2, L: 2}
	one := data.NewTable(1, 4)
	one.P[s.Encode([]int{1, 1})] = 1
	if got := distinctN(one, []float64{1}, s, 1, 5); math.Abs(got-1.0/10) > 1e-15 {
		t.Errorf("one sequence: distinct_1 = %g, want 0.1", got)
	}
	if got := distinctN(one, []float64{1}, s, 2, 5); math.Abs(got-1.0/5) > 1e-15 {
		t.Errorf("one sequence: distinct_2 = %g, want 0.2", got)
	}
	uni := data.UniformTable(1, 4)
	want := 2 * (1 - math.Pow(0.5, 6)) / 6
	if got := distinctN(uni, []float64{1}, s, 1, 3); math.Abs(got-want) > 1e-12 {
		t.Errorf("uniform: distinct_1 = %g, want %g", got, want)
	}
}
