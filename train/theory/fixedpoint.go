package theory

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/selfconsume/selfconsume/data"
)

// Fixed-point solver limits.
const (
	// maxIterations caps the plain Phi iterations of one solve.
	maxIterations = 20000
	// maxNewton caps the Newton steps of one solve.
	maxNewton = 50
	// newtonBelow is the residual under which Newton steps are tried.
	newtonBelow = 1e-2
	// newtonCooldown is how many plain iterations follow a Newton step that
	// was singular or did not halve the residual.
	newtonCooldown = 20
	// maxBackoff caps the plain iterations that follow a Newton step that
	// left the simplex (the wait doubles from newtonCooldown after each).
	maxBackoff = 1280
	// simplexSlack is how far below 0 a Newton step may put an entry, as
	// roundoff; an entry further below means the step left the simplex.
	simplexSlack = 1e-12
	// polishAbove is the residual above which a solve that met its
	// tolerance still tries Newton steps (roundoff is about 1e-16).
	polishAbove = 1e-14
	// maxRestarts caps the restarts from a perturbed repelling fixed point.
	maxRestarts = 3
	// restartShare is the share of the uniform law on the start's support
	// mixed into a repelling fixed point to restart the solve from.
	restartShare = 0.01
	// emptyBelow: a model empties a cell when its mass there is below
	// emptyBelow times the real table's.
	emptyBelow = 1e-6
	// boundaryMass: a fixed point is on the boundary when some model's
	// emptied cells hold more than this share of the real mass.
	boundaryMass = 1e-9
)

// FixedPoint is a solution of p = Phi(p) with its diagnostics.
type FixedPoint struct {
	P []*data.Table // p*, one table per model
	J [][]float64   // J[i][a] at p* (see System.Rewards)
	// Residual is the largest TV distance between a row of Phi(P) and the
	// same row of P, over models and contexts.
	Residual    float64
	Iterations  int // plain Phi iterations, the most any component used
	NewtonSteps int // accepted Newton steps, summed over components
	Rejected    int // Newton steps rejected because they left the simplex
	// Rho is the spectral radius of D Phi at P on the tangent space: the
	// largest of ComponentRho.
	Rho float64
	// Components are the groups of models that exchange data (see
	// System.Components), each solved on its own; ComponentRho[k] is the
	// spectral radius of component k at P.
	Components   [][]int
	ComponentRho []float64
	// Left holds the spectral radii (> 1) of the repelling fixed points the
	// solver reached and restarted from, in order.
	Left []float64
	// Emptied[i] is the real mass, sum_c w(c) q(c,y) over the cells where
	// model i's mass is below a millionth of q's: the support the model lost.
	Emptied []float64
}

// Stability classes of a fixed point by its spectral radius rho on the
// tangent space (see Stable).
const (
	StableAttracting = "attracting" // rho < 1 - 1e-9: perturbations die out
	StableNeutral    = "neutral"    // |rho - 1| <= 1e-9: a continuum of fixed points
	StableRepelling  = "repelling"  // rho > 1 + 1e-9: some perturbation grows
	StableUnknown    = "unknown"    // rho is NaN
)

// neutralTol is how close to 1 a spectral radius counts as 1.
const neutralTol = 1e-9

// Stable classifies a spectral radius: StableAttracting, StableNeutral,
// StableRepelling or StableUnknown. Neutral is a radius 1 within roundoff:
// directions along which the map does not move (ties in the curator's
// reward, a model that only copies itself), so the fixed point is one of a
// continuum and which one the trajectory reaches depends on its start.
func Stable(rho float64) string {
	switch {
	case rho < 1-neutralTol:
		return StableAttracting
	case rho <= 1+neutralTol:
		return StableNeutral
	case rho > 1+neutralTol:
		return StableRepelling
	}
	return StableUnknown
}

// Predicts reports whether a fixed point of spectral radius rho is the
// limit the trajectory settles at: attracting or neutral (for a neutral one
// FixedPoint iterates without Newton, so it is the iteration's own limit).
func Predicts(rho float64) bool { return rho <= 1+neutralTol }

// Attracting reports whether p* is locally attracting: Stable(Rho) is
// StableAttracting.
func (fp FixedPoint) Attracting() bool { return Stable(fp.Rho) == StableAttracting }

// Boundary reports whether some model of p* has lost cells that hold more
// than 1e-9 of the real mass (see Emptied): p* sits on the boundary of the
// product of simplices.
func (fp FixedPoint) Boundary() bool {
	for _, e := range fp.Emptied {
		if Boundary(e) {
			return true
		}
	}
	return false
}

// Boundary reports whether a model whose lost real mass (an entry of
// FixedPoint.Emptied) is emptied sits on the boundary of its simplices:
// emptied > 1e-9.
func Boundary(emptied float64) bool { return emptied > boundaryMass }

// Stability is Stable(Rho), with ", boundary" appended for a boundary fixed
// point.
func (fp FixedPoint) Stability() string {
	s := Stable(fp.Rho)
	if fp.Boundary() {
		s += ", boundary"
	}
	return s
}

// GenerationsTo returns the predicted generations for the distance to p* to
// shrink by eps: log(eps)/log(Rho).
func (fp FixedPoint) GenerationsTo(eps float64) float64 { return GenerationsTo(fp.Rho, eps) }

// FixedPoint solves p = Phi(p) to a residual of tol (row TV, see
// FixedPoint.Residual), starting from p0 (nil: Start), and checks the
// stability of what it finds. Each component (System.Components) is solved
// on its own, so that one component's trouble does not slow or perturb
// another's solve.
//
// A component's solve iterates Phi and, once the residual is below 1e-2,
// tries Newton steps on Phi(p) - p in the tangent space,
// (I - D Phi) delta = Phi(p) - p per context. A Newton step is kept only if
// it stays in the simplex (no entry below -1e-12; entries within that slack
// are set to 0) and at least halves the residual; once tol is met, Newton
// steps continue while they halve a residual above 1e-14, so that p* is
// exact to roundoff whatever tol. A step that leaves the simplex is
// rejected, not clipped: clipping puts the state on a face of the simplex,
// where the map has fixed points (all mass on a worse cell, say) that repel
// in the directions leaving the face. Iteration then resumes for a doubling
// number of generations before the next try; close enough to a boundary
// fixed point Newton's overshoot falls below the slack.
//
// At the component's solution it computes the spectral radius (see
// Stable). At 1 (neutral) I - D Phi is singular and a Newton step may have
// moved along the continuum of fixed points, so the component is solved
// again from its start by iteration alone, whose result is the trajectory's
// own limit. Above 1 (repelling) it restarts from p* mixed with 1% of the
// uniform law on p0's support, which gives every cell p0 can reach some
// mass, so the map leaves p* along its unstable directions; at most three
// times, Left records the radii of the fixed points left. The result may
// still be repelling, for a start with no mass in the direction that leaves
// the fixed point (the map keeps zeros). An error is returned, with the
// best state found, if tol is not reached.
func (s *System) FixedPoint(p0 []*data.Table, tol float64) (FixedPoint, error) {
	fp, _, err := s.FixedPointPath(p0, tol, 0)
	return fp, err
}

// FixedPointPath is FixedPoint that also returns the plain iterates
// Phi^t(p0), t = 1, 2, ..., that the solve computed before its first
// Newton step, as many as budget bytes hold (see Path): the first
// generations of the map's own trajectory from p0, which a caller that
// counts generations along that trajectory (ApproachPath) need not compute
// again. With more than one component, or no room for one state, the path
// is nil: each component is solved from its own part of p0, on its own
// schedule.
func (s *System) FixedPointPath(p0 []*data.Table, tol float64, budget int) (FixedPoint, *Path, error) {
	if err := s.Validate(); err != nil {
		return FixedPoint{}, nil, err
	}
	if !(tol > 0) {
		return FixedPoint{}, nil, fmt.Errorf("theory: fixed-point tolerance %g; need > 0", tol)
	}
	if p0 == nil {
		p0 = s.Start()
	}
	s.mustState(p0)
	fp := FixedPoint{P: make([]*data.Table, len(s.Models)), Components: s.Components()}
	var first error
	var path *Path
	if len(fp.Components) == 1 {
		path = s.newPath(budget)
	}
	for _, idx := range fp.Components {
		sub, sp := s, p0
		if len(fp.Components) > 1 {
			sub, sp = s.Subsystem(idx), pick(p0, idx)
		}
		cf, err := sub.attract(sp, tol, path)
		for k, i := range idx {
			fp.P[i] = cf.P[k]
		}
		fp.Residual = math.Max(fp.Residual, cf.Residual)
		fp.Iterations = max(fp.Iterations, cf.Iterations)
		fp.NewtonSteps += cf.NewtonSteps
		fp.Rejected += cf.Rejected
		fp.Left = append(fp.Left, cf.Left...)
		fp.ComponentRho = append(fp.ComponentRho, cf.Rho)
		if len(fp.ComponentRho) == 1 || math.IsNaN(cf.Rho) || cf.Rho > fp.Rho {
			fp.Rho = cf.Rho
		}
		if err != nil && first == nil {
			first = err
		}
	}
	fp.J = s.Rewards(fp.P)
	fp.Emptied = s.emptied(fp.P)
	if path.Len() == 0 {
		path = nil
	}
	return fp, path, first
}

// attract solves one component from p0 (see FixedPoint), restarting from a
// repelling solution; it sets P, Residual, the counts, Rho and Left. The
// first solve's plain iterates from p0 go to path (nil: not kept).
func (s *System) attract(p0 []*data.Table, tol float64, path *Path) (FixedPoint, error) {
	var fp FixedPoint
	p := cloneState(p0)
	newton := true
	for {
		err := s.solve(p, tol, newton, &fp, path)
		path = nil // a later solve starts elsewhere, or repeats the first's iterates
		fp.Rho = s.SpectralRadius(fp.P)
		if err == nil && newton && Stable(fp.Rho) == StableNeutral {
			newton = false
			continue
		}
		if err != nil || Predicts(fp.Rho) || math.IsNaN(fp.Rho) || len(fp.Left) == maxRestarts {
			return fp, err
		}
		fp.Left = append(fp.Left, fp.Rho)
		p = mixState(fp.P, supportUniform(p0), restartShare)
	}
}

// solve runs the iteration and, with newton, the Newton steps of
// FixedPoint from p, adding its counts to fp and setting fp.P and
// fp.Residual. The plain iterates Phi^t(p) before the first accepted
// Newton step go to path (nil: not kept).
func (s *System) solve(p []*data.Table, tol float64, newton bool, fp *FixedPoint, path *Path) error {
	next := s.Step(p)
	path.add(next)
	res := maxRowTV(next, p)
	iters, steps := 1, 0
	cooldown, backoff := 0, newtonCooldown
	for res > tol && iters < maxIterations {
		if newton && res < newtonBelow && steps < maxNewton && cooldown == 0 {
			cand, st := s.newton(p, next)
			if st == newtonOK {
				cn := s.Step(cand)
				if cr := maxRowTV(cn, cand); cr <= res/2 || cr <= tol {
					p, next, res = cand, cn, cr
					steps++
					path = nil // off the trajectory from here
					continue
				}
			}
			cooldown = newtonCooldown
			if st == newtonLeft {
				fp.Rejected++
				cooldown = backoff
				backoff = min(2*backoff, maxBackoff)
			}
		}
		if cooldown > 0 {
			cooldown--
		}
		p, next = next, s.Step(next)
		path.add(next)
		res = maxRowTV(next, p)
		iters++
	}
	// Polish: the tolerance is met, but while the residual is above
	// roundoff one more Newton step (quadratic) makes p* exact to roundoff
	// whatever tol, as long as it stays in the simplex and halves the
	// residual.
	for newton && res <= tol && res > polishAbove && steps < maxNewton {
		cand, st := s.newton(p, next)
		if st != newtonOK {
			break
		}
		cn := s.Step(cand)
		cr := maxRowTV(cn, cand)
		if cr > res/2 {
			break
		}
		p, next, res = cand, cn, cr
		steps++
	}
	fp.Iterations += iters
	fp.NewtonSteps += steps
	fp.P, fp.Residual = p, res
	if res > tol {
		return fmt.Errorf("theory: fixed point not reached: residual %.3g > %.3g after %d iterations and %d Newton steps",
			res, tol, fp.Iterations, fp.NewtonSteps)
	}
	return nil
}

// Outcomes of a Newton step.
const (
	newtonOK       = iota // the step is in the simplex
	newtonSingular        // a block is singular or the step is not finite
	newtonLeft            // the step puts an entry below -simplexSlack
)

// newton returns p + delta with (I - D Phi(p)) delta = Phi(p) - p on the
// tangent space of every context, entries within simplexSlack below 0 set
// to 0 and the rows renormalised, and its outcome.
func (s *System) newton(p, phi []*data.Table) ([]*data.Table, int) {
	if s.MatrixFree() {
		return s.newtonFree(p, phi)
	}
	n, v := len(s.Models), s.Real.V
	w := v - 1
	blocks := s.JacobianBlocks(p)
	out := cloneState(p)
	for c, blk := range blocks {
		a := mat.NewDense(n*w, n*w, nil)
		a.Sub(eye(n*w), blk)
		rhs := mat.NewVecDense(n*w, nil)
		for i := 0; i < n; i++ {
			for y := 0; y < w; y++ {
				rhs.SetVec(i*w+y, phi[i].At(c, y)-p[i].At(c, y))
			}
		}
		var d mat.VecDense
		if err := d.SolveVec(a, rhs); err != nil {
			return nil, newtonSingular
		}
		for i := 0; i < n; i++ {
			row := out[i].Row(c)
			last := 0.0
			for y := 0; y < w; y++ {
				row[y] += d.AtVec(i*w + y)
				last += d.AtVec(i*w + y)
			}
			row[w] -= last
			if st := acceptRow(row); st != newtonOK {
				return nil, st
			}
		}
	}
	return out, newtonOK
}

// acceptRow checks a row after a Newton step: newtonLeft when an entry is
// below -simplexSlack, newtonSingular when fixRow cannot repair it, and
// newtonOK with the row repaired otherwise.
func acceptRow(row []float64) int {
	for _, x := range row {
		if x < -simplexSlack {
			return newtonLeft
		}
	}
	if !fixRow(row) {
		return newtonSingular
	}
	return newtonOK
}

// mixState returns (1-share) a + share b, model by model.
func mixState(a, b []*data.Table, share float64) []*data.Table {
	out := cloneState(a)
	for i, t := range out {
		for k := range t.P {
			t.P[k] = (1-share)*t.P[k] + share*b[i].P[k]
		}
	}
	return out
}

// supportUniform returns, per model and context, the uniform distribution
// over the cells where ps has mass.
func supportUniform(ps []*data.Table) []*data.Table {
	out := cloneState(ps)
	for _, t := range out {
		for c := 0; c < t.C; c++ {
			row := t.Row(c)
			n := 0.0
			for _, x := range row {
				if x > 0 {
					n++
				}
			}
			for y, x := range row {
				if x > 0 {
					row[y] = 1 / n
				}
			}
		}
	}
	return out
}

// emptied returns FixedPoint.Emptied for the state ps.
func (s *System) emptied(ps []*data.Table) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		for c := 0; c < p.C; c++ {
			q, row := s.Real.Row(c), p.Row(c)
			for y, m := range q {
				if m > 0 && row[y] < emptyBelow*m {
					out[i] += s.Context[c] * m
				}
			}
		}
	}
	return out
}

// fixRow clips negative entries of a row to 0 and renormalises it; false if
// the row is not finite or has no mass left.
func fixRow(row []float64) bool {
	sum := 0.0
	for y, x := range row {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
		if x < 0 {
			row[y] = 0
		}
		sum += row[y]
	}
	if !(sum > 0) {
		return false
	}
	for y := range row {
		row[y] /= sum
	}
	return true
}

// eye returns the n x n identity.
func eye(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		m.Set(i, i, 1)
	}
	return m
}

// cloneState deep-copies a state.
func cloneState(ps []*data.Table) []*data.Table {
	out := make([]*data.Table, len(ps))
	for i, p := range ps {
		out[i] = p.Clone()
	}
	return out
}
