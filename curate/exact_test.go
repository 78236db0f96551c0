package curate

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/selfconsume/selfconsume/data"
)

// exactRow draws a random probability row (some cells tiny) and rewards of
// the given scale.
func exactRow(rng *rand.Rand, v int, scale float64) (p, r []float64) {
	p, r = make([]float64, v), make([]float64, v)
	s := 0.0
	for i := range p {
		p[i] = 0.05 + rng.Float64()
		if rng.IntN(6) == 0 {
			p[i] = 1e-6 * rng.Float64()
		}
		s += p[i]
		r[i] = scale * rng.NormFloat64()
	}
	for i := range p {
		p[i] /= s
	}
	return p, r
}

// enumLuce is the exact K-choice Luce law by enumerating all V^K draws, in
// the log domain (weights relative to the best draw of each tuple), so it is
// an oracle for any reward spread.
func enumLuce(k int, p, r []float64, tau float64) []float64 {
	v := len(p)
	out := make([]float64, v)
	idx := make([]int, k)
	var rec func(d int, pr float64)
	rec = func(d int, pr float64) {
		if d == k {
			mx := math.Inf(-1)
			for _, y := range idx {
				mx = math.Max(mx, r[y])
			}
			s := 0.0
			for _, y := range idx {
				s += math.Exp((r[y] - mx) / tau)
			}
			for _, y := range idx {
				out[y] += pr * math.Exp((r[y]-mx)/tau) / s
			}
			return
		}
		for y := 0; y < v; y++ {
			if p[y] > 0 {
				idx[d] = y
				rec(d+1, pr*p[y])
			}
		}
	}
	rec(0, 1)
	return out
}

// maxRelErr is max_i |got_i - want_i| / |want_i| over entries with
// |want_i| > floor (absolute error below the floor).
func maxRelErr(got, want []float64, floor float64) float64 {
	worst := 0.0
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if math.Abs(want[i]) > floor {
			d /= math.Abs(want[i])
		}
		worst = math.Max(worst, d)
	}
	return worst
}

func TestExactValidate(t *testing.T) {
	for _, tc := range []struct {
		law Law
		ok  bool
	}{
		{Law{K: 1, Tau: 1}, true},
		{Law{K: 4, Tau: 0}, true},
		{Law{Infinite: true, Tau: 0.5}, true},
		{Law{K: 0, Tau: 1}, false},
		{Law{K: 3, Tau: -1}, false},
		{Law{K: 3, Tau: math.NaN()}, false},
		{Law{K: 3, Tau: math.Inf(1)}, false},
	} {
		if err := tc.law.Validate(); (err == nil) != tc.ok {
			t.Errorf("%v.Validate() = %v, want ok=%v", tc.law, err, tc.ok)
		}
	}
}

func TestExactKOneIdentity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tau := range []float64{0, 0.1, 1, 10} {
		p, r := exactRow(rng, 7, 2)
		out := make([]float64, 7)
		Law{K: 1, Tau: tau}.Apply(p, r, out)
		for i := range p {
			if math.Abs(out[i]-p[i]) > 1e-15*p[i] {
				t.Fatalf("tau %g: C(p)[%d] = %g, want p = %g", tau, i, out[i], p[i])
			}
		}
	}
}

// TestExactKTwoClosedForm checks the general integral against the K = 2
// closed form, values and Jacobians, to 1e-10 relative, over reward spreads
// up to thousands of temperatures (where the gap compression acts).
func TestExactKTwoClosedForm(t *testing.T) {
	const tol = 1e-10
	rng := rand.New(rand.NewPCG(2, 2))
	for _, tc := range []struct{ scale, tau float64 }{
		{0.1, 1}, {1, 1}, {3, 0.5}, {5, 0.1}, {100, 0.05},
	} {
		for trial := 0; trial < 5; trial++ {
			v := 2 + rng.IntN(7)
			p, r := exactRow(rng, v, tc.scale)
			closed, quad := make([]float64, v), make([]float64, v)
			jc, jq := make([]float64, v*v), make([]float64, v*v)
			luce2(p, luceLogV(p, r, tc.tau, 2, false, false), closed, jc, nil, nil)
			luceQuad(2, false, p, luceLogV(p, r, tc.tau, 2, true, false), quad, jq, nil, nil)
			if e := maxRelErr(quad, closed, 1e-290); e > tol {
				t.Errorf("scale %g tau %g: integral vs closed form rel err %.3g > %g", tc.scale, tc.tau, e, tol)
			}
			if e := maxRelErr(jq, jc, 1e-290); e > tol {
				t.Errorf("scale %g tau %g: Jacobian rel err %.3g > %g", tc.scale, tc.tau, e, tol)
			}
		}
	}
}

// TestExactEnumeration checks K = 3..5 against exact enumeration of all draws
// to 1e-10 relative, including reward spreads of hundreds of temperatures.
func TestExactEnumeration(t *testing.T) {
	const tol = 1e-10
	rng := rand.New(rand.NewPCG(3, 3))
	for _, tc := range []struct {
		k          int
		scale, tau float64
	}{
		{3, 1, 1}, {4, 1, 0.3}, {5, 0.5, 2}, {3, 30, 0.1}, {4, 10, 0.05}, {5, 3, 0.01},
	} {
		for trial := 0; trial < 4; trial++ {
			v := 2 + rng.IntN(5)
			p, r := exactRow(rng, v, tc.scale)
			got := make([]float64, v)
			Law{K: tc.k, Tau: tc.tau}.Apply(p, r, got)
			want := enumLuce(tc.k, p, r, tc.tau)
			if e := maxRelErr(got, want, 1e-290); e > tol {
				t.Errorf("K=%d scale %g tau %g: rel err %.3g > %g\n got %v\nwant %v", tc.k, tc.scale, tc.tau, e, tol, got, want)
			}
		}
	}
}

// TestExactLargeKTilt checks the K -> infinity limit: at K = 1e6 the law is
// within 1e-5 relative of the tilt, and the gap shrinks like 1/K.
func TestExactLargeKTilt(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	p, r := exactRow(rng, 8, 1)
	tau := 0.7
	want := make([]float64, 8)
	Law{Infinite: true, Tau: tau}.Apply(p, r, want)
	errAt := func(k int) float64 {
		got := make([]float64, 8)
		Law{K: k, Tau: tau}.Apply(p, r, got)
		return maxRelErr(got, want, 0)
	}
	e4, e6 := errAt(10_000), errAt(1_000_000)
	if e6 > 1e-5 {
		t.Errorf("K=1e6 vs tilt: rel err %.3g > 1e-5", e6)
	}
	if ratio := e4 / e6; ratio < 70 || ratio > 130 {
		t.Errorf("error ratio K=1e4/K=1e6 = %.3g, want ~100 (1/K convergence)", ratio)
	}
	// an absurdly large K stays finite and normalised
	got := make([]float64, 8)
	Law{K: 1 << 40, Tau: tau}.Apply(p, r, got)
	if e := maxRelErr(got, want, 0); e > 1e-9 {
		t.Errorf("K=2^40 vs tilt: rel err %.3g > 1e-9", e)
	}
}

// TestExactBestOfK checks Tau == 0 on a hand-computed case with ties, and
// the Tau -> 0 limit of the integral against it.
func TestExactBestOfK(t *testing.T) {
	p := []float64{0.2, 0.3, 0.5, 0}
	r := []float64{0, 1, 1, 5} // the reward-5 cell has no mass
	got := make([]float64, 4)
	Law{K: 3, Tau: 0}.Apply(p, r, got)
	// low level mass 0.2: kept w.p. 0.2^3; top level 1 - 0.008 split 3:5.
	want := []float64{0.008, 0.992 * 0.3 / 0.8, 0.992 * 0.5 / 0.8, 0}
	if e := maxRelErr(got, want, 0); e > 1e-15 {
		t.Errorf("best-of-3 = %v, want %v", got, want)
	}
	Law{Infinite: true, Tau: 0}.Apply(p, r, got)
	if e := maxRelErr(got, []float64{0, 0.375, 0.625, 0}, 0); e > 1e-15 {
		t.Errorf("argmax law = %v", got)
	}

	rng := rand.New(rand.NewPCG(5, 5))
	for _, k := range []int{2, 3, 7} {
		v := 9
		pp, _ := exactRow(rng, v, 1)
		rr := make([]float64, v)
		for i := range rr {
			rr[i] = float64(rng.IntN(4)) // four levels, ties
		}
		best := make([]float64, v)
		Law{K: k, Tau: 0}.Apply(pp, rr, best)
		prev := math.Inf(1)
		for _, tau := range []float64{0.5, 0.1, 1.0 / 60} {
			soft := make([]float64, v)
			Law{K: k, Tau: tau}.Apply(pp, rr, soft)
			e := maxRelErr(soft, best, 0)
			if e >= prev {
				t.Errorf("K=%d: error %.3g at tau %g did not shrink (previous %.3g)", k, e, tau, prev)
			}
			prev = e
		}
		// at tau = 1/60 the cross-level terms are ~K e^-60
		if prev > 1e-12 {
			t.Errorf("K=%d: tau=1/60 vs best-of-K abs err %.3g > 1e-12", k, prev)
		}
	}
}

// TestExactExtremeSpread: levels thousands of temperatures apart behave as
// infinitely separated; matches the closed forms to 1e-12.
func TestExactExtremeSpread(t *testing.T) {
	p := []float64{0.1, 0.3, 0.6}
	r := []float64{0, 0, 1e4} // tau 1: the low level never wins against the top
	for _, k := range []int{3, 6} {
		got := make([]float64, 3)
		Law{K: k, Tau: 1}.Apply(p, r, got)
		low := math.Pow(0.4, float64(k))
		want := []float64{low * 0.25, low * 0.75, 1 - low}
		if e := maxRelErr(got, want, 0); e > 1e-12 {
			t.Errorf("K=%d: got %v, want %v (rel err %.3g)", k, got, want, e)
		}
	}
	// two clusters far apart, Luce structure inside each: enumeration oracle
	p = []float64{0.3, 0.2, 0.4, 0.1}
	r = []float64{0, 1.5, 3000, 3001}
	got := make([]float64, 4)
	Law{K: 4, Tau: 1}.Apply(p, r, got)
	if e := maxRelErr(got, enumLuce(4, p, r, 1), 0); e > 1e-10 {
		t.Errorf("two clusters: rel err %.3g > 1e-10", e)
	}
}

// TestExactInvariants: C(p) >= 0, sums to 1 (1e-12) and E_C[r] >= E_p[r].
func TestExactInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	laws := []Law{
		{K: 1, Tau: 1}, {K: 2, Tau: 0.3}, {K: 3, Tau: 1}, {K: 8, Tau: 0.1},
		{K: 50, Tau: 2}, {K: 4, Tau: 0}, {Infinite: true, Tau: 0.5}, {Infinite: true},
	}
	for _, law := range laws {
		for trial := 0; trial < 10; trial++ {
			v := 2 + rng.IntN(10)
			p, r := exactRow(rng, v, 1+rng.Float64()*3)
			out := make([]float64, v)
			law.Apply(p, r, out)
			sum, ep, ec := 0.0, 0.0, 0.0
			for i, c := range out {
				if c < 0 || math.IsNaN(c) {
					t.Fatalf("%v: C(p)[%d] = %g", law, i, c)
				}
				sum += c
				ep += p[i] * r[i]
				ec += c * r[i]
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("%v: sum C(p) = %.16g", law, sum)
			}
			if ec < ep-1e-12 {
				t.Errorf("%v: E_C[r] = %.12g < E_p[r] = %.12g", law, ec, ep)
			}
		}
	}
}

// TestExactMonteCarlo compares the exact law with the sampled Luce choice
// (draw K from p, keep k w.p. u_k / sum u): a chi-square goodness-of-fit test
// at level 1e-4 and per-cell |z| < 4.5 on 2e5 draws, and the same counts must
// reject a wrong law (the K -> infinity tilt) at that level.
func TestExactMonteCarlo(t *testing.T) {
	const draws = 200_000
	for _, tc := range []struct {
		law  Law
		seed uint64
	}{
		{Law{K: 2, Tau: 0.5}, 11},
		{Law{K: 3, Tau: 0.5}, 12},
		{Law{K: 5, Tau: 1}, 13},
		{Law{K: 4, Tau: 0}, 14},
	} {
		rng := rand.New(rand.NewPCG(tc.seed, 7))
		v := 6
		p, r := exactRow(rng, v, 1)
		r[4] = r[1] // a tie
		p[0] += 0.05
		s := 0.0
		for _, x := range p {
			s += x
		}
		for i := range p {
			p[i] /= s
		}
		counts := make([]float64, v)
		smp := data.NewSampler(p)
		cand := make([]int, tc.law.K)
		w := make([]float64, tc.law.K)
		for n := 0; n < draws; n++ {
			mx, tot := math.Inf(-1), 0.0
			for k := range cand {
				cand[k] = smp.Draw(rng)
				mx = math.Max(mx, r[cand[k]])
			}
			for k, y := range cand {
				w[k] = 0
				if tc.law.Tau > 0 {
					w[k] = math.Exp((r[y] - mx) / tc.law.Tau)
				} else if r[y] == mx {
					w[k] = 1
				}
				tot += w[k]
			}
			u := rng.Float64() * tot
			kept := len(cand) - 1
			for k := range w {
				if u -= w[k]; u < 0 {
					kept = k
					break
				}
			}
			counts[cand[kept]]++
		}
		chi2 := func(law Law) (float64, float64) {
			c := make([]float64, v)
			law.Apply(p, r, c)
			stat, zmax := 0.0, 0.0
			for i := range c {
				e := draws * c[i]
				stat += (counts[i] - e) * (counts[i] - e) / e
				zmax = math.Max(zmax, math.Abs(counts[i]-e)/math.Sqrt(e*(1-c[i])))
			}
			return stat, zmax
		}
		crit := distuv.ChiSquared{K: float64(v - 1)}.Quantile(1 - 1e-4)
		stat, zmax := chi2(tc.law)
		if stat > crit || zmax > 4.5 {
			t.Errorf("%v: chi2 = %.2f (crit %.2f), max |z| = %.2f", tc.law, stat, crit, zmax)
		}
		if wrong, _ := chi2(Law{Infinite: true, Tau: math.Max(tc.law.Tau, 0.5)}); wrong < crit {
			t.Errorf("%v: the test cannot tell the tilt apart (chi2 %.2f < %.2f)", tc.law, wrong, crit)
		}
	}
}

// TestExactDerivFD checks Deriv against central differences of Apply along
// every tangent direction e_x - e_z (step 1e-5, tolerance 1e-7 absolute).
func TestExactDerivFD(t *testing.T) {
	const h, tol = 1e-5, 1e-7
	rng := rand.New(rand.NewPCG(8, 8))
	laws := []Law{
		{K: 1, Tau: 1}, {K: 2, Tau: 0.4}, {K: 3, Tau: 1}, {K: 6, Tau: 0.2},
		{K: 3, Tau: 0}, {Infinite: true, Tau: 0.5}, {Infinite: true},
	}
	for _, law := range laws {
		v := 6
		p, r := exactRow(rng, v, 1)
		for i := range p { // keep cells away from the boundary
			p[i] = 0.5*p[i] + 0.5/float64(v)
		}
		r[2] = r[5] // a tie, for the level-based laws
		jac := make([]float64, v*v)
		law.Deriv(p, r, jac)
		plus, minus := make([]float64, v), make([]float64, v)
		pp := make([]float64, v)
		for x := 0; x < v; x++ {
			for z := 0; z < v; z++ {
				if x == z {
					continue
				}
				copy(pp, p)
				pp[x] += h
				pp[z] -= h
				law.Apply(pp, r, plus)
				copy(pp, p)
				pp[x] -= h
				pp[z] += h
				law.Apply(pp, r, minus)
				for y := 0; y < v; y++ {
					fd := (plus[y] - minus[y]) / (2 * h)
					an := jac[y*v+x] - jac[y*v+z]
					if math.Abs(fd-an) > tol {
						t.Errorf("%v: dC[%d]/d(e%d-e%d) = %.10g, finite difference %.10g", law, y, x, z, an, fd)
					}
				}
			}
		}
	}
}

// TestExactApplyTable: the table form is the row form applied per context.
func TestExactApplyTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	p := data.Dirichlet(rng, 4, 5, 1)
	r := data.NewTable(4, 5)
	for i := range r.P {
		r.P[i] = rng.NormFloat64()
	}
	law := Law{K: 3, Tau: 0.5}
	got := law.ApplyTable(p, r)
	row := make([]float64, 5)
	for c := 0; c < 4; c++ {
		law.Apply(p.Row(c), r.Row(c), row)
		for y := range row {
			if got.At(c, y) != row[y] {
				t.Fatalf("ApplyTable(%d,%d) = %g, Apply gives %g", c, y, got.At(c, y), row[y])
			}
		}
	}
	if err := got.Validate(1e-12); err != nil {
		t.Error(err)
	}
}

// TestExactDerivBoundary: at a p with empty cells (one above and one below
// the support's rewards) the derivative toward an empty cell matches forward
// differences of Apply (step 1e-7, tolerance 1e-5), for the smooth laws.
func TestExactDerivBoundary(t *testing.T) {
	const h, tol = 1e-7, 1e-5
	p := []float64{0.3, 0, 0.45, 0, 0.25}
	r := []float64{0.2, 1.5, -0.4, -1.2, 0.7}
	for _, law := range []Law{{K: 2, Tau: 0.5}, {K: 3, Tau: 0.5}, {K: 6, Tau: 1}, {Infinite: true, Tau: 0.8}} {
		v := len(p)
		jac := make([]float64, v*v)
		law.Deriv(p, r, jac)
		base, moved := make([]float64, v), make([]float64, v)
		law.Apply(p, r, base)
		for _, z := range []int{1, 3} {
			for _, x := range []int{0, 2, 4} {
				pp := append([]float64(nil), p...)
				pp[z] += h
				pp[x] -= h
				law.Apply(pp, r, moved)
				for y := 0; y < v; y++ {
					fd := (moved[y] - base[y]) / h
					an := jac[y*v+z] - jac[y*v+x]
					if math.Abs(fd-an) > tol {
						t.Errorf("%v: dC[%d]/d(e%d-e%d) = %.8g, forward difference %.8g", law, y, z, x, an, fd)
					}
				}
			}
		}
	}
}

// BenchmarkExactApply times one 64-token row at K = 4 (the quadrature path).
func BenchmarkExactApply(b *testing.B) { benchApply(b, 64) }

// BenchmarkExactApply512 times one 512-token row at K = 4, the scale-cat
// shape, where the theory spends most of its time.
func BenchmarkExactApply512(b *testing.B) { benchApply(b, 512) }

// benchApply times Apply on one v-token row at K = 4, the fast form the
// theory uses (BenchmarkExactApplyReference: the reference form).
func benchApply(b *testing.B, v int) {
	rng := rand.New(rand.NewPCG(1, 1))
	p, r := exactRow(rng, v, 1)
	out := make([]float64, v)
	law := Law{K: 4, Tau: 1, Fast: true}
	for b.Loop() {
		law.Apply(p, r, out)
	}
}

// BenchmarkExactDeriv times the 64 x 64 Jacobian of one row at K = 4.
func BenchmarkExactDeriv(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	p, r := exactRow(rng, 64, 1)
	jac := make([]float64, 64*64)
	law := Law{K: 4, Tau: 1}
	for b.Loop() {
		law.Deriv(p, r, jac)
	}
}

// BenchmarkExactRowJacobian512 times the factored Jacobian of one
// 512-token row at K = 4 (the matrix-free solver's per-row operator).
func BenchmarkExactRowJacobian512(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	p, r := exactRow(rng, 512, 1)
	law := Law{K: 4, Tau: 1, Fast: true}
	for b.Loop() {
		law.RowJacobian(p, r)
	}
}

// BenchmarkExactApplyReference is BenchmarkExactApply512 on the reference
// form of the law (Law.Fast false), which a run's fit metrics use.
func BenchmarkExactApplyReference(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	p, r := exactRow(rng, 512, 1)
	out := make([]float64, 512)
	law := Law{K: 4, Tau: 1}
	for b.Loop() {
		law.Apply(p, r, out)
	}
}

// The fast form of the quadrature law (Law.Fast) equals the reference
// form to within 1e-14 relative, in the law and its Jacobian, over K on
// both sides of the expm1 switch (16) and reward spreads up to 20.
func TestExactFastMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	for _, k := range []int{3, 4, 16, 17, 64, 1000} {
		for _, scale := range []float64{0.1, 1, 5, 20} {
			p, r := exactRow(rng, 40, scale)
			fast, ref := Law{K: k, Tau: 1, Fast: true}, Law{K: k, Tau: 1}
			a, b := make([]float64, 40), make([]float64, 40)
			fast.Apply(p, r, a)
			ref.Apply(p, r, b)
			if e := maxRelErr(a, b, 1e-290); e > 1e-14 {
				t.Errorf("K %d scale %g: law rel diff %.3g > 1e-14", k, scale, e)
			}
			ja, jb := make([]float64, 1600), make([]float64, 1600)
			fast.Deriv(p, r, ja)
			ref.Deriv(p, r, jb)
			if e := maxRelErr(ja, jb, 1e-12); e > 1e-14 {
				t.Errorf("K %d scale %g: Jacobian rel diff %.3g > 1e-14", k, scale, e)
			}
		}
	}
}
