package theory

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// LinearGaussian is the 2026 paper's toy mechanism:
// two Gaussian models with mean parameters theta (population p's model) and
// phi (population q's), updated each generation by
//
//	theta' = phi + Lambda a,   phi' = A theta,
//
// with concave rewards J_p(theta) = GP.theta - EtaP |theta|^2/2 and
// J_q(phi) = GQ.phi - EtaQ |phi|^2/2. Lambda is p's curation knob and a
// (Dir) the direction curation pushes p's mean.
type LinearGaussian struct {
	A          *mat.Dense
	Dir        []float64
	Lambda     float64
	GP, GQ     []float64
	EtaP, EtaQ float64
}

// Validate checks dimensions.
func (m LinearGaussian) Validate() error {
	if m.A == nil {
		return fmt.Errorf("theory: linear-Gaussian: no coupling matrix")
	}
	r, c := m.A.Dims()
	if r != c || r != len(m.Dir) || r != len(m.GP) || r != len(m.GQ) {
		return fmt.Errorf("theory: linear-Gaussian: A is %d x %d, a %d, g_p %d, g_q %d; need one dimension",
			r, c, len(m.Dir), len(m.GP), len(m.GQ))
	}
	return nil
}

// SpectralRadius returns the spectral radius of A. The joint update matrix
// [[0 I] [A 0]] has eigenvalues +-sqrt(eig A), so the loop converges from
// every start iff it is < 1.
func (m LinearGaussian) SpectralRadius() float64 { return SpectralRadius(m.A) }

// Converges reports whether the spectral radius of A is below 1.
func (m LinearGaussian) Converges() bool { return m.SpectralRadius() < 1 }

// Step returns one generation (theta', phi') = (phi + Lambda a, A theta).
func (m LinearGaussian) Step(theta, phi []float64) ([]float64, []float64) {
	t := append([]float64(nil), phi...)
	floats.AddScaled(t, m.Lambda, m.Dir)
	f := mat.NewVecDense(len(theta), nil)
	f.MulVec(m.A, mat.NewVecDense(len(theta), append([]float64(nil), theta...)))
	return t, f.RawVector().Data
}

// Rewards returns (J_p(theta), J_q(phi)).
func (m LinearGaussian) Rewards(theta, phi []float64) (float64, float64) {
	return floats.Dot(m.GP, theta) - m.EtaP*floats.Dot(theta, theta)/2,
		floats.Dot(m.GQ, phi) - m.EtaQ*floats.Dot(phi, phi)/2
}

// response returns b = (I - A)^-1 a, so theta* = Lambda b and
// dtheta*/dLambda = b.
func (m LinearGaussian) response() ([]float64, error) {
	d := len(m.Dir)
	ia := mat.NewDense(d, d, nil)
	ia.Sub(eye(d), m.A)
	var b mat.VecDense
	if err := b.SolveVec(ia, mat.NewVecDense(d, append([]float64(nil), m.Dir...))); err != nil {
		return nil, fmt.Errorf("theory: linear-Gaussian: I - A is singular: %w", err)
	}
	return b.RawVector().Data, nil
}

// FixedPoint returns theta* = Lambda (I - A)^-1 a and phi* = A theta*. It
// exists when I - A is invertible; it attracts iff Converges.
func (m LinearGaussian) FixedPoint() (theta, phi []float64, err error) {
	if err := m.Validate(); err != nil {
		return nil, nil, err
	}
	b, err := m.response()
	if err != nil {
		return nil, nil, err
	}
	theta = append([]float64(nil), b...)
	floats.Scale(m.Lambda, theta)
	f := mat.NewVecDense(len(b), nil)
	f.MulVec(m.A, mat.NewVecDense(len(b), append([]float64(nil), theta...)))
	return theta, f.RawVector().Data, nil
}

// LGInfluence is the effect of p's knob Lambda at the fixed point: on J_p
// (self, P) and on J_q (cross, Q), total and isolated, with labels as in
// Label.
type LGInfluence struct {
	P, Q                 float64 // dJ_p/dLambda = grad J_p(theta*).(I-A)^-1 a, dJ_q/dLambda = grad J_q(phi*).A(I-A)^-1 a
	IsolatedP, IsolatedQ float64 // grad J_p(theta*).a and grad J_q(phi*).A a (no feedback; one hop for q)
	LabelP, LabelQ       string
}

// Influence returns the closed-form influences of Lambda.
func (m LinearGaussian) Influence() (LGInfluence, error) {
	theta, phi, err := m.FixedPoint()
	if err != nil {
		return LGInfluence{}, err
	}
	b, _ := m.response()
	d := len(b)
	gp := append([]float64(nil), m.GP...)
	floats.AddScaled(gp, -m.EtaP, theta)
	gq := append([]float64(nil), m.GQ...)
	floats.AddScaled(gq, -m.EtaQ, phi)
	mul := func(x []float64) []float64 {
		y := mat.NewVecDense(d, nil)
		y.MulVec(m.A, mat.NewVecDense(d, append([]float64(nil), x...)))
		return y.RawVector().Data
	}
	in := LGInfluence{
		P:         floats.Dot(gp, b),
		Q:         floats.Dot(gq, mul(b)),
		IsolatedP: floats.Dot(gp, m.Dir),
		IsolatedQ: floats.Dot(gq, mul(m.Dir)),
	}
	tol := labelTol * math.Max(math.Max(math.Abs(in.P), math.Abs(in.Q)), math.Max(math.Abs(in.IsolatedP), math.Abs(in.IsolatedQ)))
	in.LabelP = Label(in.P, in.IsolatedP, true, tol, 0)
	in.LabelQ = Label(in.Q, in.IsolatedQ, false, tol, 0)
	return in, nil
}

// InfluenceFD returns central differences of (J_p, J_q) at the fixed point
// with respect to Lambda, step delta.
func (m LinearGaussian) InfluenceFD(delta float64) (p, q float64, err error) {
	var jp, jq [2]float64
	for side, sign := range []float64{1, -1} {
		mm := m
		mm.Lambda += sign * delta
		theta, phi, err := mm.FixedPoint()
		if err != nil {
			return 0, 0, err
		}
		jp[side], jq[side] = mm.Rewards(theta, phi)
	}
	return (jp[0] - jp[1]) / (2 * delta), (jq[0] - jq[1]) / (2 * delta), nil
}

// CouplingPoint is one point of a coupling scan: A replaced by Scale*A.
type CouplingPoint struct {
	Scale, Rho float64
	Converges  bool
	Influence  LGInfluence
}

// SignChange is a coupling scale at which an influence changes sign:
// Which is "self" (dJ_p/dLambda) or "cross" (dJ_q/dLambda); the sign changes
// between the scan points Lo and Hi and Root is located by bisection to
// 1e-12 relative.
type SignChange struct {
	Which        string
	Lo, Hi, Root float64
}

// ScanCoupling evaluates the influences with A scaled by each of scales
// (ascending) and reports where, between consecutive convergent scales,
// the self or the cross influence changes sign.
func (m LinearGaussian) ScanCoupling(scales []float64) ([]CouplingPoint, []SignChange, error) {
	at := func(sc float64) (CouplingPoint, error) {
		mm := m
		mm.A = mat.DenseCopyOf(m.A)
		mm.A.Scale(sc, mm.A)
		in, err := mm.Influence()
		rho := mm.SpectralRadius()
		return CouplingPoint{Scale: sc, Rho: rho, Converges: rho < 1, Influence: in}, err
	}
	pick := map[string]func(LGInfluence) float64{
		"self":  func(in LGInfluence) float64 { return in.P },
		"cross": func(in LGInfluence) float64 { return in.Q },
	}
	var pts []CouplingPoint
	var changes []SignChange
	for i, sc := range scales {
		pt, err := at(sc)
		if err != nil {
			return nil, nil, err
		}
		pts = append(pts, pt)
		if i == 0 || !pt.Converges || !pts[i-1].Converges {
			continue
		}
		for _, which := range []string{"self", "cross"} {
			f := pick[which]
			lo, hi := pts[i-1].Scale, sc
			flo, fhi := f(pts[i-1].Influence), f(pt.Influence)
			if flo == 0 || fhi == 0 || (flo > 0) == (fhi > 0) {
				continue
			}
			a, b := lo, hi
			for it := 0; it < 200 && b-a > 1e-12*math.Max(math.Abs(a), math.Abs(b)); it++ {
				mid := (a + b) / 2
				p, err := at(mid)
				if err != nil {
					return nil, nil, err
				}
				if (f(p.Influence) > 0) == (flo > 0) {
					a = mid
				} else {
					b = mid
				}
			}
			changes = append(changes, SignChange{Which: which, Lo: lo, Hi: hi, Root: (a + b) / 2})
		}
	}
	return pts, changes, nil
}
