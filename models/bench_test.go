package models

import (
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// BenchmarkGeneratorStep is one Adam step of bench-cat's generator
// (one-hot(16) -> 128 -> 128 -> 64) on a batch of 256 samples.
func BenchmarkGeneratorStep(b *testing.B) {
	_, set := realSet(b, 1, 16, 64, 256)
	g, err := NewGenerator(GeneratorConfig{Contexts: 16, Tokens: 64, Hidden: []int{128, 128}, LR: 1e-3}, data.Stream(1, data.PurposeInit))
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	idx := make([]int32, len(set))
	for i := range idx {
		idx[i] = int32(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g.fillBatch(set, idx)
		if _, err := g.step(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScorerStep is one Bradley-Terry Adam step of bench-cat's reward
// model (one-hot(16) ++ one-hot(64) -> 128 -> 128 -> 1) on 256 pairs.
func BenchmarkScorerStep(b *testing.B) {
	s, err := NewScorer(ScorerConfig{Inputs: 80, Hidden: []int{128, 128}, Batch: 256, LR: 1e-3}, data.Stream(1, data.PurposeInit))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rng := data.Stream(1, data.PurposeLabels)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Step(func(_ int, w, l []float32) {
			w[rng.IntN(16)], w[16+rng.IntN(64)] = 1, 1
			l[rng.IntN(16)], l[16+rng.IntN(64)] = 1, 1
		}); err != nil {
			b.Fatal(err)
		}
	}
}
