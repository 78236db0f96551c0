package theory

import (
	"math/rand/v2"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
)

// benchSystem is the bench-cat shape: 3 models, 16 contexts, 64 tokens,
// K = 4 at temperature 1, half real data.
func benchSystem() *System {
	rng := rand.New(rand.NewPCG(42, 42))
	return randomSystem(rng, 3, 3, 16, 64, curate.Law{K: 4, Tau: 1}, 0.5)
}

// BenchmarkTheoryStep times one generation of Phi at the bench-cat shape.
func BenchmarkTheoryStep(b *testing.B) {
	s := benchSystem()
	ps := s.Start()
	for b.Loop() {
		s.Step(ps)
	}
}

// BenchmarkTheoryJacobianBlocks times D Phi at the bench-cat shape.
func BenchmarkTheoryJacobianBlocks(b *testing.B) {
	s := benchSystem()
	ps := s.Start()
	for b.Loop() {
		s.JacobianBlocks(ps)
	}
}

// BenchmarkTheoryFixedPoint times solving p* to 1e-12 at the bench-cat shape.
func BenchmarkTheoryFixedPoint(b *testing.B) {
	s := benchSystem()
	for b.Loop() {
		if _, err := s.FixedPoint(nil, 1e-12); err != nil {
			b.Fatal(err)
		}
	}
}
