package theory

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// trapSystem is one curated-only model (no real data, K = 4, tau = 1) on
// one context of three tokens whose two best rewards differ by 0.018: the
// vertex on the second-best token is a fixed point with spectral radius
// 4 a / (a + 3) = 1.0135, a = exp(0.018), and the vertex on the best token
// attracts with radius max(4 / (1 + 3 a), 4 b / (b + 3 a)) = 0.9867,
// b = exp(-2). With interior: a second, separate model with half real data
// (a component of its own).
func trapSystem(interior bool) *System {
	r := data.NewTable(1, 3)
	copy(r.P, []float64{0.018, 0, -2})
	q := data.NewTable(1, 3)
	copy(q.P, []float64{0.2, 0.5, 0.3})
	s := &System{Context: []float64{1}, Real: q, Law: curate.Law{K: 4, Tau: 1},
		CurateReward: []*data.Table{r}, TrueReward: []*data.Table{r},
		Models: []Model{{Name: "solo", Real: 0, Raw: []float64{0}, Curated: []float64{1}}}}
	if interior {
		s.Models = []Model{
			{Name: "solo", Real: 0, Raw: []float64{0, 0}, Curated: []float64{1, 0}},
			{Name: "anchored", Real: 0.5, Raw: []float64{0, 0}, Curated: []float64{0, 0.5}},
		}
	}
	return s
}

// state returns a one-context state with the given rows.
func state(rows ...[]float64) []*data.Table {
	var out []*data.Table
	for _, r := range rows {
		t := data.NewTable(1, len(r))
		copy(t.P, r)
		out = append(out, t)
	}
	return out
}

// TestTheoryAttractorNotClipped: from a start where the best token has a
// third of the mass and grows slowly, the Newton step lands beyond the
// boundary (the linearisation near the second-best vertex is repelling);
// clipping it would end on that repelling vertex. The solver must reject
// such steps (Rejected > 0) and report the attractor of the iteration: all
// mass on the best token (1e-9), J* = 0.018 (1e-9), spectral radius
// 0.98666 (1e-4) < 1, flagged as boundary with the real mass of the two
// other tokens (0.8) lost; and 3000 plain iterations from the same start
// agree (1e-6). The separate interior model's fixed point is the one it
// has when solved alone (1e-15) and is not boundary.
func TestTheoryAttractorNotClipped(t *testing.T) {
	s := trapSystem(true)
	p0 := state([]float64{0.3, 0.6, 0.1}, []float64{0.2, 0.5, 0.3})
	fp, err := s.FixedPoint(p0, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	if fp.Rejected == 0 {
		t.Errorf("no Newton step left the simplex: the test does not exercise the trap")
	}
	if got := fp.P[0].At(0, 0); math.Abs(got-1) > 1e-9 {
		t.Errorf("p*(best) = %.12g, want 1 (the attractor)", got)
	}
	if math.Abs(fp.J[0][0]-0.018) > 1e-9 {
		t.Errorf("J* = %.12g, want 0.018", fp.J[0][0])
	}
	a, b := math.Exp(0.018), math.Exp(-2)
	want := math.Max(4/(1+3*a), 4*b/(b+3*a))
	if math.Abs(fp.ComponentRho[0]-want) > 1e-4 || !fp.Attracting() {
		t.Errorf("solo's spectral radius %.6f, want %.6f (attracting)", fp.ComponentRho[0], want)
	}
	if !Boundary(fp.Emptied[0]) || math.Abs(fp.Emptied[0]-0.8) > 1e-12 || Boundary(fp.Emptied[1]) {
		t.Errorf("emptied real mass %v, want [0.8 0] (solo on the boundary, anchored not)", fp.Emptied)
	}
	if st := fp.Stability(); st != "attracting, boundary" {
		t.Errorf("stability %q", st)
	}
	it := s.Trajectory(p0, 3000)[3000]
	if d := stateDist(it[:1], fp.P[:1]); d > 1e-6 {
		t.Errorf("solver and 3000 iterations differ by %g", d)
	}
	sub := s.Subsystem([]int{1})
	fa, err := sub.FixedPoint(p0[1:], 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	if d := stateDist(fa.P, fp.P[1:]); d > 1e-15 {
		t.Errorf("interior model: %g from its fixed point solved alone", d)
	}
}

// TestTheoryRepellingRestart: a start within 1e-14 of the repelling vertex
// (second-best token) meets the tolerance there at once; the solver must see
// the spectral radius 1.0135 > 1, restart (Left records it) and end on the
// attracting vertex. A start with no mass at all on the best token cannot
// leave that vertex (the map keeps zeros): the result is reported as
// repelling after three restarts.
func TestTheoryRepellingRestart(t *testing.T) {
	s := trapSystem(false)
	a := math.Exp(0.018)
	fp, err := s.FixedPoint(state([]float64{1e-14, 1 - 1e-14 - 1e-3, 1e-3}), 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	if len(fp.Left) != 1 || math.Abs(fp.Left[0]-4*a/(a+3)) > 1e-4 {
		t.Errorf("left %v, want one repelling fixed point of radius %.6f", fp.Left, 4*a/(a+3))
	}
	if !fp.Attracting() || math.Abs(fp.P[0].At(0, 0)-1) > 1e-9 {
		t.Errorf("after the restart: rho %g, p*(best) %g; want < 1 and 1", fp.Rho, fp.P[0].At(0, 0))
	}
	fp, err = s.FixedPoint(state([]float64{0, 0.9, 0.1}), 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	if fp.Attracting() || len(fp.Left) != maxRestarts || fp.Stability() != "repelling, boundary" {
		t.Errorf("no mass on the best token: rho %g, %d restarts, %q; want repelling after %d",
			fp.Rho, len(fp.Left), fp.Stability(), maxRestarts)
	}
}

// TestTheoryApproach: Approach counts the generations of the map's own
// trajectory until the distance to p* is below tol times the initial one.
// Checked against a direct count over Trajectory and System.TV, per group;
// a start equal to the target gives 0, a cap too small gives -1.
func TestTheoryApproach(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	s := randomSystem(rng, 3, 2, 2, 5, curate.Law{K: 3, Tau: 0.5}, 0.2)
	fp, err := s.FixedPoint(nil, 1e-14)
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-3
	start := s.Start()
	groups := [][]int{{0}, {1, 2}, {0, 1, 2}}
	got := s.Approach(start, fp.P, groups, tol, 1000)
	traj := s.Trajectory(start, 200)
	for k, g := range groups {
		sub := func(st []*data.Table) []*data.Table { return pick(st, g) }
		d0 := s.TV(sub(start), sub(fp.P))
		want := -1
		for t2, st := range traj {
			if s.TV(sub(st), sub(fp.P)) <= tol*d0 {
				want = t2
				break
			}
		}
		if want < 1 || got[k] != want {
			t.Errorf("group %v: Approach %d, direct count %d", g, got[k], want)
		}
	}
	for _, known := range []int{1, 3, got[2] + 5} {
		along := s.ApproachAlong(traj[:known], fp.P, groups, tol, 1000)
		for k := range groups {
			if along[k] != got[k] {
				t.Errorf("group %v with %d generations known: %d, want %d", groups[k], known-1, along[k], got[k])
			}
		}
	}
	if all := s.Approach(start, fp.P, nil, tol, 1000); all[0] != got[2] {
		t.Errorf("nil groups: %d, want the all-models count %d", all[0], got[2])
	}
	if z := s.Approach(fp.P, fp.P, nil, tol, 10); z[0] != 0 {
		t.Errorf("start at the target: %d, want 0", z[0])
	}
	if c := s.Approach(start, fp.P, nil, tol, got[2]-1); c[0] != -1 {
		t.Errorf("cap below the count: %d, want -1", c[0])
	}
}

// TestTheoryNeutral: with two tied best tokens a curated-only model keeps
// their ratio (C(p) = p H, H equal on ties): from (0.2, 0.3, 0.5) the
// trajectory's limit is (0.4, 0.6, 0), one of a continuum of fixed points.
// The spectral radius is 1 (neutral, within 1e-9), the solver returns that
// limit (1e-9) however Newton moved along the continuum, and the asymptotic
// generations are +Inf.
func TestTheoryNeutral(t *testing.T) {
	s := trapSystem(false)
	copy(s.CurateReward[0].P, []float64{0, 0, -1})
	fp, err := s.FixedPoint(state([]float64{0.2, 0.3, 0.5}), 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	if st := fp.Stability(); st != "neutral, boundary" || !Predicts(fp.Rho) || fp.Attracting() {
		t.Errorf("stability %q (rho %.15g), want neutral, boundary", st, fp.Rho)
	}
	for y, want := range []float64{0.4, 0.6, 0} {
		if got := fp.P[0].At(0, y); math.Abs(got-want) > 1e-9 {
			t.Errorf("p*(%d) = %.12g, want %g (the trajectory's limit)", y, got, want)
		}
	}
	if g := fp.GenerationsTo(1e-3); !math.IsInf(g, 1) {
		t.Errorf("generations by rho %g, want +Inf", g)
	}
}

// TestTheoryFixedPointPath: the plain iterates FixedPointPath keeps are
// the map's trajectory from its start (float32 of it, the last exactly), up
// to the budget; the fixed point is FixedPoint's; counting along the map
// with them gives Approach's counts, also when a kept distance sits on the
// threshold (the count falls back to exact generations); a system of two
// components keeps none.
func TestTheoryFixedPointPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	s := randomSystem(rng, 3, 2, 2, 5, curate.Law{K: 3, Tau: 0.5}, 0.2)
	start := s.Start()
	want, err := s.FixedPoint(start, 1e-14)
	if err != nil {
		t.Fatal(err)
	}
	state := 4 * len(s.Models) * s.Real.C * s.Real.V
	fp, path, err := s.FixedPointPath(start, 1e-14, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if path.Len() < 2 || path.Len() > fp.Iterations {
		t.Fatalf("%d iterates kept, want 2..%d (the plain iterations)", path.Len(), fp.Iterations)
	}
	if d := stateDist(fp.P, want.P); d != 0 || fp.Iterations != want.Iterations || fp.NewtonSteps != want.NewtonSteps {
		t.Errorf("fixed point differs from FixedPoint's by %g (%d/%d iterations, %d/%d Newton steps)", d, fp.Iterations, want.Iterations, fp.NewtonSteps, want.NewtonSteps)
	}
	traj := s.Trajectory(start, path.Len())
	for k, st := range path.states {
		j := 0
		for _, tab := range traj[k+1] {
			for _, x := range tab.P {
				if st[j] != float32(x) {
					t.Fatalf("iterate %d, entry %d: %g, generation %d of the trajectory has %g", k+1, j, st[j], k+1, x)
				}
				j++
			}
		}
	}
	if d := stateDist(path.last, traj[path.Len()]); d != 0 {
		t.Errorf("last iterate is %g from generation %d", d, path.Len())
	}
	if _, few, _ := s.FixedPointPath(start, 1e-14, 2*state+state/2); few.Len() != 2 {
		t.Errorf("a budget of 2.5 states keeps %d", few.Len())
	}
	if _, none, _ := s.FixedPointPath(start, 1e-14, state-1); none != nil {
		t.Errorf("a budget below one state keeps %d", none.Len())
	}
	groups := [][]int{{0}, {1, 2}, {0, 1, 2}}
	for _, tol := range []float64{1e-3, 0.5} {
		got := s.ApproachPath(traj[:1], path, fp.P, groups, tol, 1000)
		direct := s.Approach(start, fp.P, groups, tol, 1000)
		for k := range groups {
			if got[k] != direct[k] {
				t.Errorf("tol %g, group %v: %d along the kept iterates, %d by Approach", tol, groups[k], got[k], direct[k])
			}
		}
		if tol == 0.5 && direct[2] >= path.Len() {
			t.Errorf("tol 0.5: count %d beyond the %d kept iterates, which it should use", direct[2], path.Len())
		}
	}
	// a tolerance that puts generation 2's kept distance on the threshold
	d0 := s.TV(start, fp.P)
	tol := s.pathTV(path, 1, fp.P, groups[2]) / d0
	if _, ok := s.approach(traj[:1], path, fp.P, groups[2:], tol, 1000); ok {
		t.Errorf("a kept distance on the threshold was decided from float32")
	}
	if got, want := s.ApproachPath(traj[:1], path, fp.P, groups[2:], tol, 1000), s.Approach(start, fp.P, groups[2:], tol, 1000); got[0] != want[0] {
		t.Errorf("on the threshold: %d, Approach %d", got[0], want[0])
	}
	two := randomSystem(rng, 2, 1, 2, 5, curate.Law{K: 3, Tau: 0.5}, 0.2)
	for i := range two.Models {
		two.Models[i].Raw[1-i], two.Models[i].Curated[1-i] = 0, 0
		two.Models[i].Real = 1 - two.Models[i].Raw[i] - two.Models[i].Curated[i]
	}
	if _, p2, err := two.FixedPointPath(nil, 1e-14, 1<<20); err != nil || p2 != nil {
		t.Errorf("two components: %d iterates kept (%v), want none", p2.Len(), err)
	}
}
