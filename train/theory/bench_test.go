package theory

import (
	"math/rand/v2"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
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

// BenchmarkTheoryApproach times the count along the map to 1e-3 at the
// bench-cat shape, with the fixed-point solve's plain iterates kept
// (FixedPointPath, as predict does) and evaluated again.
func BenchmarkTheoryApproach(b *testing.B) {
	s := benchSystem()
	p0 := s.Start()
	fp, path, err := s.FixedPointPath(p0, 1e-12, 64<<20)
	if err != nil {
		b.Fatal(err)
	}
	traj := [][]*data.Table{p0}
	b.Run("kept", func(b *testing.B) {
		for b.Loop() {
			s.ApproachPath(traj, path, fp.P, nil, 1e-3, 20000)
		}
	})
	b.Run("recomputed", func(b *testing.B) {
		for b.Loop() {
			s.ApproachAlong(traj, fp.P, nil, 1e-3, 20000)
		}
	})
}
