package theory

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/selfconsume/selfconsume/data"
)

// Labels of an influence entry, comparing the total effect T (with feedback,
// at the fixed point) with the isolated effect I (feedback removed); see
// Label.
const (
	LabelHelps      = "helps"
	LabelDampened   = "dampened"
	LabelBackfire   = "backfire"
	LabelHurts      = "hurts"
	LabelInduced    = "induced"
	LabelNone       = "none"
	LabelNegligible = "negligible"
)

// Label classifies the effect of a knob on one model's alignment, with total
// effect total and isolated effect iso; self says whether the model is the
// one whose knob moves. Effects with |x| <= tol count as zero (tol is the
// numerical zero); an effect with |total| < negligible is too small to
// have a direction worth naming (negligible is the absolute size, in
// reward per unit of the knob, that the config's theory.negligible sets; 0
// turns the class off). The classes, tried in this order:
//
//   - "none":       total and isolated both zero (no route from the knob).
//   - "negligible": |total| < negligible. Without this class a total of
//     -0.005 would be "backfire" or "hurts" depending on the sign of an
//     equally small isolated effect, a distinction no run could resolve.
//   - "backfire": self: total < 0 (raising a model's own curation lowers its
//     own alignment, whatever the isolated effect); cross: total and isolated
//     of opposite signs (feedback inverts the direct effect).
//   - "dampened": 0 < total < iso (feedback shrinks a benefit).
//   - "helps":    total > 0 and total >= iso (the benefit survives feedback,
//     or feedback turns a first-order loss into a gain for the model itself).
//   - "hurts":    cross only: total < 0 and iso < 0 (the harm is already
//     present without feedback, so not a reversal).
//   - "induced":  cross only: iso zero but total not (the effect exists only
//     through feedback, e.g. no direct data route from the knob's model).
func Label(total, iso float64, self bool, tol, negligible float64) string {
	sgn := func(x float64) int {
		switch {
		case x > tol:
			return 1
		case x < -tol:
			return -1
		}
		return 0
	}
	st, si := sgn(total), sgn(iso)
	switch {
	case st == 0 && si == 0:
		return LabelNone
	case math.Abs(total) < negligible:
		return LabelNegligible
	case self && st < 0:
		return LabelBackfire
	case !self && st != 0 && si != 0 && st != si:
		return LabelBackfire
	case !self && si == 0:
		return LabelInduced
	case st > 0 && si > 0 && total < iso:
		return LabelDampened
	case st > 0:
		return LabelHelps
	case !self && st < 0:
		return LabelHurts
	}
	return LabelNone // st == 0 with si != 0: feedback exactly cancels
}

// Influence is the effect of a knob at a fixed point.
type Influence struct {
	Knob Knob
	// Total[i][a] = dJ_i^a/dlambda at p*, by the implicit function theorem:
	// dp*/dlambda = (I - D Phi(p*))^-1 dPhi/dlambda.
	Total [][]float64
	// Isolated[i][a] is the same derivative with feedback removed: for the
	// knob's model k, the first-order term dPhi_k/dlambda alone; for i != k,
	// one hop of it, (dPhi_i/dp_k) dPhi_k/dlambda (i's direct response to
	// k's change, nothing fed back). In the linear-Gaussian toy these are
	// grad J_p . a and grad J_q . A a.
	Isolated [][]float64
	// Alignment[i] = Total[i][pop(i)]: the self-influence SI_k for i == k
	// and the cross-influence CI_ik otherwise; AlignmentIsolated likewise.
	Alignment         []float64
	AlignmentIsolated []float64
	Labels            []string      // Label of each Alignment entry
	DP                []*data.Table // dp_i*/dlambda (rows sum to 0)
}

// Self returns SI_k, the knob model's effect on its own alignment.
func (in Influence) Self() float64 { return in.Alignment[in.Knob.Model] }

// labelTol is the relative size under which an influence counts as zero.
const labelTol = 1e-9

// Influence returns the effect of the knob at the fixed point fp (which must
// be a fixed point of s). It fails if I - D Phi is singular there.
func (s *System) Influence(kn Knob, fp FixedPoint) (Influence, error) {
	if err := kn.Validate(s); err != nil {
		return Influence{}, err
	}
	s.mustState(fp.P)
	n, v, nc := len(s.Models), s.Real.V, s.Real.C
	w := v - 1
	k := kn.Model
	ps := fp.P
	// dPhi/dlambda: only model k's mixture moves.
	dphi := data.NewTable(nc, v)
	axpy(dphi.P, kn.Real, s.Real.P)
	needCur := false
	for j := 0; j < n; j++ {
		axpy(dphi.P, kn.Raw[j], ps[j].P)
		needCur = needCur || kn.Curated[j] != 0
	}
	if needCur {
		for j := 0; j < n; j++ {
			if kn.Curated[j] != 0 {
				axpy(dphi.P, kn.Curated[j], s.applyLaw(ps[j], s.CurateReward[s.Models[j].Pop]).P)
			}
		}
	}
	total := make([]*data.Table, n)
	iso := make([]*data.Table, n)
	for i := range total {
		total[i] = data.NewTable(nc, v)
		iso[i] = data.NewTable(nc, v)
	}
	copy(iso[k].P, dphi.P)
	if s.MatrixFree() {
		if err := s.influenceFree(k, dphi, ps, total, iso); err != nil {
			return Influence{}, err
		}
		return s.influenceOf(kn, total, iso), nil
	}
	dc := s.derivs(ps)
	for c := 0; c < nc; c++ {
		amb := s.ambientBlock(dc, c)
		// isolated, one hop: rows of model i, columns of model k
		src := dphi.Row(c)
		for i := 0; i < n; i++ {
			if i == k {
				continue
			}
			row := iso[i].Row(c)
			for x := 0; x < v; x++ {
				sum := 0.0
				for z := 0; z < v; z++ {
					sum += amb.At(i*v+x, k*v+z) * src[z]
				}
				row[x] = sum
			}
		}
		// total: (I - T) d = P dphi
		a := mat.NewDense(n*w, n*w, nil)
		a.Sub(eye(n*w), toTangent(amb, n, v))
		rhs := mat.NewVecDense(n*w, nil)
		for y := 0; y < w; y++ {
			rhs.SetVec(k*w+y, src[y])
		}
		var d mat.VecDense
		if err := d.SolveVec(a, rhs); err != nil {
			return Influence{}, fmt.Errorf("theory: I - D Phi is singular on context %d: %w", c, err)
		}
		for i := 0; i < n; i++ {
			row := total[i].Row(c)
			last := 0.0
			for y := 0; y < w; y++ {
				row[y] = d.AtVec(i*w + y)
				last += row[y]
			}
			row[w] = -last
		}
	}
	return s.influenceOf(kn, total, iso), nil
}

// influenceOf assembles the Influence from dp*/dlambda (total) and the
// isolated response (iso): the rewards, alignments and labels.
func (s *System) influenceOf(kn Knob, total, iso []*data.Table) Influence {
	n, k := len(s.Models), kn.Model
	in := Influence{Knob: kn, DP: total,
		Total: s.Rewards(total), Isolated: s.Rewards(iso),
		Alignment: make([]float64, n), AlignmentIsolated: make([]float64, n), Labels: make([]string, n)}
	scale := 0.0
	for i := range in.Total {
		for a := range in.Total[i] {
			scale = math.Max(scale, math.Max(math.Abs(in.Total[i][a]), math.Abs(in.Isolated[i][a])))
		}
	}
	for i, m := range s.Models {
		in.Alignment[i] = in.Total[i][m.Pop]
		in.AlignmentIsolated[i] = in.Isolated[i][m.Pop]
		in.Labels[i] = Label(in.Alignment[i], in.AlignmentIsolated[i], i == k, labelTol*scale, s.Negligible)
	}
	return in
}

// InfluenceFD estimates Total by central differences of the exact fixed
// point: J at the fixed points of the systems shifted by +delta and -delta
// along the knob (each solved to tol from p0, typically the unshifted fixed
// point), difference over 2 delta. It is the check of the implicit-function
// result; its error is O(delta^2) plus O(tol/delta). Both shifted systems
// must be valid, so the knob needs room on both sides (for the default knob:
// a real share of at least delta).
func (s *System) InfluenceFD(kn Knob, p0 []*data.Table, delta, tol float64) ([][]float64, error) {
	if !(delta > 0) {
		return nil, fmt.Errorf("theory: finite-difference step %g; need > 0", delta)
	}
	var js [2][][]float64
	for side, sign := range []float64{1, -1} {
		sh, err := s.Shift(kn, sign*delta)
		if err != nil {
			return nil, err
		}
		fp, err := sh.FixedPoint(p0, tol)
		if err != nil {
			return nil, err
		}
		js[side] = fp.J
	}
	out := make([][]float64, len(js[0]))
	for i := range out {
		out[i] = make([]float64, len(js[0][i]))
		for a := range out[i] {
			out[i][a] = (js[0][i][a] - js[1][i][a]) / (2 * delta)
		}
	}
	return out, nil
}
