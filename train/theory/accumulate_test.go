package theory

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
)

// The accumulating map is the running average of p_0 and the images
// Phi(p_0), ..., Phi(p_{t-1}) (checked against that sum at every
// generation to 1e-12), and it approaches the replace map's fixed point.
func TestAccumulateTrajectoryIsRunningAverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	s := randomSystem(rng, 2, 2, 3, 5, curate.Law{K: 3, Tau: 1}, 0.3)
	traj := s.AccumulateTrajectory(s.Start(), 40)
	sum := make([][]float64, len(s.Models))
	for i := range sum {
		sum[i] = append([]float64(nil), traj[0][i].P...)
	}
	for g := 1; g < len(traj); g++ {
		img := s.Step(traj[g-1])
		for i := range sum {
			for k := range sum[i] {
				sum[i][k] += img[i].P[k]
				if d := math.Abs(sum[i][k]/float64(g+1) - traj[g][i].P[k]); d > 1e-12 {
					t.Fatalf("generation %d model %d cell %d: map %g, running average %g", g, i, k, traj[g][i].P[k], sum[i][k]/float64(g+1))
				}
			}
		}
	}
	fp, err := s.FixedPoint(s.Start(), 1e-13)
	if err != nil {
		t.Fatal(err)
	}
	d0, d40 := s.TV(traj[0], fp.P), s.TV(traj[40], fp.P)
	// Power law t^-(1-lambda): at least a factor 2 over 40 generations when rho < 0.8.
	if fp.Rho >= 0.8 || !(d40 < d0/2) {
		t.Errorf("rho %.3f; TV to p* %.4g at generation 0, %.4g at 40: want rho < 0.8 and a halving", fp.Rho, d0, d40)
	}
}

func TestAccumulateGenerationsTo(t *testing.T) {
	for _, c := range []struct{ rho, eps, want float64 }{
		{0.5, 0.01, 1e4}, {0, 0.1, 10}, {1, 0.1, math.Inf(1)}, {0.5, 1, 0},
	} {
		if got := AccumulateGenerationsTo(c.rho, c.eps); math.Abs(got-c.want) > 1e-9*c.want && got != c.want {
			t.Errorf("AccumulateGenerationsTo(%g, %g) = %g, want %g", c.rho, c.eps, got, c.want)
		}
	}
}
