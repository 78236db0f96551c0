package theory

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func lgModel(scale float64) LinearGaussian {
	return LinearGaussian{
		A:      mat.NewDense(2, 2, []float64{0.5 * scale, 0.3 * scale, -0.2 * scale, 0.4 * scale}),
		Dir:    []float64{1, 0.5},
		Lambda: 0.8,
		GP:     []float64{1, -0.5}, GQ: []float64{-0.3, 1},
		EtaP: 0.7, EtaQ: 1.2,
	}
}

// TestTheoryLinearGaussianClosedForm: the closed-form fixed point is a fixed
// point of Step and the limit of iteration when rho(A) < 1 (1e-12); the
// closed-form influences match central differences (1e-8).
func TestTheoryLinearGaussianClosedForm(t *testing.T) {
	m := lgModel(1)
	if !m.Converges() {
		t.Fatalf("rho(A) = %g, want < 1", m.SpectralRadius())
	}
	theta, phi, err := m.FixedPoint()
	if err != nil {
		t.Fatal(err)
	}
	th2, ph2 := m.Step(theta, phi)
	for i := range theta {
		if math.Abs(th2[i]-theta[i]) > 1e-14 || math.Abs(ph2[i]-phi[i]) > 1e-14 {
			t.Fatalf("closed form is not a fixed point: %v %v -> %v %v", theta, phi, th2, ph2)
		}
	}
	th, ph := []float64{3, -2}, []float64{-1, 4}
	for g := 0; g < 400; g++ {
		th, ph = m.Step(th, ph)
	}
	for i := range theta {
		if math.Abs(th[i]-theta[i]) > 1e-12 || math.Abs(ph[i]-phi[i]) > 1e-12 {
			t.Errorf("iteration ends at %v %v, closed form %v %v", th, ph, theta, phi)
		}
	}
	in, err := m.Influence()
	if err != nil {
		t.Fatal(err)
	}
	fp, fq, err := m.InfluenceFD(1e-4)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fp-in.P) > 1e-8 || math.Abs(fq-in.Q) > 1e-8 {
		t.Errorf("influence (%.12g, %.12g), finite differences (%.12g, %.12g)", in.P, in.Q, fp, fq)
	}
}

// TestTheoryLinearGaussianDiverges: with rho(A) > 1 the iteration leaves
// every bound even though the formal fixed point exists.
func TestTheoryLinearGaussianDiverges(t *testing.T) {
	m := lgModel(2.5)
	if m.Converges() {
		t.Fatalf("rho(A) = %g, want > 1", m.SpectralRadius())
	}
	th, ph := []float64{0.1, 0.1}, []float64{0, 0}
	for g := 0; g < 200; g++ {
		th, ph = m.Step(th, ph)
	}
	if n := math.Hypot(th[0], th[1]); n < 1e6 {
		t.Errorf("|theta| = %g after 200 generations with rho(A) = %g; expected divergence", n, m.SpectralRadius())
	}
}

// TestTheoryLinearGaussianScan checks the coupling scan on two closed forms.
//
// (a) A = s I, a = g_q = e_1, eta_q = 1, Lambda = 1: dJ_q/dLambda = b(1-b),
// b = s/(1-s), changes sign at s = 1/2; the isolated effect s(1-b) changes
// with it (the concave reward is overshot), so the label goes "helps" ->
// "hurts", not "backfire".
// (b) A = s R, R the quarter turn, a = e_1, g_q = (1, 0.2), eta_q = 0:
// dJ_q/dLambda = s(0.2 - s)/(1 + s^2) changes sign at s = 0.2 while the
// isolated effect 0.2 s stays positive: feedback inverts the cross effect,
// "dampened" -> "backfire". Roots to 1e-9, values to 1e-12.
func TestTheoryLinearGaussianScan(t *testing.T) {
	for _, tc := range []struct {
		name       string
		m          LinearGaussian
		scales     []float64
		root       float64
		lo, hi     float64
		q          func(s float64) float64
		weak, high string // labels at the first scale and at the sixth
	}{
		{
			name: "isotropic",
			m: LinearGaussian{A: mat.NewDense(2, 2, []float64{1, 0, 0, 1}), Dir: []float64{1, 0}, Lambda: 1,
				GP: []float64{1, 0}, GQ: []float64{1, 0}, EtaP: 0.1, EtaQ: 1},
			scales: []float64{0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 0.95, 1.2},
			root:   0.5, lo: 0.4, hi: 0.6,
			q:    func(s float64) float64 { b := s / (1 - s); return b * (1 - b) },
			weak: LabelHelps, high: LabelHurts,
		},
		{
			name: "rotation",
			m: LinearGaussian{A: mat.NewDense(2, 2, []float64{0, -1, 1, 0}), Dir: []float64{1, 0}, Lambda: 1,
				GP: []float64{1, 0}, GQ: []float64{1, 0.2}, EtaP: 0, EtaQ: 0},
			scales: []float64{0.1, 0.15, 0.25, 0.4, 0.6, 0.8, 0.95, 1.2},
			root:   0.2, lo: 0.15, hi: 0.25,
			q:    func(s float64) float64 { return s * (0.2 - s) / (1 + s*s) },
			weak: LabelDampened, high: LabelBackfire,
		},
	} {
		pts, changes, err := tc.m.ScanCoupling(tc.scales)
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != len(tc.scales) || pts[len(pts)-1].Converges {
			t.Fatalf("%s: scan points %+v", tc.name, pts)
		}
		var cross []SignChange
		for _, ch := range changes {
			if ch.Which == "cross" {
				cross = append(cross, ch)
			}
		}
		if len(cross) != 1 || math.Abs(cross[0].Root-tc.root) > 1e-9 || cross[0].Lo != tc.lo || cross[0].Hi != tc.hi {
			t.Fatalf("%s: cross sign changes %+v, want one at %g between %g and %g", tc.name, cross, tc.root, tc.lo, tc.hi)
		}
		for _, pt := range pts[:len(pts)-1] {
			if want := tc.q(pt.Scale); math.Abs(pt.Influence.Q-want) > 1e-12 {
				t.Errorf("%s: scale %g: dJ_q/dLambda = %g, closed form %g", tc.name, pt.Scale, pt.Influence.Q, want)
			}
		}
		if got := pts[0].Influence.LabelQ; got != tc.weak {
			t.Errorf("%s: weak coupling cross label %q, want %q", tc.name, got, tc.weak)
		}
		if got := pts[5].Influence.LabelQ; got != tc.high {
			t.Errorf("%s: strong coupling (s=%g) cross label %q, want %q", tc.name, pts[5].Scale, got, tc.high)
		}
	}
}
