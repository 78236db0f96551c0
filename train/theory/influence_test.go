package theory

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// TestTheoryLabel checks every label rule of Label on hand-picked values,
// without (negligible 0) and with a negligible size of 0.01.
func TestTheoryLabel(t *testing.T) {
	const tol = 1e-12
	for _, tc := range []struct {
		total, iso float64
		self       bool
		want       string
		negligible float64
	}{
		{0.5, 0.3, true, LabelHelps, 0},
		{0.2, 0.3, true, LabelDampened, 0},
		{-0.1, 0.3, true, LabelBackfire, 0},
		{-0.1, -0.3, true, LabelBackfire, 0}, // self: SI < 0 is backfire whatever the cause
		{0.1, -0.3, true, LabelHelps, 0},     // feedback turns a loss into a gain
		{0, 0, true, LabelNone, 0},
		{0.5, 0.3, false, LabelHelps, 0},
		{0.2, 0.3, false, LabelDampened, 0},
		{-0.2, 0.3, false, LabelBackfire, 0},
		{0.2, -0.3, false, LabelBackfire, 0},
		{-0.2, -0.3, false, LabelHurts, 0},
		{0.2, 0, false, LabelInduced, 0},
		{1e-14, -1e-14, false, LabelNone, 0},
		// The user's case: -0.005 was backfire (self) and hurts (cross, with a
		// negative isolated effect); at the default size both are negligible.
		{-0.005, 0.3, true, LabelBackfire, 0},
		{-0.005, -0.02, false, LabelHurts, 0},
		{-0.005, 0.3, true, LabelNegligible, 0.01},
		{-0.005, -0.02, false, LabelNegligible, 0.01},
		{0.009, 0, false, LabelNegligible, 0.01},
		{0, 0, false, LabelNone, 0.01},         // no route at all stays none
		{0.01, 0.3, true, LabelDampened, 0.01}, // at the size: labelled
		{-0.2, -0.3, false, LabelHurts, 0.01},
	} {
		if got := Label(tc.total, tc.iso, tc.self, tol, tc.negligible); got != tc.want {
			t.Errorf("Label(%g, %g, self=%v, negligible %g) = %q, want %q", tc.total, tc.iso, tc.self, tc.negligible, got, tc.want)
		}
	}
}

// TestTheoryInfluenceFD: the implicit-function influence (whole matrix over
// models and populations) agrees with central differences of the exact fixed
// point (delta 1e-4, fixed points to 1e-14) within 1e-6, for the default
// knob of every model and a random direction, under several laws.
func TestTheoryInfluenceFD(t *testing.T) {
	const delta, tol = 1e-4, 1e-6
	for _, law := range []curate.Law{{K: 3, Tau: 0.5}, {K: 2, Tau: 1}, {K: 3, Tau: 0}, {Infinite: true, Tau: 0.7}} {
		worst := 0.0
		rng := rand.New(rand.NewPCG(7, 7))
		s := randomSystem(rng, 3, 2, 2, 4, law, 0.3)
		fp, err := s.FixedPoint(nil, 1e-14)
		if err != nil {
			t.Fatal(err)
		}
		var knobs []Knob
		for k := range s.Models {
			kn, err := CuratedShare(s, k)
			if err != nil {
				t.Fatal(err)
			}
			knobs = append(knobs, kn)
		}
		// a random direction for model 1: raw and curated components, from real
		rnd := Knob{Name: "random", Model: 1, Raw: make([]float64, 3), Curated: make([]float64, 3)}
		for j := 0; j < 3; j++ {
			rnd.Raw[j], rnd.Curated[j] = rng.Float64(), rng.Float64()
			rnd.Real -= rnd.Raw[j] + rnd.Curated[j]
		}
		knobs = append(knobs, rnd)
		for _, kn := range knobs {
			in, err := s.Influence(kn, fp)
			if err != nil {
				t.Fatal(err)
			}
			fd, err := s.InfluenceFD(kn, fp.P, delta, 1e-14)
			if err != nil {
				t.Fatal(err)
			}
			d := maxAbsDiff(in.Total, fd)
			worst = math.Max(worst, d)
			if d > tol {
				t.Errorf("%v, knob %q: implicit %v vs finite differences %v: max diff %.3g > %g", law, kn.Name, in.Total, fd, d, tol)
			}
			for i := range in.DP {
				for c := 0; c < s.Real.C; c++ {
					sum := 0.0
					for _, x := range in.DP[i].Row(c) {
						sum += x
					}
					if math.Abs(sum) > 1e-12 {
						t.Errorf("dp*/dlambda row (%d, %d) sums to %g", i, c, sum)
					}
				}
			}
		}
		t.Logf("%v: largest |implicit - finite difference| %.3g", law, worst)
	}
}

// twoModels is the conflicting-populations system: p (population 0, reward
// r) and q (population 1, reward -r), real share 0.5 each; a fraction f of
// p's curated half comes from q (curated by q's population), the rest is
// self-curated; q curates only itself.
func twoModels(r *data.Table, q *data.Table, f float64) *System {
	return &System{
		Context: data.UniformContext(r.C), Real: q,
		Models: []Model{
			{Name: "p", Pop: 0, Real: 0.5, Raw: []float64{0, 0}, Curated: []float64{0.5 * (1 - f), 0.5 * f}},
			{Name: "q", Pop: 1, Real: 0.5, Raw: []float64{0.1, 0}, Curated: []float64{0, 0.4}},
		},
		Law:          curate.Law{K: 4, Tau: 0.5},
		CurateReward: []*data.Table{r, curate.Negate(r)},
		TrueReward:   []*data.Table{r, curate.Negate(r)},
		PopNames:     []string{"P", "Q"},
	}
}

// TestTheoryBackfire: two populations with opposite rewards and
// cross-curated data. Raising p's curated share (split kept, taken from real)
// raises J_p when p's curated data is mostly its own (f = 0.1) and lowers it,
// labelled "backfire", once most comes from q (f = 0.9); SI decreases in f;
// and each value agrees with finite differences of the fixed point to 1e-6.
func TestTheoryBackfire(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	const c, v = 2, 6
	r := curate.RandomReward(rng, c, v, 1)
	q := data.Dirichlet(rng, c, v, 3)
	prev := math.Inf(1)
	for _, f := range []float64{0.1, 0.3, 0.5, 0.7, 0.9} {
		s := twoModels(r, q, f)
		fp, err := s.FixedPoint(nil, 1e-14)
		if err != nil {
			t.Fatal(err)
		}
		kn, err := CuratedShare(s, 0)
		if err != nil {
			t.Fatal(err)
		}
		in, err := s.Influence(kn, fp)
		if err != nil {
			t.Fatal(err)
		}
		si := in.Self()
		fd, err := s.InfluenceFD(kn, fp.P, 1e-4, 1e-14)
		if err != nil {
			t.Fatal(err)
		}
		if d := math.Abs(fd[0][0] - si); d > 1e-6 {
			t.Errorf("f=%g: SI %.9g vs finite differences %.9g", f, si, fd[0][0])
		}
		if si >= prev {
			t.Errorf("f=%g: SI = %.6g did not decrease (previous %.6g)", f, si, prev)
		}
		prev = si
		t.Logf("f=%.1f: SI %+.5f (isolated %+.5f) %s; CI on q %+.5f (isolated %+.5f) %s",
			f, si, in.AlignmentIsolated[0], in.Labels[0], in.Alignment[1], in.AlignmentIsolated[1], in.Labels[1])
		switch f {
		case 0.1:
			if !(si > 0) || in.Labels[0] == LabelBackfire {
				t.Errorf("f=0.1: SI = %g (%s), want > 0", si, in.Labels[0])
			}
		case 0.9:
			if !(si < 0) || in.Labels[0] != LabelBackfire {
				t.Errorf("f=0.9: SI = %g (%s), want < 0 and %q", si, in.Labels[0], LabelBackfire)
			}
			// The system's negligible size labels influences below it
			// negligible, and only those.
			s.Negligible = math.Abs(si) * 1.01
			neg, err := s.Influence(kn, fp)
			if err != nil {
				t.Fatal(err)
			}
			if neg.Labels[0] != LabelNegligible || neg.Alignment[0] != si {
				t.Errorf("negligible %g: SI %g labelled %q, want %q", s.Negligible, neg.Alignment[0], neg.Labels[0], LabelNegligible)
			}
			s.Negligible = math.Abs(si) * 0.99
			if neg, _ = s.Influence(kn, fp); neg.Labels[0] != LabelBackfire {
				t.Errorf("negligible %g: SI %g labelled %q, want %q", s.Negligible, si, neg.Labels[0], LabelBackfire)
			}
		}
	}
}

// TestTheoryKnob checks the default knob, Shift and knob validation.
func TestTheoryKnob(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	r := curate.RandomReward(rng, 2, 4, 1)
	s := twoModels(r, data.Dirichlet(rng, 2, 4, 2), 0.25)
	kn, err := CuratedShare(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	if kn.Real != -1 || math.Abs(kn.Curated[0]-0.75) > 1e-15 || math.Abs(kn.Curated[1]-0.25) > 1e-15 {
		t.Errorf("CuratedShare = %+v, want real -1, curated split 0.75/0.25", kn)
	}
	sh, err := s.Shift(kn, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	m := sh.Models[0]
	if math.Abs(m.Real-0.3) > 1e-15 || math.Abs(m.Curated[0]-0.525) > 1e-15 || math.Abs(m.Curated[1]-0.175) > 1e-15 {
		t.Errorf("shifted weights %+v", m)
	}
	if s.Models[0].Real != 0.5 {
		t.Error("Shift modified the original system")
	}
	if _, err := s.Shift(kn, 0.6); err == nil {
		t.Error("Shift to a negative real share accepted")
	}
	bad := kn
	bad.Real = -0.5
	if err := bad.Validate(s); err == nil {
		t.Error("knob not summing to zero accepted")
	}
	self, _ := SelfCurated(s, 1)
	if self.Curated[1] != 1 || self.Real != -1 {
		t.Errorf("SelfCurated = %+v", self)
	}
	// Without curated data the default knob has no direction: an error, not
	// a silent switch to the self-curated one.
	none := *s
	none.Models = append([]Model(nil), s.Models...)
	none.Models[1].Real, none.Models[1].Curated = 1, []float64{0, 0}
	if kn, err := CuratedShare(&none, 1); err == nil || !strings.Contains(err.Error(), "no curated data") {
		t.Errorf("CuratedShare on a model without curated data = %+v, %v; want an error", kn, err)
	}
}
