package theory

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// TestTheoryFerbachFixedPoint: K -> infinity, one model, real share 1-lam,
// self-curated share lam: p*(x) = (1-lam) q(x) / (1 - lam u(x)/Z), Z the root
// above lam max u of sum_x (1-lam) q(x)/(1 - lam u(x)/Z) = 1 (bisection
// here). FixedPoint must match to 1e-8, keep full support, and be stable.
func TestTheoryFerbachFixedPoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const c, v, tau = 3, 7, 0.5
	r := curate.RandomReward(rng, c, v, 1)
	q := data.Dirichlet(rng, c, v, 2)
	for _, lam := range []float64{0.2, 0.6, 0.9} {
		s := &System{
			Context: data.UniformContext(c), Real: q,
			Models: []Model{{Name: "p", Real: 1 - lam, Raw: []float64{0}, Curated: []float64{lam}}},
			Law:    curate.Law{Infinite: true, Tau: tau}, CurateReward: []*data.Table{r}, TrueReward: []*data.Table{r},
		}
		fp, err := s.FixedPoint(nil, 1e-13)
		if err != nil {
			t.Fatalf("lam %g: %v", lam, err)
		}
		for ci := 0; ci < c; ci++ {
			qr, rr := q.Row(ci), r.Row(ci)
			u := make([]float64, v)
			umax := 0.0
			for y := range u {
				u[y] = math.Exp(rr[y] / tau)
				umax = math.Max(umax, u[y])
			}
			mass := func(z float64) float64 {
				m := 0.0
				for y := range u {
					m += (1 - lam) * qr[y] / (1 - lam*u[y]/z)
				}
				return m
			}
			lo, hi := lam*umax, lam*umax
			for mass(hi) > 1 {
				hi *= 2
			}
			for it := 0; it < 200; it++ {
				mid := (lo + hi) / 2
				if mass(mid) > 1 {
					lo = mid
				} else {
					hi = mid
				}
			}
			z := (lo + hi) / 2
			for y := range u {
				want := (1 - lam) * qr[y] / (1 - lam*u[y]/z)
				if got := fp.P[0].At(ci, y); math.Abs(got-want) > 1e-8 {
					t.Errorf("lam %g context %d token %d: p* = %.12g, Ferbach %.12g", lam, ci, y, got, want)
				}
				if fp.P[0].At(ci, y) <= 0 {
					t.Errorf("lam %g: p*(%d|%d) = 0: support lost", lam, y, ci)
				}
			}
		}
		if !(fp.Rho < 1) {
			t.Errorf("lam %g: spectral radius %g, want < 1 with real data", lam, fp.Rho)
		}
		if fp.Residual > 1e-13 {
			t.Errorf("lam %g: residual %g", lam, fp.Residual)
		}
	}
}

// TestTheoryJacobianFD checks JacobianBlocks against central differences of
// Step along tangent basis directions (step 1e-6, tolerance 1e-7), and that
// the full Jacobian is their block diagonal with the same spectral radius.
func TestTheoryJacobianFD(t *testing.T) {
	const h, tol = 1e-6, 1e-7
	for _, law := range []curate.Law{{K: 3, Tau: 0.7}, {K: 2, Tau: 0.5}, {Infinite: true, Tau: 1}, {K: 3, Tau: 0}} {
		rng := rand.New(rand.NewPCG(5, 5))
		const n, c, v = 3, 2, 4
		s := randomSystem(rng, n, 2, c, v, law, 0.2)
		ps := s.Trajectory(s.Start(), 3)[3]
		blocks := s.JacobianBlocks(ps)
		w := v - 1
		for ci := 0; ci < c; ci++ {
			for k := 0; k < n; k++ {
				for z := 0; z < w; z++ {
					shift := func(e float64) []*data.Table {
						st := cloneState(ps)
						row := st[k].Row(ci)
						row[z] += e
						row[w] -= e
						return s.Step(st)
					}
					plus, minus := shift(h), shift(-h)
					for i := 0; i < n; i++ {
						for x := 0; x < w; x++ {
							fd := (plus[i].At(ci, x) - minus[i].At(ci, x)) / (2 * h)
							an := blocks[ci].At(i*w+x, k*w+z)
							if math.Abs(fd-an) > tol {
								t.Errorf("%v: context %d d(model %d, token %d)/d(model %d, dir %d) = %.10g, FD %.10g", law, ci, i, x, k, z, an, fd)
							}
						}
					}
				}
			}
		}
		full := s.Jacobian(ps)
		b := n * w
		for ci := 0; ci < c; ci++ {
			if !mat.Equal(full.Slice(ci*b, (ci+1)*b, ci*b, (ci+1)*b), blocks[ci]) {
				t.Errorf("%v: full Jacobian block %d differs from JacobianBlocks", law, ci)
			}
		}
		if d := math.Abs(SpectralRadius(full) - s.SpectralRadius(ps)); d > 1e-12 {
			t.Errorf("%v: spectral radius of full Jacobian and of blocks differ by %g", law, d)
		}
	}
}

// TestTheoryRate: with real data the spectral radius at p* is < 1 and, per
// context c (D Phi is block diagonal over contexts), the distance to p*
// shrinks like rho_c^t: the geometric-mean ratio over the last 20
// generations above round-off is within 0.5% of rho_c, and the generations
// to shrink by 1e-6 (from generation 5) match log(1e-6)/log(rho_c) within 2.
func TestTheoryRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	s := randomSystem(rng, 3, 2, 2, 5, curate.Law{K: 4, Tau: 0.5}, 0.1)
	fp, err := s.FixedPoint(nil, 1e-14)
	if err != nil {
		t.Fatal(err)
	}
	if !(fp.Rho > 0.3 && fp.Rho < 1) {
		t.Fatalf("rho = %g, want in (0.3, 1) for this test to be informative", fp.Rho)
	}
	blocks := s.JacobianBlocks(fp.P)
	traj := s.Trajectory(s.Start(), 200)
	for c := 0; c < s.Real.C; c++ {
		rho := SpectralRadius(blocks[c])
		dist := make([]float64, len(traj))
		for g, st := range traj {
			for i := range st {
				for y := 0; y < s.Real.V; y++ {
					dist[g] = math.Max(dist[g], math.Abs(st[i].At(c, y)-fp.P[i].At(c, y)))
				}
			}
		}
		t2 := 0
		for t2+1 < len(dist) && dist[t2+1] > 1e-10 {
			t2++
		}
		t1 := t2 - 20
		if t1 < 5 {
			t.Fatalf("context %d: window [%d, %d] too short", c, t1, t2)
		}
		rate := math.Pow(dist[t2]/dist[t1], 1/float64(t2-t1))
		if math.Abs(rate-rho) > 0.005*rho {
			t.Errorf("context %d: observed rate %.6f, spectral radius %.6f", c, rate, rho)
		}
		const eps, from = 1e-6, 5
		obs := -1
		for g := from; g < len(dist); g++ {
			if dist[g] < eps*dist[from] {
				obs = g - from
				break
			}
		}
		if pred := GenerationsTo(rho, eps); obs < 0 || math.Abs(float64(obs)-pred) > 2 {
			t.Errorf("context %d: generations to shrink by %g: observed %d, predicted %.2f", c, eps, obs, pred)
		}
		t.Logf("context %d: rho %.6f, observed rate %.6f (generations %d..%d), shrink 1e-6 in %d generations, predicted %.2f",
			c, rho, rate, t1, t2, obs, GenerationsTo(rho, eps))
		if rho > fp.Rho+1e-12 {
			t.Errorf("context %d: block radius %g above the system's %g", c, rho, fp.Rho)
		}
	}
}

// TestTheoryGenerationsTo checks the prediction formula's edge cases.
func TestTheoryGenerationsTo(t *testing.T) {
	for _, tc := range []struct{ rho, eps, want float64 }{
		{0.5, 1.0 / 1024, 10}, {0.1, 1e-6, 6}, {1, 0.1, math.Inf(1)}, {1.5, 0.1, math.Inf(1)}, {0, 0.1, 0},
	} {
		if got := GenerationsTo(tc.rho, tc.eps); math.Abs(got-tc.want) > 1e-12 && got != tc.want {
			t.Errorf("GenerationsTo(%g, %g) = %g, want %g", tc.rho, tc.eps, got, tc.want)
		}
	}
}
