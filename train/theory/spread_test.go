package theory

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// drawCell draws a context from w and a token from tab's row.
func drawCell(rng *rand.Rand, w []float64, tab *data.Table) (int, int) {
	pick := func(p []float64) int {
		u, acc := rng.Float64(), 0.0
		for k, x := range p {
			acc += x
			if u < acc {
				return k
			}
		}
		return len(p) - 1
	}
	c := pick(w)
	return c, pick(tab.Row(c))
}

// simulateLoop runs the finite loop Spread models, with count-table fits,
// for gens generations from p0, and returns every generation's state.
func simulateLoop(rng *rand.Rand, s *System, smp Sampling, p0 []*data.Table, gens int) [][]*data.Table {
	m, cs, v := len(s.Models), s.Real.C, s.Real.V
	type cell struct{ c, y int }
	draw := func(tab *data.Table, n int) []cell {
		out := make([]cell, n)
		for k := range out {
			out[k].c, out[k].y = drawCell(rng, s.Context, tab)
		}
		return out
	}
	out := [][]*data.Table{p0}
	for t := 0; t < gens; t++ {
		ps := out[t]
		raw := make([][]cell, m)
		cur := make([][]cell, m)
		for j := 0; j < m; j++ {
			raw[j] = draw(ps[j], smp.RawPool[j])
			cur[j] = draw(curate.ApplyTable(s.Law, ps[j], s.CurateReward[s.Models[j].Pop]), smp.CuratedPool[j])
		}
		next := make([]*data.Table, m)
		for i := 0; i < m; i++ {
			set := draw(s.Real, smp.Counts[i][0])
			for j := 0; j < m; j++ {
				for _, src := range []struct {
					pool []cell
					k    int
				}{{raw[j], smp.Counts[i][1+j]}, {cur[j], smp.Counts[i][1+m+j]}} {
					for _, idx := range rng.Perm(len(src.pool))[:src.k] {
						set = append(set, src.pool[idx])
					}
				}
			}
			tab := data.NewTable(cs, v)
			for _, x := range set {
				tab.P[x.c*v+x.y]++
			}
			if err := tab.Normalize(); err != nil {
				panic(err)
			}
			next[i] = tab
		}
		out = append(out, next)
	}
	return out
}

// TestSpreadPathMonteCarlo holds SpreadPath against the finite loop it
// models, simulated with count-table fits: two models sharing raw and
// curated pools, a non-uniform context law, Luce K=3 curation. The
// variances of three metrics (one model's reward, the other's under the
// other population, their difference, which needs the cross-model terms)
// and of one cell and of its change over the last generation must match over R replications within 4 standard errors
// of a sample variance (relative sqrt(2/(R-1)) = 3.2%) plus 6% for the
// linearisation (its error is O(1/n) relative, n = 500 here).
func TestSpreadPathMonteCarlo(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const c, v, gens, reps = 3, 4, 4, 2000
	s := &System{Context: []float64{0.5, 0.3, 0.2}, Real: data.Dirichlet(rng, c, v, 2), Law: curate.Law{K: 3, Tau: 1}}
	for a := 0; a < 2; a++ {
		r := curate.RandomReward(rng, c, v, 1)
		s.TrueReward, s.CurateReward = append(s.TrueReward, r), append(s.CurateReward, r)
	}
	smp := Sampling{
		Counts:      [][]int{{200, 50, 0, 150, 100}, {100, 0, 100, 200, 100}},
		RawPool:     []int{50, 150},
		CuratedPool: []int{300, 120},
	}
	for i, k := range smp.Counts {
		n := 500.0
		s.Models = append(s.Models, Model{Name: string(rune('a' + i)), Pop: i, Real: float64(k[0]) / n,
			Raw: []float64{float64(k[1]) / n, float64(k[2]) / n}, Curated: []float64{float64(k[3]) / n, float64(k[4]) / n}})
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	traj := s.Trajectory(s.Start(), gens)
	var covs []Cov
	var step []float64
	if err := s.SpreadPath(traj, smp, func(_ int, sigma Cov, st []float64) { covs, step = append(covs, sigma), st }); err != nil {
		t.Fatal(err)
	}
	g0, g1 := s.RewardGradient(0, 0), s.RewardGradient(1, 1)
	diff := make([]float64, len(g0))
	for k := range diff {
		diff[k] = g0[k] - s.RewardGradient(1, 0)[k]
	}
	cellIdx := 1*2*v + 1*v + 2 // context 1, model 1, token 2
	cellG := make([]float64, len(g0))
	cellG[cellIdx] = 1
	metrics := []struct {
		name string
		g    []float64
	}{{"reward a/0", g0}, {"reward b/1", g1}, {"a/0 - b/0", diff}, {"cell", cellG}}
	vals := make([][]float64, len(metrics)+1)
	flat := func(ps []*data.Table) []float64 {
		state := make([]float64, 0, len(g0))
		for c := 0; c < s.Real.C; c++ {
			for i := range ps {
				state = append(state, ps[i].Row(c)...)
			}
		}
		return state
	}
	for r := 0; r < reps; r++ {
		path := simulateLoop(rng, s, smp, s.Start(), gens)
		state, before := flat(path[gens]), flat(path[gens-1])
		for k, mt := range metrics {
			vals[k] = append(vals[k], dot(mt.g, state))
		}
		vals[len(metrics)] = append(vals[len(metrics)], state[cellIdx]-before[cellIdx])
	}
	metrics = append(metrics, struct {
		name string
		g    []float64
	}{"cell step", nil})
	tol := 4*math.Sqrt(2.0/(reps-1)) + 0.06
	for k, mt := range metrics {
		mean, ss := 0.0, 0.0
		for _, x := range vals[k] {
			mean += x / reps
		}
		for _, x := range vals[k] {
			ss += (x - mean) * (x - mean)
		}
		got := ss / (reps - 1)
		var want float64
		if mt.g == nil {
			want = step[cellIdx]
		} else {
			want = covs[gens].Var(mt.g)
		}
		if mt.name == "cell" {
			if cv := covs[gens].CellVar()[cellIdx]; math.Abs(cv-want) > 1e-15 {
				t.Errorf("CellVar %g, Var of the cell's indicator %g", cv, want)
			}
		}
		t.Logf("%s: simulated variance %.4g, predicted %.4g, ratio %.3f", mt.name, got, want, got/want)
		if math.Abs(got/want-1) > tol {
			t.Errorf("%s: simulated variance %.4g, predicted %.4g: ratio %.3f outside 1 +- %.3f", mt.name, got, want, got/want, tol)
		}
	}
}

// TestStationaryVarLyapunov checks the stationary series against iterating
// Sigma_{t+1} = J Sigma_t J^T + Q at the fixed point until it settles.
func TestStationaryVarLyapunov(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := randomSystem(rng, 2, 2, 3, 4, curate.Law{K: 2, Tau: 1}, 0.4)
	smp := Sampling{Counts: [][]int{{100, 20, 30, 25, 25}, {120, 10, 20, 30, 20}}, RawPool: []int{30, 40}, CuratedPool: []int{60, 45}}
	fp, err := s.FixedPoint(s.Start(), 1e-13)
	if err != nil {
		t.Fatal(err)
	}
	g := s.RewardGradient(1, 0)
	want, err := s.StationaryVar(fp.P, smp, g)
	if err != nil {
		t.Fatal(err)
	}
	traj := make([][]*data.Table, 80)
	for k := range traj {
		traj[k] = fp.P
	}
	var last Cov
	if err := s.SpreadPath(traj, smp, func(_ int, sigma Cov, _ []float64) { last = sigma }); err != nil {
		t.Fatal(err)
	}
	got := last.Var(g)
	if math.Abs(got-want) > 1e-9*want {
		t.Errorf("stationary variance %.12g, Lyapunov iteration %.12g", want, got)
	}
}
