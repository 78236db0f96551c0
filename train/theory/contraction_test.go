package theory

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// TestTheoryLocalLipschitzVertex: at a vertex delta_y the local TV norm of
// the K-choice law is max_{x != y} K u_x / (u_x + (K-1) u_y) (a single draw
// off y is kept with that probability), and of the tilt max_{x != y}
// u_x/u_y; both to 1e-10.
func TestTheoryLocalLipschitzVertex(t *testing.T) {
	r := []float64{0.3, -0.8, 1.1, 0.2}
	const tau = 0.6
	for _, law := range []curate.Law{{K: 2, Tau: tau}, {K: 3, Tau: tau}, {K: 7, Tau: tau}, {Infinite: true, Tau: tau}} {
		for y := range r {
			p := make([]float64, len(r))
			p[y] = 1
			uy := math.Exp(r[y] / tau)
			want := 0.0
			for x := range r {
				if x == y {
					continue
				}
				ux := math.Exp(r[x] / tau)
				a := ux / uy
				if !law.Infinite {
					k := float64(law.K)
					a = k * ux / (ux + (k-1)*uy)
				}
				want = math.Max(want, a)
			}
			if got := LocalLipschitz(law, p, r); math.Abs(got-want) > 1e-10*want {
				t.Errorf("%v at vertex %d: local Lipschitz %.12g, want %.12g", law, y, got, want)
			}
		}
	}
}

// TestTheoryContraction: the verdict of the section-4 condition. A small
// curated share with K = 3 (0.2*3 + 0.1 < 1) is a proved contraction, and
// iterates from two different starts meet; a large curated share with a
// large reward spread fails the condition even with the probed lower bounds;
// the tilt's lower and upper bounds coincide.
func TestTheoryContraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	const c, v = 2, 5
	r := curate.RandomReward(rng, c, v, 1)
	mk := func(law curate.Law, real, raw, cur float64, rr *data.Table) *System {
		return &System{
			Context: data.UniformContext(c), Real: data.Dirichlet(rng, c, v, 2),
			Models: []Model{{Name: "p", Real: real, Raw: []float64{raw}, Curated: []float64{cur}}},
			Law:    law, CurateReward: []*data.Table{rr}, TrueReward: []*data.Table{rr},
		}
	}
	s := mk(curate.Law{K: 3, Tau: 1}, 0.7, 0.1, 0.2, r)
	ct := s.Contraction()
	if ct.Verdict != VerdictContraction || math.Abs(ct.Max-0.7) > 1e-12 {
		t.Errorf("small curated share: verdict %q, factor %g, want %q and 0.7", ct.Verdict, ct.Max, VerdictContraction)
	}
	a := s.Trajectory(s.Start(), 60)[60]
	b := s.Trajectory([]*data.Table{data.Dirichlet(rng, c, v, 0.3)}, 60)[60]
	if d := s.TV(a, b); d > math.Pow(0.7, 60) {
		t.Errorf("contraction: TV between two trajectories after 60 generations %g > 0.7^60", d)
	}

	wide := r.Clone()
	for i := range wide.P {
		wide.P[i] *= 10
	}
	s = mk(curate.Law{K: 4, Tau: 0.5}, 0.2, 0, 0.8, wide)
	ct = s.Contraction()
	if ct.Verdict != VerdictFails || !(ct.MaxLower >= 1) || ct.Max != 0.8*4 {
		t.Errorf("large curated share: verdict %q, bounds [%g, %g], want %q", ct.Verdict, ct.MaxLower, ct.Max, VerdictFails)
	}
	if !(ct.Lower[0] <= ct.Upper[0]) {
		t.Errorf("lower bound %g above upper %g", ct.Lower[0], ct.Upper[0])
	}

	s = mk(curate.Law{Infinite: true, Tau: 2}, 0.5, 0, 0.5, r)
	ct = s.Contraction()
	if math.Abs(ct.Lower[0]-ct.Upper[0]) > 1e-9*ct.Upper[0] {
		t.Errorf("tilt: lower %g and upper %g bounds should coincide", ct.Lower[0], ct.Upper[0])
	}
	if got := LipschitzBound(curate.Law{Infinite: true}, r); !math.IsInf(got, 1) {
		t.Errorf("argmax law Lipschitz bound %g, want +Inf", got)
	}
}
