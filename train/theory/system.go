package theory

import (
	"fmt"
	"math"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// weightTol is how far a model's mixture weights may be from summing to one.
const weightTol = 1e-9

// Model is one generative model of the loop: the population that curates its
// outputs and the mixture it trains on. Real is w_i^R;
// Raw[j] and Curated[j] are w_ij^S and w_ij^H over the source models j. All
// weights are >= 0 and sum to 1. Data curated from source j is curated by
// Pop of model j, whoever consumes it.
type Model struct {
	Name    string
	Pop     int
	Real    float64
	Raw     []float64
	Curated []float64
}

// System is the multi-model loop at population level: conditional
// categorical models p_i(y|c) sharing one context distribution, the real
// table q(y|c), one curation law, and per population a to the reward its
// curator uses (CurateReward[a], the learned reward model's table or the true
// one) and its true reward (TrueReward[a], for alignment J).
type System struct {
	Context      []float64
	Real         *data.Table
	Models       []Model
	Law          curate.Operator
	CurateReward []*data.Table
	TrueReward   []*data.Table
	PopNames     []string
	// Negligible is the |total influence| under which Influence labels an
	// entry LabelNegligible (0: never); see Label.
	Negligible float64
	// Solver is the linear algebra at a state: SolverAuto (""),
	// SolverDense or SolverMatrixFree; see MatrixFree.
	Solver string
}

// NumPops returns the number of populations.
func (s *System) NumPops() int { return len(s.TrueReward) }

// Validate checks shapes, that the context distribution and the weights are
// probability vectors, that every population index exists, and the law.
func (s *System) Validate() error {
	if s.Real == nil {
		return fmt.Errorf("theory: no real table")
	}
	if err := s.Real.Validate(1e-9); err != nil {
		return fmt.Errorf("theory: real table: %w", err)
	}
	cs, cv := s.Real.C, s.Real.V
	if len(s.Context) != cs {
		return fmt.Errorf("theory: context distribution has %d entries, real table %d contexts", len(s.Context), cs)
	}
	if err := probVector("context distribution", s.Context); err != nil {
		return err
	}
	if s.Law == nil {
		return fmt.Errorf("theory: no curation law")
	}
	if v, ok := s.Law.(curate.Validator); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("theory: %w", err)
		}
	}
	if err := ValidateSolver(s.Solver); err != nil {
		return err
	}
	na := len(s.TrueReward)
	if na == 0 || len(s.CurateReward) != na {
		return fmt.Errorf("theory: %d curator reward tables and %d true reward tables; need the same positive number", len(s.CurateReward), na)
	}
	if len(s.PopNames) != 0 && len(s.PopNames) != na {
		return fmt.Errorf("theory: %d population names for %d populations", len(s.PopNames), na)
	}
	for a := 0; a < na; a++ {
		for _, t := range []*data.Table{s.CurateReward[a], s.TrueReward[a]} {
			if t == nil || t.C != cs || t.V != cv || len(t.P) != cs*cv {
				return fmt.Errorf("theory: population %d: reward table missing or not %d x %d", a, cs, cv)
			}
			for _, r := range t.P {
				if math.IsNaN(r) || math.IsInf(r, 0) {
					return fmt.Errorf("theory: population %d: reward %g is not finite", a, r)
				}
			}
		}
	}
	n := len(s.Models)
	if n == 0 {
		return fmt.Errorf("theory: no models")
	}
	for i, m := range s.Models {
		if m.Pop < 0 || m.Pop >= na {
			return fmt.Errorf("theory: model %d (%s): population %d, have %d", i, m.Name, m.Pop, na)
		}
		if len(m.Raw) != n || len(m.Curated) != n {
			return fmt.Errorf("theory: model %d (%s): %d raw and %d curated weights, need %d", i, m.Name, len(m.Raw), len(m.Curated), n)
		}
		w := append(append([]float64{m.Real}, m.Raw...), m.Curated...)
		if err := probVector(fmt.Sprintf("model %d (%s) weights", i, m.Name), w); err != nil {
			return err
		}
	}
	return nil
}

// probVector checks entries finite and >= 0 summing to 1 within weightTol.
func probVector(what string, w []float64) error {
	sum := 0.0
	for i, x := range w {
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("theory: %s: entry %d is %g; need finite and >= 0", what, i, x)
		}
		sum += x
	}
	if math.Abs(sum-1) > weightTol {
		return fmt.Errorf("theory: %s sum to %.12g; need 1", what, sum)
	}
	return nil
}

// Start returns the natural generation 0: every model equal to the real table.
func (s *System) Start() []*data.Table {
	ps := make([]*data.Table, len(s.Models))
	for i := range ps {
		ps[i] = s.Real.Clone()
	}
	return ps
}

// curated returns C_pop(j)(p_j) for every source j that some model consumes
// curated (nil for the others).
func (s *System) curated(ps []*data.Table) []*data.Table {
	out := make([]*data.Table, len(s.Models))
	for j := range s.Models {
		used := false
		for _, m := range s.Models {
			used = used || m.Curated[j] > 0
		}
		if used {
			out[j] = s.applyLaw(ps[j], s.CurateReward[s.Models[j].Pop])
		}
	}
	return out
}

// Step is one generation of the map Phi ("replace" regime):
//
//	p_i' = w_i^R q + sum_j w_ij^S p_j + sum_j w_ij^H C_pop(j)(p_j).
func (s *System) Step(ps []*data.Table) []*data.Table {
	s.mustState(ps)
	cur := s.curated(ps)
	out := make([]*data.Table, len(s.Models))
	for i, m := range s.Models {
		t := data.NewTable(s.Real.C, s.Real.V)
		axpy(t.P, m.Real, s.Real.P)
		for j := range s.Models {
			axpy(t.P, m.Raw[j], ps[j].P)
			if m.Curated[j] > 0 {
				axpy(t.P, m.Curated[j], cur[j].P)
			}
		}
		out[i] = t
	}
	return out
}

// axpy adds a*x to y.
func axpy(y []float64, a float64, x []float64) {
	if a == 0 {
		return
	}
	for k := range y {
		y[k] += a * x[k]
	}
}

// Trajectory returns generations+1 states: p0 and Phi applied repeatedly.
func (s *System) Trajectory(p0 []*data.Table, generations int) [][]*data.Table {
	out := [][]*data.Table{p0}
	for g := 0; g < generations; g++ {
		out = append(out, s.Step(out[len(out)-1]))
	}
	return out
}

// Rewards returns J[i][a] = E_{c ~ Context, y ~ p_i(.|c)}[r_a(c, y)] with the
// true rewards: every model under every population.
func (s *System) Rewards(ps []*data.Table) [][]float64 {
	s.mustState(ps)
	j := make([][]float64, len(ps))
	for i, p := range ps {
		j[i] = make([]float64, s.NumPops())
		for a, r := range s.TrueReward {
			j[i][a] = p.Expect(s.Context, r)
		}
	}
	return j
}

// Alignment returns J_i^pop(i) for every model.
func (s *System) Alignment(ps []*data.Table) []float64 {
	j := s.Rewards(ps)
	out := make([]float64, len(ps))
	for i, m := range s.Models {
		out[i] = j[i][m.Pop]
	}
	return out
}

// TV returns the largest, over models, context-weighted total variation
// distance sum_c w(c) TV(a_i(.|c), b_i(.|c)).
func (s *System) TV(a, b []*data.Table) float64 {
	worst := 0.0
	for i := range a {
		worst = math.Max(worst, s.modelTV(a[i], b[i]))
	}
	return worst
}

// modelTV returns sum_c w(c) TV(a(.|c), b(.|c)) for one model's tables.
func (s *System) modelTV(a, b *data.Table) float64 { return a.TV(s.Context, b) }

// maxRowTV returns the largest TV distance between corresponding rows.
func maxRowTV(a, b []*data.Table) float64 {
	worst := 0.0
	for i := range a {
		for c := 0; c < a[i].C; c++ {
			ra, rb := a[i].Row(c), b[i].Row(c)
			row := 0.0
			for y := range ra {
				row += math.Abs(ra[y] - rb[y])
			}
			worst = math.Max(worst, row/2)
		}
	}
	return worst
}

// mustState panics unless ps has one table of the real table's shape per model.
func (s *System) mustState(ps []*data.Table) {
	if len(ps) != len(s.Models) {
		panic(fmt.Sprintf("theory: state has %d tables for %d models", len(ps), len(s.Models)))
	}
	for i, p := range ps {
		if p == nil || p.C != s.Real.C || p.V != s.Real.V {
			panic(fmt.Sprintf("theory: model %d state is not %d x %d", i, s.Real.C, s.Real.V))
		}
	}
}
