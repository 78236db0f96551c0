package models

import (
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// A scorer trained on noiseless preferences of a linear reward must order
// fresh pairs like the reward.
func TestScorerLearnsOrdering(t *testing.T) {
	t.Parallel()
	const F = 6
	w := []float64{1, -2, 0.5, 3, 0, -1}
	reward := func(x []float32) float64 {
		s := 0.0
		for i, v := range x {
			s += w[i] * float64(v)
		}
		return s
	}
	s, err := NewScorer(ScorerConfig{Inputs: F, Hidden: []int{32}, Batch: 64, LR: 1e-2}, data.Stream(4, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rng := data.Stream(4, data.PurposeLabels)
	for step := 0; step < 300; step++ {
		_, err := s.Step(func(b int, win, lose []float32) {
			for i := range win {
				win[i] = float32(rng.NormFloat64())
				lose[i] = float32(rng.NormFloat64())
			}
			if reward(win) < reward(lose) {
				copy(win, lose)
				for i := range lose {
					lose[i] = float32(rng.NormFloat64())
				}
				if reward(win) < reward(lose) {
					for i := range win {
						win[i], lose[i] = lose[i], win[i]
					}
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	agree, n := 0, 2000
	for i := 0; i < n; i++ {
		a, b := make([]float64, F), make([]float64, F)
		af, bf := make([]float32, F), make([]float32, F)
		for k := range a {
			a[k], b[k] = rng.NormFloat64(), rng.NormFloat64()
			af[k], bf[k] = float32(a[k]), float32(b[k])
		}
		sa, sb := s.Score(a, 1)[0], s.Score(b, 1)[0]
		if (sa > sb) == (reward(af) > reward(bf)) {
			agree++
		}
	}
	// 95% is far above chance (50%, sd 1.1% at n=2000).
	if frac := float64(agree) / float64(n); frac < 0.95 || math.IsNaN(frac) {
		t.Fatalf("scorer agrees with the reward on %.3f of pairs, want >= 0.95", frac)
	}
}
