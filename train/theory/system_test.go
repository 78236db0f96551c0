package theory

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// TestTheoryValidate: a valid system passes and each broken field is caught.
func TestTheoryValidate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	base := func() *System { return randomSystem(rng, 2, 2, 3, 4, curate.Law{K: 3, Tau: 1}, 0.3) }
	if err := base().Validate(); err != nil {
		t.Fatalf("valid system rejected: %v", err)
	}
	for _, tc := range []struct {
		name   string
		break_ func(s *System)
	}{
		{"weights do not sum to 1", func(s *System) { s.Models[0].Real += 0.1 }},
		{"negative weight", func(s *System) { s.Models[1].Raw[0] = -0.01; s.Models[1].Real += 0.01 + s.Models[1].Raw[0] + 0.01 }},
		{"population out of range", func(s *System) { s.Models[0].Pop = 2 }},
		{"context wrong length", func(s *System) { s.Context = []float64{1} }},
		{"reward shape", func(s *System) { s.TrueReward[1] = data.NewTable(3, 5) }},
		{"bad law", func(s *System) { s.Law = curate.Law{K: 0} }},
		{"missing curator reward", func(s *System) { s.CurateReward = s.CurateReward[:1] }},
		{"non-finite reward", func(s *System) { s.CurateReward[0].P[2] = math.Inf(1) }},
	} {
		s := base()
		tc.break_(s)
		if err := s.Validate(); err == nil {
			t.Errorf("%s: Validate accepted it", tc.name)
		}
	}
}

// TestTheoryFerbachTilt: K -> infinity, no real data, self-curated only:
// p_t is proportional to p_0 exp(t r / tau) (Ferbach et al.), to 1e-12.
func TestTheoryFerbachTilt(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	const c, v, tau, gens = 3, 6, 0.8, 25
	r := curate.RandomReward(rng, c, v, 1)
	s := &System{
		Context: data.UniformContext(c), Real: data.Dirichlet(rng, c, v, 1),
		Models: []Model{{Name: "p", Real: 0, Raw: []float64{0}, Curated: []float64{1}}},
		Law:    curate.Law{Infinite: true, Tau: tau}, CurateReward: []*data.Table{r}, TrueReward: []*data.Table{r},
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	p0 := data.Dirichlet(rng, c, v, 1)
	traj := s.Trajectory([]*data.Table{p0}, gens)
	for g, st := range traj {
		want := data.NewTable(c, v)
		for k := range want.P {
			want.P[k] = p0.P[k] * math.Exp(float64(g)*r.P[k]/tau)
		}
		if err := want.Normalize(); err != nil {
			t.Fatal(err)
		}
		if d := stateDist(st, []*data.Table{want}); d > 1e-12 {
			t.Fatalf("generation %d: max |p_t - p0 exp(t r/tau)/Z| = %.3g > 1e-12", g, d)
		}
	}
}

// TestTheoryMonotoneAndCollapse: an isolated curated model without real data
// never loses expected reward (1e-13), and collapses onto the best level of
// its initial support: a better cell outside the support stays at 0 and the
// best supported cell's mass tends to 1.
func TestTheoryMonotoneAndCollapse(t *testing.T) {
	for _, law := range []curate.Law{{K: 2, Tau: 1}, {K: 3, Tau: 0.5}, {K: 4, Tau: 0}, {Infinite: true, Tau: 1}} {
		rng := rand.New(rand.NewPCG(3, 3))
		const c, v = 2, 5
		r := curate.RandomReward(rng, c, v, 1)
		p0 := data.Dirichlet(rng, c, v, 1)
		best := make([]int, c)
		for ci := 0; ci < c; ci++ { // remove the global best cell from the support
			row, rr := p0.Row(ci), r.Row(ci)
			top, second := 0, -1
			for y := range rr {
				if rr[y] > rr[top] {
					top = y
				}
			}
			for y := range rr {
				if y != top && (second < 0 || rr[y] > rr[second]) {
					second = y
				}
			}
			row[top], best[ci] = 0, second
		}
		if err := p0.Normalize(); err != nil {
			t.Fatal(err)
		}
		s := &System{
			Context: data.UniformContext(c), Real: data.UniformTable(c, v),
			Models: []Model{{Name: "p", Real: 0, Raw: []float64{0.4}, Curated: []float64{0.6}}},
			Law:    law, CurateReward: []*data.Table{r}, TrueReward: []*data.Table{r},
		}
		traj := s.Trajectory([]*data.Table{p0}, 3000)
		prev := math.Inf(-1)
		for g, st := range traj {
			j := s.Rewards(st)[0][0]
			if j < prev-1e-13 {
				t.Errorf("%v: J fell from %.15g to %.15g at generation %d", law, prev, j, g)
			}
			prev = j
		}
		last := traj[len(traj)-1][0]
		for ci := 0; ci < c; ci++ {
			for y, x := range last.Row(ci) {
				if p0.At(ci, y) == 0 && x != 0 {
					t.Errorf("%v: context %d: unsupported cell %d gained mass %g", law, ci, y, x)
				}
			}
			if m := last.At(ci, best[ci]); m < 1-1e-6 {
				t.Errorf("%v: context %d: best supported cell has mass %.9f after 3000 generations, want > 1-1e-6", law, ci, m)
			}
		}
	}
}

// TestTheoryRewards checks J, Alignment and TV on hand-computed tables.
func TestTheoryRewards(t *testing.T) {
	r0 := &data.Table{C: 2, V: 2, P: []float64{1, 0, 0, 1}}
	r1 := curate.Negate(r0)
	q := data.UniformTable(2, 2)
	s := &System{
		Context: []float64{0.25, 0.75}, Real: q,
		Models: []Model{
			{Name: "a", Pop: 0, Real: 1, Raw: []float64{0, 0}, Curated: []float64{0, 0}},
			{Name: "b", Pop: 1, Real: 1, Raw: []float64{0, 0}, Curated: []float64{0, 0}},
		},
		Law: curate.Law{K: 1}, CurateReward: []*data.Table{r0, r1}, TrueReward: []*data.Table{r0, r1},
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	pa, _ := data.FromRows([][]float64{{1, 0}, {0.5, 0.5}})
	pb, _ := data.FromRows([][]float64{{0, 1}, {1, 0}})
	j := s.Rewards([]*data.Table{pa, pb})
	want := [][]float64{{0.25 + 0.75*0.5, -(0.25 + 0.75*0.5)}, {0, 0}}
	if d := maxAbsDiff(j, want); d > 1e-15 {
		t.Errorf("J = %v, want %v", j, want)
	}
	if al := s.Alignment([]*data.Table{pa, pb}); al[0] != j[0][0] || al[1] != j[1][1] {
		t.Errorf("Alignment = %v, want [J00 J11] of %v", al, j)
	}
	// TV: model a differs by 1 on context 0 and 0.5 on context 1
	if d := s.TV([]*data.Table{pa, pa}, []*data.Table{pb, pa}); math.Abs(d-(0.25*1+0.75*0.5)) > 1e-15 {
		t.Errorf("TV = %g, want %g", d, 0.25+0.75*0.5)
	}
}
