package theory

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
)

// The matrix-free solver agrees with the dense one to 1e-8 on random
// systems of every law family: fixed point, spectral radius and influence.
func TestMatrixFreeMatchesDense(t *testing.T) {
	laws := []curate.Law{{K: 4, Tau: 1}, {K: 2, Tau: 0.5}, {K: 3, Tau: 0}, {Infinite: true, Tau: 1}, {K: 1}}
	for li, law := range laws {
		for seed := uint64(1); seed <= 3; seed++ {
			rng := rand.New(rand.NewPCG(seed, uint64(li)))
			// seed 3: 3 (50-1) = 147 tangent coordinates per context, beyond
			// the Krylov basis, so the radius restarts
			v := 12
			if seed == 3 {
				v = 50
			}
			s := randomSystem(rng, 3, 2, 3, v, law, 0.3)
			s.Solver = SolverDense
			fd, errD := s.FixedPoint(nil, 1e-12)
			mf := *s
			mf.Solver = SolverMatrixFree
			fm, errM := mf.FixedPoint(nil, 1e-12)
			if (errD == nil) != (errM == nil) {
				t.Fatalf("law %v seed %d: errors %v and %v", law, seed, errD, errM)
			}
			if d := maxAbsDiff(fd.J, fm.J); d > 1e-8 {
				t.Errorf("law %v seed %d: J differs by %.3g", law, seed, d)
			}
			if d := math.Abs(fd.Rho - fm.Rho); d > 1e-8 {
				t.Errorf("law %v seed %d: rho %.15g dense, %.15g matrix-free", law, seed, fd.Rho, fm.Rho)
			}
			if !fd.Attracting() {
				continue
			}
			kn, err := SelfCurated(s, 0)
			if err != nil {
				t.Fatal(err)
			}
			id, err := s.Influence(kn, fd)
			if err != nil {
				t.Fatal(err)
			}
			im, err := mf.Influence(kn, fd)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(id.Total, im.Total); d > 1e-8 {
				t.Errorf("law %v seed %d: total influence differs by %.3g", law, seed, d)
			}
			if d := maxAbsDiff(id.Isolated, im.Isolated); d > 1e-8 {
				t.Errorf("law %v seed %d: isolated influence differs by %.3g", law, seed, d)
			}
			t.Logf("law %v seed %d: rho %.6f, |drho| %.2g, |dJ| %.2g", law, seed, fd.Rho, math.Abs(fd.Rho-fm.Rho), maxAbsDiff(fd.J, fm.J))
		}
	}
}
