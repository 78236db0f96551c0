package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// family simulates one comparison's checks over 6 seeds: levels agreement
// checks whose per-seed values are N(offset*sigma/sqrt(6), sigma^2) (offset 0:
// the theory is right) and two sign checks predicted positive whose true
// mean is half a standard error (right sign, hard to resolve).
func family(rng *rand.Rand, levels int, offset float64) []Test {
	const seeds, sigma = 6, 0.3
	se := sigma / math.Sqrt(seeds)
	draw := func(mean float64) Summary {
		v := make([]float64, seeds)
		for i := range v {
			v[i] = mean + sigma*rng.NormFloat64()
		}
		return Summarize(v)
	}
	var ts []Test
	for range levels {
		ts = append(ts, Test{Kind: Agreement, S: draw(offset * se)})
	}
	for range 2 {
		ts = append(ts, Test{Kind: Sign, S: draw(0.5 * se), Want: 1})
	}
	return ts
}

// passes reports whether no check of the family disagrees.
func passes(ds []Decision) bool {
	for _, d := range ds {
		if d.Verdict == Disagree {
			return false
		}
	}
	return true
}

// powerOne is P(|T| > c) for T noncentral t with nu degrees of freedom and
// noncentrality ncp: T = (Z + ncp)/sqrt(V/nu), V ~ chi^2(nu), integrated over
// V by the midpoint rule.
func powerOne(c, ncp, nu float64) float64 {
	chi := distuv.ChiSquared{K: nu}
	z := distuv.UnitNormal
	const hi, steps = 120.0, 60000
	h := hi / steps
	sum := 0.0
	for i := range steps {
		v := (float64(i) + 0.5) * h
		s := c * math.Sqrt(v/nu)
		sum += chi.Prob(v) * (z.Survival(s-ncp) + z.CDF(-s-ncp)) * h
	}
	return sum
}

// TestVerdictsControlTheFamilyWiseError simulates 4000 comparisons of a
// correct theory (6 level checks with measured - predicted of mean 0, two
// sign checks of the right sign, 6 seeds each) and a wrong one (every level
// check off by 4 standard errors). A correct theory must pass every check
// of its family in >= 95% of the repetitions: the rate's binomial standard
// error at 0.95 is sqrt(0.95*0.05/4000) = 0.0034, so the bound tested is
// 0.95 - 3 SE. The wrong theory is caught (some check disagrees) at least
// when one level check's p-value is <= 0.05/8 (Holm's first step; later
// steps only add power), with probability 1 - (1 - P(|T| > t(1-0.05/16,
// 5)))^6 for T noncentral t with 5 degrees of freedom and noncentrality 4
// (measured 0.973 against 0.970): the simulated rate must reach it within
// 3 binomial SE, and it must be >= 0.9. The old rule (|mean| <= 1.96 SE per check, no adjustment) is run on the
// same correct-theory data as a control: its all-pass rate is far below
// 0.95, so the test can fail.
func TestVerdictsControlTheFamilyWiseError(t *testing.T) {
	const reps, levels, offset = 4000, 6, 4.0
	rng := rand.New(rand.NewPCG(2026, 12))
	pass, caught, oldPass := 0, 0, 0
	for range reps {
		right := family(rng, levels, 0)
		if passes(Decide(right, Alpha)) {
			pass++
		}
		old := true
		for _, ts := range right[:levels] {
			old = old && math.Abs(ts.S.Mean) <= 1.96*ts.S.SE
		}
		if old {
			oldPass++
		}
		if !passes(Decide(family(rng, levels, offset), Alpha)) {
			caught++
		}
	}
	rate := func(k int) float64 { return float64(k) / reps }
	se := math.Sqrt(0.95 * 0.05 / reps)
	t.Logf("correct theory: all pass in %.4f of %d; wrong theory (%g SE off): caught in %.4f; old 1.96 rule: all pass in %.4f",
		rate(pass), reps, offset, rate(caught), rate(oldPass))
	if rate(pass) < 0.95-3*se {
		t.Errorf("correct theory passes all checks in %.4f of repetitions, want >= 0.95 - %.4f", rate(pass), 3*se)
	}
	if rate(oldPass) > 0.95-3*se {
		t.Errorf("control: the 1.96 rule passes in %.4f, expected well below 0.95", rate(oldPass))
	}
	m := float64(levels + 2)
	one := powerOne(TQuantile(1-Alpha/(2*m), 5), offset, 5)
	want := 1 - math.Pow(1-one, levels)
	pse := math.Sqrt(want * (1 - want) / reps)
	t.Logf("analytic power: one check %.4f, family %.4f", one, want)
	if rate(caught) < want-3*pse {
		t.Errorf("wrong theory caught in %.4f, below the analytic %.4f - %.4f", rate(caught), want, 3*pse)
	}
	if want < 0.9 {
		t.Errorf("power %.4f against a %g-SE offset, want >= 0.9", want, offset)
	}
}
